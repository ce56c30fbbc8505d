// eSCL scanning end to end: the real worker process runs our eSCL client against the sandbox
// eSCL scanner over loopback HTTP; pages are stored and recorded like SANE's. Each page's
// marker row (sandbox/escl/pages.ts) says which sheet and side it is.
import { existsSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jfifDensity } from '../../../src-main/scan/page-encoder.js';
import type { ScanJobEvent, ScanPageEvent, ScanProgressEvent } from '../../../src-main/scan/types.js';
import { esclRig, markersOf, onlyRecordedOnDisk, range, sharedEsclRig, type EsclRig, type SharedEsclRig } from '../../support/scan/escl.js';

// One scan stack and scanner for the tests that only need another feeder, format or speed (each
// test's pages are told apart by its job); a test that configures the service differently makes
// its own rig.
let shared: SharedEsclRig;
beforeAll(async () => {
  shared = await sharedEsclRig();
});
afterAll(async () => {
  await shared?.dispose();
});
let own: EsclRig | null = null;
afterEach(async () => {
  await own?.dispose();
  own = null;
});

describe('eSCL: devices and capabilities', () => {
  it('lists the network scanner beside SANE and reads its capabilities', async () => {
    const r = shared.reset({ feeder: 1 });
    const devices = await r.h.service.devices({ refresh: true });
    expect(devices[0]).toMatchObject({ id: r.deviceId, driver: 'escl', vendor: 'Qabyldau', model: 'Sandbox', found: 'configured', virtual: false });
    expect(devices.some((d) => d.driver === 'sane')).toBe(true);
    const caps = await r.h.service.capabilities(r.deviceId);
    expect(caps).toMatchObject({ sources: ['flatbed', 'adf', 'adf-duplex'], modes: ['gray', 'color', 'lineart'] });
    expect(caps.resolutions).toEqual([75, 100, 150, 200, 300, 600]);
    expect(caps.pageSizes).toEqual(expect.arrayContaining(['A4', 'A5', 'ID1']));
  });
});

describe('eSCL without SANE (a Windows counter)', () => {
  it('lists and scans from the network scanner when libsane cannot be loaded', async () => {
    const r = (own = await esclRig({ feeder: 2 }, {}, { workerEnv: { NODE_SANE_BINARY: '/nonexistent/node_sane.node' } }));
    expect(await r.h.service.status()).toMatchObject({ sane: 'unavailable', worker: 'running', escl: { configured: 1 } });
    expect((await r.h.service.devices({ refresh: true })).map((d) => d.id)).toEqual([r.deviceId]);
    const job = await r.h.service.startJob({ profileId: 'document-300-gray', settings: { dpi: 75 } });
    expect(await r.h.service.settled(job.jobId)).toMatchObject({ deviceId: r.deviceId, state: 'completed', pages: 2 });
  });
});

