// Faults of a network scanner mid-batch, against the sandbox eSCL scanner: each keeps every page
// received before it, tells the operator which sheet to put back, and (where the device allows)
// continues the same job with the numbering going on. Hostile answers are refused with a typed
// error and nothing of them is written. The scanner vanishing mid-page ends in a clear fault
// within the configured deadline and a fresh worker.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxFaults } from '../../../sandbox/escl/scanner.js';
import type { JobSnapshot, ScanRequest, WorkerEvent } from '../../../src-main/scan/types.js';
import { esclRig, markersOf, onlyRecordedOnDisk, range, type EsclRig } from '../../support/scan/escl.js';

let r: EsclRig | null = null;
afterEach(async () => {
  await r?.dispose();
  r = null;
});

const BATCH: Omit<ScanRequest, 'deviceId'> = { profileId: 'document-300-gray', settings: { dpi: 75 }, skipBlankPages: false };

async function batch(rig: EsclRig, faults: SandboxFaults = {}): Promise<JobSnapshot> {
  Object.assign(rig.scanner.faults, faults);
  const job = await rig.h.service.startJob({ ...BATCH, deviceId: rig.deviceId });
  return rig.h.service.settled(job.jobId);
}

async function continued(rig: EsclRig, jobId: string): Promise<JobSnapshot> {
  await rig.h.service.continueJob(jobId);
  return rig.h.service.settled(jobId);
}

describe('eSCL faults mid-batch: pages kept, the sheet to put back named, the same job continued', () => {
  it.each([
    ['the feeder jams', { jamAtSheet: 4 }, 'SCAN_JAMMED', 'clear-jam-and-continue', true],
    ['the cover opens', { coverOpenAtSheet: 4 }, 'SCAN_COVER_OPEN', 'close-cover-and-continue', true],
    ['the scanner drops the job', { vanishAtSheet: 4 }, 'SCAN_ESCL_JOB_LOST', 'continue', false],
  ] as const)('%s at sheet 4 of 7', async (_what, faults, code, action, sticky) => {
    r = await esclRig({ feeder: 7 });
    const end = await batch(r, faults);
    expect(end).toMatchObject({ state: 'paused', pages: 3, fault: { code, action, params: { pagesKept: 3, nextPage: 4 } } });
    expect(await markersOf(r, end.jobId)).toEqual(range(1, 3));
    if (sticky) {
      // Before the operator acts, the scanner still says so.
      expect(await continued(r, end.jobId)).toMatchObject({ state: 'paused', pages: 3, fault: { code } });
      r.scanner.clearFault();
    }
    const done = await continued(r, end.jobId);
    expect(done).toMatchObject({ state: 'completed', pages: 7, fault: null });
    expect(await markersOf(r, end.jobId)).toEqual(range(1, 7));
    expect(r.h.recorder.rows(end.jobId).map((x) => x.idx)).toEqual(range(1, 7).map(Number));
  });

  it('the feeder runs empty mid-job: the batch ends normally, and "scan more" goes on numbering', async () => {
    r = await esclRig({ feeder: 5 });
    const end = await batch(r);
    expect(end).toMatchObject({ state: 'completed', pages: 5, fault: null });
    r.scanner.load(3);
    expect(await continued(r, end.jobId)).toMatchObject({ state: 'completed', pages: 8 });
    expect(await markersOf(r, end.jobId)).toEqual(range(1, 8));
  });

  it('an empty feeder before any sheet asks to load the documents', async () => {
    r = await esclRig({ feeder: 0 });
    const end = await batch(r);
    expect(end).toMatchObject({ state: 'paused', pages: 0, fault: { code: 'SCAN_NO_DOCS', action: 'load-and-continue' } });
    r.scanner.load(2);
    expect(await continued(r, end.jobId)).toMatchObject({ state: 'completed', pages: 2 });
  });

  it('busy (503) when the job is asked for: "try again" works; 503s while polling for a page are waited out', async () => {
    r = await esclRig({ feeder: 3 });
    const end = await batch(r, { busyJobs: 1 });
    expect(end).toMatchObject({ state: 'paused', pages: 0, fault: { code: 'SCAN_DEVICE_BUSY', action: 'retry' } });
    expect(await continued(r, end.jobId)).toMatchObject({ state: 'completed', pages: 3 });
    r.scanner.load(2);
    r.scanner.faults.busyPages = 3;
    expect(await continued(r, end.jobId)).toMatchObject({ state: 'completed', pages: 5, fault: null });
    expect(await markersOf(r, end.jobId)).toEqual(range(1, 5));
  });

  it('a page cut off mid-transfer is not stored; the operator puts that sheet back and continues', async () => {
    r = await esclRig({ feeder: 5, chunked: true });
    const end = await batch(r, { truncateAtSheet: 3 });
    expect(end).toMatchObject({ state: 'paused', pages: 2, fault: { code: 'SCAN_IO_ERROR', action: 'check-connection-and-continue', params: { nextPage: 3 } } });
    expect(await onlyRecordedOnDisk(r)).toBe(true);
    r.scanner.feeder.unshift(3); // the operator puts sheet 3 back on top
    expect(await continued(r, end.jobId)).toMatchObject({ state: 'completed', pages: 5 });
    expect(await markersOf(r, end.jobId)).toEqual(range(1, 5));
  });

  it('slow pages (a 2-page-a-second scanner) arrive whole and in order', async () => {
    r = await esclRig({ feeder: 4, pageMs: 500 });
    expect(await batch(r)).toMatchObject({ state: 'completed', pages: 4 });
  });

  it('malformed XML from the scanner is a typed error, not a crash', async () => {
    r = await esclRig({ feeder: 3 });
    const end = await batch(r, { malformed: 'status' });
    expect(end).toMatchObject({ state: 'failed', pages: 0, fault: { code: 'SCAN_ESCL_MALFORMED', action: 'contact-support' } });
    r.scanner.faults.malformed = 'capabilities';
    await expect(r.h.service.capabilities(r.deviceId)).rejects.toMatchObject({ code: 'SCAN_ESCL_MALFORMED' });
  });
});

