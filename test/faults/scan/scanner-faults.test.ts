// Scanner faults injected into the real SANE test backend mid-batch (its read-return-value
// option, set before the 4th sheet), a device that is gone, and the worker process killed or
// frozen mid-page. In every case the pages scanned before the fault stay stored and recorded.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanFaultEvent, ScanPageEvent, WorkerEvent } from '../../../src-main/scan/types.js';
import { scanHarness, SLOW_ADF_BATCH, whileReading, type Harness } from '../../support/scan/harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

function watch(hh: Harness) {
  const pages: ScanPageEvent[] = [];
  const faults: ScanFaultEvent[] = [];
  const worker: WorkerEvent[] = [];
  hh.service.on('page', (e) => pages.push(e));
  hh.service.on('fault', (e) => faults.push(e));
  hh.service.on('worker', (e) => worker.push(e));
  return { pages, faults, worker };
}

function injectAt(sheet: number, status: string) {
  return [
    { beforeStart: sheet, options: { 'read-return-value': status } },
    // The operator fixed it: the next attempt reads normally.
    { beforeStart: sheet + 1, options: { 'read-return-value': 'Default' } },
  ];
}

function keptPagesAreIntact(hh: Harness, jobId: string, n: number, pages: ScanPageEvent[]): void {
  expect(hh.recorder.rows(jobId).map((r) => r.idx)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  for (const e of pages) expect(existsSync(hh.store.pathOf(e.page.sha256))).toBe(true);
}

const SMALL = { profileId: 'document-300-gray', settings: { dpi: 75 } } as const;

describe('device faults mid-batch keep every page scanned before them', () => {
  const cases: [string, string, string][] = [
    ['SANE_STATUS_JAMMED', 'SCAN_JAMMED', 'clear-jam-and-continue'],
    ['SANE_STATUS_COVER_OPEN', 'SCAN_COVER_OPEN', 'close-cover-and-continue'],
    ['SANE_STATUS_IO_ERROR', 'SCAN_IO_ERROR', 'check-connection-and-continue'],
    ['SANE_STATUS_DEVICE_BUSY', 'SCAN_DEVICE_BUSY', 'retry'],
  ];
  for (const [status, code, action] of cases) {
    it(`${status} → ${code}, pages 1–3 kept, "${action}"`, async () => {
      h = await scanHarness();
      const w = watch(h);
      const job = await h.service.startJob({ ...SMALL, optionSchedule: injectAt(4, status) });
      const end = await h.service.settled(job.jobId);
      expect(end).toMatchObject({ state: 'paused', pages: 3, fault: { code, action } });
      expect(w.faults).toEqual([{ jobId: job.jobId, pagesKept: 3, fault: expect.objectContaining({ code, action }) as unknown }]);
      keptPagesAreIntact(h, job.jobId, 3, w.pages);
    });
  }

  it('JAMMED: after "clear the jam and continue" the batch goes on, numbering continues', async () => {
    h = await scanHarness();
    const w = watch(h);
    const job = await h.service.startJob({ ...SMALL, optionSchedule: injectAt(4, 'SANE_STATUS_JAMMED') });
    expect(await h.service.settled(job.jobId)).toMatchObject({ state: 'paused', pages: 3 });
    await h.service.continueJob(job.jobId);
    const end = await h.service.settled(job.jobId);
    expect(end.state).toBe('completed');
    expect(end.pages).toBeGreaterThan(3);
    expect(w.pages.map((e) => e.page.index)).toEqual(Array.from({ length: end.pages }, (_, i) => i + 1));
    keptPagesAreIntact(h, job.jobId, end.pages, w.pages);
  });

  it('NO_DOCS mid-batch is the normal end of the batch: completed, no fault', async () => {
    h = await scanHarness();
    const w = watch(h);
    const job = await h.service.startJob({ ...SMALL, optionSchedule: injectAt(4, 'SANE_STATUS_NO_DOCS') });
    const end = await h.service.settled(job.jobId);
    expect(end).toMatchObject({ state: 'completed', pages: 3, fault: null });
    expect(w.faults).toEqual([]);
    keptPagesAreIntact(h, job.jobId, 3, w.pages);
  });

  it('NO_DOCS on the first sheet asks the operator to load the feeder', async () => {
    h = await scanHarness();
    const job = await h.service.startJob({ ...SMALL, optionSchedule: injectAt(1, 'SANE_STATUS_NO_DOCS') });
    expect(await h.service.settled(job.jobId)).toMatchObject({ state: 'paused', pages: 0, fault: { code: 'SCAN_NO_DOCS', action: 'load-and-continue' } });
  });

  it('a device that is gone is reported as such', async () => {
    h = await scanHarness();
    const w = watch(h);
    const job = await h.service.startJob({ ...SMALL, deviceId: 'test:5' });
    expect(await h.service.settled(job.jobId)).toMatchObject({ state: 'paused', fault: { code: 'SCAN_DEVICE_GONE', action: 'reconnect-device' } });
    expect(w.faults[0]?.fault.code).toBe('SCAN_DEVICE_GONE');
  });
});

describe('the worker process dying or hanging mid-page', () => {
  async function killMidPage(hh: Harness) {
    const w = watch(hh);
    const job = await hh.service.startJob(SLOW_ADF_BATCH);
    // Sheet 4 is being read: pages 1 and 2 have reached the service, stored or on their way.
    await whileReading(hh, job.jobId, 4);
    const pid = hh.service.workerPid!;
    const recordedAtKill = hh.recorder.rows(job.jobId).length;
    process.kill(pid, 'SIGKILL');
    const end = await hh.service.settled(job.jobId);
    // Every page whose message arrived before the kill is kept, and only those are shown.
    const kept = w.pages.length;
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(10);
    expect(end).toMatchObject({ state: 'paused', pages: kept, fault: { code: 'SCAN_WORKER_CRASHED', action: 'continue', params: { pagesKept: kept } } });
    expect(w.worker[0]).toMatchObject({ type: 'crashed', signal: 'SIGKILL', jobId: job.jobId });
    keptPagesAreIntact(hh, job.jobId, kept, w.pages);
    return { w, job, pid, kept, recordedAtKill };
  }

  it('SIGKILL mid-page: crash reported, worker restarted, pages so far kept, the job continues', { timeout: 90_000 }, async () => {
    h = await scanHarness();
    const { w, job, pid, kept } = await killMidPage(h);

    // A new worker comes up; the operator re-feeds the sheet and continues.
    await expect.poll(() => w.worker.some((e) => e.type === 'restarted'), { timeout: 10_000 }).toBe(true);
    expect(h.service.workerPid).not.toBe(pid);
    expect((await h.service.status()).workerRestarts).toBe(1);
    await h.service.continueJob(job.jobId);
    const after = await h.service.settled(job.jobId);
    // The whole snapshot in the message when it is not completed: which fault paused it.
    expect({ state: after.state, fault: after.state === 'completed' ? null : after.fault }).toEqual({ state: 'completed', fault: null });
    expect(after.pages).toBeGreaterThan(kept);
    keptPagesAreIntact(h, job.jobId, after.pages, w.pages);
  });

  it('SIGKILL while a slow disk is still storing earlier pages: those pages are stored and kept too', { timeout: 90_000 }, async () => {
    // Each page takes 2.5 s to record, far longer than the worker takes to read a sheet (~0.3 s):
    // at the kill, pages the worker finished are still waiting to be recorded.
    h = await scanHarness({ recordDelayMs: 2_500 });
    const { kept, recordedAtKill } = await killMidPage(h);
    expect(recordedAtKill).toBeLessThan(kept);
  });

  it('a frozen worker (SIGSTOP) is detected by the heartbeat watchdog, killed and restarted', async () => {
    h = await scanHarness({ watchdog: { heartbeatTimeoutMs: 1_500 } });
    const w = watch(h);
    const job = await h.service.startJob(SLOW_ADF_BATCH);
    // Sheet 3 is being read: page 1 has reached the service.
    await whileReading(h, job.jobId, 3);
    const pid = h.service.workerPid!;
    process.kill(pid, 'SIGSTOP');
    const end = await h.service.settled(job.jobId);
    const kept = w.pages.length;
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(end).toMatchObject({ state: 'paused', pages: kept, fault: { code: 'SCAN_WORKER_HUNG', action: 'continue' } });
    expect(w.worker[0]).toMatchObject({ type: 'hung', cause: 'no-heartbeat', jobId: job.jobId });
    keptPagesAreIntact(h, job.jobId, kept, w.pages);
    await expect.poll(() => w.worker.some((e) => e.type === 'restarted'), { timeout: 10_000 }).toBe(true);
    expect((await h.service.status()).worker).toBe('running');
  });

  it('a blocked main process (a slow fsync, a long commit) does not make a healthy worker look hung', async () => {
    h = await scanHarness({ watchdog: { heartbeatTimeoutMs: 1_500 } });
    const w = watch(h);
    const job = await h.service.startJob(SLOW_ADF_BATCH);
    await whileReading(h, job.jobId, 1);
    // Our own event loop stops for twice the heartbeat timeout; the worker's heartbeats wait in the pipe.
    const until = Date.now() + 3_000;
    while (Date.now() < until) {
      /* busy: what a synchronous fsync on a contended disk looks like to the watchdog */
    }
    const end = await h.service.settled(job.jobId);
    expect({ state: end.state, fault: end.state === 'completed' ? null : end.fault }).toEqual({ state: 'completed', fault: null });
    expect(w.worker.filter((e) => e.type === 'hung')).toEqual([]);
  });

  it('a device that stops sending data is detected by the read-progress watchdog', async () => {
    // 200 ms between buffers while reads report at most every 250 ms is "progress"; a 100 ms
    // read-progress timeout makes this device look stuck inside sane_read().
    h = await scanHarness({ watchdog: { readProgressTimeoutMs: 100 } });
    const w = watch(h);
    const job = await h.service.startJob({ ...SMALL, settings: { dpi: 300 }, deviceOptions: { 'read-delay': true, 'read-delay-duration': 200_000 } });
    const end = await h.service.settled(job.jobId);
    expect(end).toMatchObject({ state: 'paused', fault: { code: 'SCAN_WORKER_HUNG' } });
    expect(w.worker[0]).toMatchObject({ type: 'hung', cause: 'no-read-progress' });
  });
});

describe('no SANE', () => {
  it('is a reportable state, scanning says SCAN_NO_SANE (with no network scanner either)', async () => {
    h = await scanHarness({ workerEnv: { NODE_SANE_BINARY: '/nonexistent/node_sane.node' }, escl: { discovery: false } });
    expect(await h.service.status()).toMatchObject({ sane: 'unavailable', saneReason: 'not-built', worker: 'running' });
    await expect(h.service.startJob({ profileId: 'document-300-gray' })).rejects.toMatchObject({ code: 'SCAN_NO_SANE' });
    await expect(h.service.startJob({ profileId: 'document-300-gray', deviceId: 'test:0' })).rejects.toMatchObject({ code: 'SCAN_NO_SANE' });
    // The list is empty, not an error: eSCL scanners would be listed here (test/integration/scan/escl.test.ts).
    expect(await h.service.devices()).toEqual([]);
  });
});