describe('eSCL: scanning', () => {
  it('scans one page from the platen in colour: on disk, recorded, then shown', async () => {
    const rig = shared.reset();
    const shown: boolean[] = [];
    rig.h.service.on('page', (e) => shown.push(existsSync(rig.h.store.pathOf(e.page.sha256)) && rig.h.recorder.has(e.page.id)));
    const job = await rig.h.service.startJob({ deviceId: rig.deviceId, profileId: 'id-card-colour', settings: { pageSize: 'A5', dpi: 100 } });
    const end = await rig.h.service.settled(job.jobId);
    expect(end).toMatchObject({ state: 'completed', pages: 1, fault: null });
    expect(shown).toEqual([true]);
    const [row] = rig.h.recorder.rows(job.jobId);
    expect(row).toMatchObject({ mode: 'color', format: 'image/jpeg', dpi: 100, width: 583, height: 827 });
    const file = readFileSync(rig.h.store.pathOf(row!.sha256));
    expect(jfifDensity(file)).toEqual({ units: 1, x: 100, y: 100 });
    expect((await sharp(file).metadata()).channels).toBe(3);
    expect(await markersOf(rig, job.jobId)).toEqual(['1001']);
    const asked = rig.scanner.requests.find((q) => q.method === 'POST')!.body!;
    expect(asked).toContain('<pwg:InputSource>Platen</pwg:InputSource>');
    expect(asked).toContain('<scan:ColorMode>RGB24</scan:ColorMode>');
  });

  it('scans an ADF batch of 20 in order, one eSCL job, until the feeder is empty', async () => {
    const r = shared.reset({ feeder: 20 });
    const jobs: ScanJobEvent[] = [];
    r.h.service.on('job', (e) => jobs.push(e));
    const job = await r.h.service.startJob({ deviceId: r.deviceId, profileId: 'document-300-gray', settings: { dpi: 75 }, skipBlankPages: false });
    const end = await r.h.service.settled(job.jobId);
    expect(end).toMatchObject({ state: 'completed', pages: 20, fault: null });
    expect(jobs.at(-1)?.reason).toBe('feeder-empty');
    expect(await markersOf(r, job.jobId)).toEqual(range(1, 20));
    expect(r.h.recorder.rows(job.jobId).map((x) => x.idx)).toEqual(range(1, 20).map(Number));
    expect(r.scanner.requests.filter((q) => q.method === 'POST')).toHaveLength(1);
    expect(r.scanner.requests.filter((q) => q.path.endsWith('/NextDocument'))).toHaveLength(21);
  });

  it('scans both sides from the duplex feeder, front then back, and skips blank backs when asked', async () => {
    const r = shared.reset({ feeder: 3 });
    const job = await r.h.service.startJob({ deviceId: r.deviceId, profileId: 'document-300-gray', settings: { source: 'adf-duplex', dpi: 75 }, skipBlankPages: false });
    expect(await r.h.service.settled(job.jobId)).toMatchObject({ state: 'completed', pages: 6 });
    expect(await markersOf(r, job.jobId)).toEqual(['1', '1b', '2', '2b', '3', '3b']);
    expect(r.scanner.requests.find((q) => q.method === 'POST')!.body).toContain('<scan:Duplex>true</scan:Duplex>');

    shared.reset({ feeder: 3, blankBacks: true });
    const job2 = await r.h.service.startJob({ deviceId: r.deviceId, profileId: 'document-300-gray', settings: { source: 'adf-duplex', dpi: 75 }, skipBlankPages: true });
    expect(await r.h.service.settled(job2.jobId)).toMatchObject({ state: 'completed', pages: 3, skippedBlank: 3 });
    expect(await markersOf(r, job2.jobId)).toEqual(['1', '2', '3']);
  });

  it.each([
    ['gray', 'Grayscale8', 'image/jpeg', 1],
    ['color', 'RGB24', 'image/jpeg', 3],
    ['lineart', 'BlackAndWhite1', 'image/png', 1],
  ] as const)('scans in %s (asks %s, stores %s)', async (mode, esclMode, format, channels) => {
    const r = shared.reset({ feeder: 2 });
    const job = await r.h.service.startJob({ deviceId: r.deviceId, profileId: 'document-300-gray', settings: { mode, dpi: 100 }, skipBlankPages: false });
    expect(await r.h.service.settled(job.jobId)).toMatchObject({ state: 'completed', pages: 2 });
    expect(r.scanner.requests.find((q) => q.method === 'POST')!.body).toContain(`<scan:ColorMode>${esclMode}</scan:ColorMode>`);
    const rows = r.h.recorder.rows(job.jobId);
    expect(rows.map((x) => [x.mode, x.format])).toEqual([[mode, format], [mode, format]]);
    const meta = await sharp(readFileSync(r.h.store.pathOf(rows[0]!.sha256))).metadata();
    expect(meta.channels).toBe(channels);
    if (mode === 'lineart') expect(meta.depth === 'uchar' && meta.format === 'png').toBe(true);
    expect(await markersOf(r, job.jobId)).toEqual(['1', '2']);
  });

  it('makes line art from grey pages when the scanner cannot send 1-bit ones', async () => {
    const r = shared.reset({ feeder: 1, formats: ['image/jpeg'] });
    const job = await r.h.service.startJob({ deviceId: r.deviceId, profileId: 'lineart-300', settings: { dpi: 100 } });
    expect(await r.h.service.settled(job.jobId)).toMatchObject({ state: 'completed', pages: 1 });
    expect(r.scanner.requests.find((q) => q.method === 'POST')!.body).toContain('<scan:ColorMode>Grayscale8</scan:ColorMode>');
    expect(r.h.recorder.rows(job.jobId)[0]).toMatchObject({ mode: 'lineart', format: 'image/png' });
    expect(await markersOf(r, job.jobId)).toEqual(['1']);
  });

  it('takes the JPEG pages out of a PDF the scanner sends for the whole batch', async () => {
    const r = (own = await esclRig({ feeder: 4 }, { format: 'pdf' }));
    const job = await r.h.service.startJob({ deviceId: r.deviceId, profileId: 'document-300-gray', settings: { dpi: 75 }, skipBlankPages: false });
    expect(await r.h.service.settled(job.jobId)).toMatchObject({ state: 'completed', pages: 4 });
    expect(r.scanner.requests.find((q) => q.method === 'POST')!.body).toContain('<pwg:DocumentFormat>application/pdf</pwg:DocumentFormat>');
    expect(await markersOf(r, job.jobId)).toEqual(range(1, 4));
  });

  it('cancels mid-page: the page being received is dropped, the job is deleted on the scanner, pages before are kept', async () => {
    const rig = shared.reset({ feeder: 5, pageMs: 1500 });
    const job = await rig.h.service.startJob({ deviceId: rig.deviceId, profileId: 'document-300-gray', settings: { dpi: 75 }, skipBlankPages: false });
    await new Promise<void>((resolve) => {
      const on = (e: ScanProgressEvent) => {
        if (e.jobId === job.jobId && e.phase === 'reading' && e.page === 2 && e.bytesRead > 0) {
          rig.h.service.off('progress', on);
          resolve();
        }
      };
      rig.h.service.on('progress', on);
    });
    await rig.h.service.cancel(job.jobId);
    const end = await rig.h.service.settled(job.jobId);
    expect(end).toMatchObject({ state: 'cancelled', pages: 1 });
    expect(await markersOf(rig, job.jobId)).toEqual(['1']);
    expect(rig.scanner.requests.some((q) => q.method === 'DELETE')).toBe(true);
    expect(await onlyRecordedOnDisk(rig)).toBe(true);
  });

  it('reports the bytes of a slow page as they arrive', async () => {
    const r = shared.reset({ feeder: 1, pageMs: 800 });
    const progress: ScanProgressEvent[] = [];
    const pages: ScanPageEvent[] = [];
    r.h.service.on('progress', (e) => progress.push(e));
    r.h.service.on('page', (e) => pages.push(e));
    const job = await r.h.service.startJob({ deviceId: r.deviceId, profileId: 'document-300-gray', settings: { dpi: 100 } });
    expect(await r.h.service.settled(job.jobId)).toMatchObject({ state: 'completed', pages: 1 });
    const reading = progress.filter((e) => e.phase === 'reading' && e.bytesRead > 0).map((e) => e.bytesRead);
    expect(new Set(reading).size).toBeGreaterThan(2);
    expect(pages).toHaveLength(1);
  });
});