describe('eSCL hostile answers: refused with a typed error, nothing of them written', () => {
  it.each([
    ['an XML bomb', { xmlBomb: 'status' }, 'SCAN_ESCL_XML_REFUSED', 0, { reason: 'doctype' }],
    ['a page of 2 GB declared', { hugePageAtSheet: 2 }, 'SCAN_ESCL_PAGE_TOO_LARGE', 1, { declaredMb: 2048, maxMb: 100 }],
    ['a Content-Length that lies', { lyingLengthAtSheet: 2 }, 'SCAN_ESCL_LENGTH_MISMATCH', 1, {}],
    ['a redirect to another host', { redirectAtSheet: 2 }, 'SCAN_ESCL_REDIRECT_REFUSED', 1, { host: '127.0.0.2' }],
    ['a job Location on another host', { foreignLocation: true }, 'SCAN_ESCL_REDIRECT_REFUSED', 0, {}],
    ['a pixel bomb (a JPEG header of 60000 × 60000)', { pixelBombAtSheet: 2 }, 'SCAN_ESCL_BAD_PAGE', 1, { reason: 'pixels' }],
  ] as const)('%s', async (_what, faults, code, kept, params) => {
    r = await esclRig({ feeder: 3 });
    const end = await batch(r, faults);
    const expected: Record<string, unknown> = { pagesKept: kept, ...params };
    if ('host' in params) expected.host = `127.0.0.2:${r.scanner.port}`;
    expect(end.fault).toMatchObject({ code, params: expected });
    expect(end.pages).toBe(kept);
    expect(await markersOf(r, end.jobId)).toEqual(range(1, kept));
    expect(await onlyRecordedOnDisk(r)).toBe(true);
    // No request followed the refused answer but the job's DELETE (nothing went to another host:
    // the sandbox listens on 127.0.0.1 only and would have recorded it).
    const last = r.scanner.requests.findLastIndex((q) => q.path.endsWith('/NextDocument') || q.method === 'POST');
    if (kept === 0 && !('foreignLocation' in faults)) expect(last).toBe(-1);
    else expect(r.scanner.requests.slice(last + 1).every((q) => q.method === 'DELETE')).toBe(true);
  });
});

describe('eSCL: a scanner that disappears mid-page', () => {
  it('gives SCAN_DEVICE_GONE within the configured deadline, keeps the pages, restarts the worker', async () => {
    const timeoutMs = 4000;
    r = await esclRig({ feeder: 5 }, { timeoutMs });
    const rig = r;
    // Pages rendered ahead: on a busy machine rendering must not eat the deadline being tested.
    await rig.scanner.prerender({ sheets: [1, 2, 3, 4, 5], dpi: 75, mode: 'Grayscale8', width: 2480, height: 3508 });
    const events: WorkerEvent[] = [];
    rig.h.service.on('worker', (e) => events.push(e));
    const pid = rig.h.service.workerPid;
    const t0 = Date.now();
    const end = await batch(rig, { stallAtSheet: 3 });
    const took = Date.now() - t0;
    expect(end).toMatchObject({ state: 'paused', pages: 2, fault: { code: 'SCAN_DEVICE_GONE', action: 'reconnect-device', params: { pagesKept: 2, nextPage: 3 } } });
    // Bounded by the deadline (plus the first two pages and the worker restart), never a hang.
    expect(took).toBeLessThan(timeoutMs * 6);
    expect(events).toContainEqual({ type: 'restarted', restarts: 1 });
    expect(rig.h.service.workerPid).not.toBe(pid);
    expect(await onlyRecordedOnDisk(rig)).toBe(true);
    rig.scanner.feeder.unshift(3);
    expect(await continued(rig, end.jobId)).toMatchObject({ state: 'completed', pages: 5 });
    expect(await markersOf(rig, end.jobId)).toEqual(range(1, 5));
  });

  it('a scanner that never answers at all: SCAN_DEVICE_GONE at start, no hang', async () => {
    r = await esclRig({ feeder: 2 }, { timeoutMs: 1000 });
    await r.scanner.stop();
    const end = await batch(r);
    expect(end).toMatchObject({ state: 'paused', pages: 0, fault: { code: 'SCAN_DEVICE_GONE' } });
  });
});

describe('eSCL over HTTPS with a self-signed certificate: pinned on first use as an administrator confirms', () => {
  function selfSigned(dir: string, name: string): { key: string; cert: string; sha256: string } {
    const key = join(dir, `${name}.key`);
    const cert = join(dir, `${name}.pem`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`], { stdio: 'ignore' });
    const fp = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8'), sha256: fp.split('=')[1]!.trim().replace(/:/g, '').toLowerCase() };
  }

  it('shows the fingerprint, refuses to scan until pinned, then scans; a changed certificate is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qab-escl-tls-'));
    try {
      const a = selfSigned(dir, 'mfp-a');
      r = await esclRig({ feeder: 2, tls: { key: a.key, cert: a.cert } });
      const [dev] = (await r.h.service.devices({ refresh: true })).filter((d) => d.driver === 'escl');
      expect(dev).toMatchObject({ certificate: { sha256: a.sha256, trusted: false } });
      const refused = await batch(r);
      expect(refused).toMatchObject({ state: 'failed', pages: 0, fault: { code: 'SCAN_ESCL_CERT_UNTRUSTED', params: { sha256: a.sha256 } } });
      expect(r.scanner.requests.some((q) => q.method === 'POST')).toBe(false);

      r.h.service.pinCertificate(new URL(r.scanner.url).origin, a.sha256);
      expect(await batch(r)).toMatchObject({ state: 'completed', pages: 2 });

      // The same address now presents another certificate.
      const port = r.scanner.port;
      await r.scanner.stop();
      const b = selfSigned(dir, 'mfp-b');
      const { SandboxEsclScanner } = await import('../../../sandbox/escl/scanner.js');
      const other = new SandboxEsclScanner({ feeder: 2, tls: { key: b.key, cert: b.cert } });
      await other.start(port);
      try {
        const changed = await batch(r);
        expect(changed).toMatchObject({ state: 'failed', fault: { code: 'SCAN_ESCL_CERT_CHANGED', params: { sha256: b.sha256 } } });
        expect(other.requests).toHaveLength(0);
      } finally {
        await other.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
