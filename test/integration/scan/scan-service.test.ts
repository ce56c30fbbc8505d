// The scan service against the real SANE test backend, through our addon, in the real worker
// process, storing into a real ContentStore and recording into a real SQLite file.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jfifDensity } from '../../../src-main/scan/page-encoder.js';
import type { ScanJobEvent, ScanPageEvent, ScanProgressEvent } from '../../../src-main/scan/types.js';
import { scanHarness, SLOW_ADF_BATCH, whileReading, type Harness } from '../../support/scan/harness.js';

// One scan stack (worker process, store, recorder) for the tests that can share it, each test's
// pages told apart by its job; the listeners a test added are dropped after it. The SANE test
// backend keeps option values from one open to the next, but the driver puts back what a job's
// raw options replaced when the job ends, so each job starts from test.conf's own (the grid);
// the tests that set other device options (hand-scanner, read-delay) still have their own stack.
let shared: Harness;
beforeAll(async () => {
  shared = await scanHarness();
});
afterAll(async () => {
  await shared?.dispose();
});
let own: Harness | null = null;
afterEach(async () => {
  for (const e of ['page', 'job', 'progress', 'fault', 'worker'] as const) shared.service.removeAllListeners(e);
  await own?.dispose();
  own = null;
});
function collect(hh: Harness) {
  const pages: ScanPageEvent[] = [];
  const jobs: ScanJobEvent[] = [];
  const progress: ScanProgressEvent[] = [];
  const order: { id: string; onDisk: boolean; thumbOnDisk: boolean; recorded: boolean }[] = [];
  hh.service.on('page', (e) => {
    pages.push(e);
    // At the moment a page is shown it must already be on disk and recorded.
    order.push({
      id: e.page.id,
      onDisk: existsSync(hh.store.pathOf(e.page.sha256)),
      thumbOnDisk: existsSync(hh.store.pathOf(e.page.thumbnail.sha256)),
      recorded: hh.recorder.has(e.page.id),
    });
  });
  hh.service.on('job', (e) => jobs.push(e));
  hh.service.on('progress', (e) => progress.push(e));
  return { pages, jobs, progress, order };
}

/** Parses scanimage's PBM (P4) output: width, height and packed rows (1 = black). */
function parsePbm(buf: Buffer): { width: number; height: number; bits: Buffer } {
  const text = buf.toString('latin1', 0, 200);
  const m = /^P4\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s/.exec(text);
  if (!m) throw new Error('not a PBM');
  return { width: Number(m[1]), height: Number(m[2]), bits: buf.subarray(m[0].length) };
}

describe('scan service: status, devices, capabilities, profiles', () => {
  it('reports SANE, lists the test device as virtual, and derives capabilities', async () => {
    const h = shared;
    const status = await h.service.status();
    expect(status).toMatchObject({ sane: 'available', worker: 'running', workerRestarts: 0 });
    expect(status.saneVersion).toMatch(/^1\./);
    const devices = await h.service.devices({ refresh: true });
    expect(devices).toEqual([{ id: 'test:0', vendor: 'Noname', model: 'frontend-tester', type: 'virtual device', virtual: true, driver: 'sane' }]);
    expect((await h.service.defaultDevice()).id).toBe('test:0');
    const caps = await h.service.capabilities('test:0');
    expect(caps.sources).toEqual(['flatbed', 'adf']);
    expect(caps.modes).toEqual(['gray', 'color', 'lineart']);
    expect(caps.resolutions).toEqual(expect.arrayContaining([100, 150, 200, 300, 600]));
    expect(caps.pageSizes).toEqual(expect.arrayContaining(['A4', 'A5', 'ID1', 'max']));
    expect(h.service.listProfiles().map((p) => p.id)).toEqual(
      expect.arrayContaining(['document-300-gray', 'id-card-colour', 'lineart-300']),
    );
  });
});

describe('the worker process', () => {
  it('runs with the deferred-cancellation library preloaded, so a backend cannot deadlock it', () => {
    const h = shared;
    const maps = readFileSync(`/proc/${h.service.workerPid!}/maps`, 'utf8');
    expect(maps).toContain('sane_deferred_cancel.node');
  });
});

describe('scanning', () => {
  it('scans one flatbed page: stored, recorded, then shown', async () => {
    const h = shared;
    const c = collect(h);
    const job = await h.service.startJob({ profileId: 'flatbed-300-gray', settings: { dpi: 100, pageSize: 'A5' } });
    const end = await h.service.settled(job.jobId);
    expect(end).toMatchObject({ state: 'completed', pages: 1, fault: null });
    expect(c.pages).toHaveLength(1);
    const p = c.pages[0]!.page;
    expect(p).toMatchObject({ index: 1, format: 'image/jpeg', mode: 'gray', dpi: 100, source: 'flatbed', deviceId: 'test:0' });
    expect(p.width).toBe(Math.floor((148 * 100) / 25.4));
    expect(p.height).toBe(Math.floor((210 * 100) / 25.4));
    const bytes = await h.store.read(p.sha256);
    expect(jfifDensity(bytes)).toEqual({ units: 1, x: 100, y: 100 });
    expect(await sharp(bytes).metadata()).toMatchObject({ width: p.width, height: p.height, channels: 1 });
    expect(c.order).toEqual([{ id: p.id, onDisk: true, thumbOnDisk: true, recorded: true }]);
    expect(p.thumbnail.width).toBeLessThanOrEqual(320);
    expect(c.jobs.map((j) => j.reason)).toEqual(['started', 'max-pages']);
    // Nothing left in the spool.
    expect(await readdir(join(h.dir, 'spool')).catch(() => [])).toEqual([]);
  });

  it('scans an ADF batch of 10 until the feeder is empty, in order', async () => {
    const h = shared;
    const c = collect(h);
    const job = await h.service.startJob({ profileId: 'document-300-gray', settings: { dpi: 75 } });
    const end = await h.service.settled(job.jobId);
    expect(end).toMatchObject({ state: 'completed', pages: 10, fault: null });
    expect(c.jobs.at(-1)?.reason).toBe('feeder-empty');
    expect(c.pages.map((e) => e.page.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(c.order.every((o) => o.onDisk && o.thumbOnDisk && o.recorded)).toBe(true);
    expect(h.recorder.rows(job.jobId).map((r) => r.idx)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Progress was reported while reading, for every page.
    const readPages = new Set(c.progress.filter((e) => e.phase === 'reading').map((e) => e.page));
    expect(readPages.size).toBe(10);
  });

  it('scans gray at 300 dpi: an A4 JPEG with 300 dpi in its JFIF header', async () => {
    const h = shared;
    const c = collect(h);
    const job = await h.service.startJob({ profileId: 'flatbed-300-gray', deviceOptions: { 'test-picture': 'Grid' } });
    await h.service.settled(job.jobId);
    const p = c.pages[0]!.page;
    expect(p).toMatchObject({ dpi: 300, mode: 'gray', format: 'image/jpeg', width: 2480, height: 3507 });
    const bytes = await h.store.read(p.sha256);
    expect(jfifDensity(bytes)).toEqual({ units: 1, x: 300, y: 300 });
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', channels: 1, width: 2480, height: 3507, isProgressive: false });
  });

  it('scans colour at 300 dpi: a three-channel JPEG', async () => {
    const h = shared;
    const c = collect(h);
    const job = await h.service.startJob({
      profileId: 'flatbed-300-gray',
      settings: { mode: 'color' },
      deviceOptions: { 'test-picture': 'Color pattern' },
    });
    await h.service.settled(job.jobId);
    const p = c.pages[0]!.page;
    expect(p).toMatchObject({ dpi: 300, mode: 'color', format: 'image/jpeg', width: 2480 });
    const bytes = await h.store.read(p.sha256);
    expect(jfifDensity(bytes)?.x).toBe(300);
    const stats = await sharp(bytes).stats();
    expect(stats.channels).toHaveLength(3);
    expect(stats.isOpaque).toBe(true);
    // A colour pattern: many pixels are far from gray.
    const { data } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    let colourful = 0;
    for (let i = 0; i < data.length; i += 3) {
      if (Math.max(data[i]!, data[i + 1]!, data[i + 2]!) - Math.min(data[i]!, data[i + 1]!, data[i + 2]!) > 100) colourful++;
    }
    expect(colourful / (data.length / 3)).toBeGreaterThan(0.05);
  });

  it('scans line art at 300 dpi: a lossless 1-bit PNG identical to what the device sent', async () => {
    const h = shared;
    const c = collect(h);
    const job = await h.service.startJob({ profileId: 'lineart-300', settings: { source: 'flatbed' }, deviceOptions: { 'test-picture': 'Grid' } });
    await h.service.settled(job.jobId);
    const p = c.pages[0]!.page;
    expect(p).toMatchObject({ dpi: 300, mode: 'lineart', format: 'image/png', width: 2480, height: 3507 });
    const png = await h.store.read(p.sha256);
    expect(png[24]).toBe(1); // IHDR: bit depth 1
    expect(png[25]).toBe(0); // greyscale
    const phys = png.indexOf('pHYs');
    expect(png.readUInt32BE(phys + 4)).toBe(11811); // 300 dpi in pixels per metre

    // The same picture straight from scanimage (PNM at depth 1 is PBM): every pixel must match.
    const r = spawnSync('scanimage', ['-d', 'test:0', '--mode', 'Gray', '--depth', '1', '--resolution', '300', '-l', '0', '-t', '0', '-x', '210', '-y', '297', '--test-picture', 'Grid', '--format=pnm'], {
      env: { ...process.env, SANE_CONFIG_DIR: join(h.dir, 'sane.d') },
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.status).toBe(0);
    const pbm = parsePbm(r.stdout);
    expect([pbm.width, pbm.height]).toEqual([2480, 3507]);
    const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(1);
    const rowBytes = Math.ceil(pbm.width / 8);
    let mismatches = 0;
    let black = 0;
    for (let y = 0; y < pbm.height; y++) {
      for (let x = 0; x < pbm.width; x++) {
        const isBlack = (pbm.bits[y * rowBytes + (x >> 3)]! & (0x80 >> (x & 7))) !== 0;
        if (isBlack) black++;
        if (isBlack !== (data[y * pbm.width + x] === 0)) mismatches++;
      }
    }
    expect(black).toBeGreaterThan(10_000);
    expect(mismatches).toBe(0);
  });

  it('handles a device that does not know the page height in advance (lines = -1)', async () => {
    const h = (own = await scanHarness());
    const c = collect(h);
    // The test backend's hand-scanner mode: 110 x 170 mm, height announced as -1.
    const job = await h.service.startJob({ profileId: 'flatbed-300-gray', settings: { dpi: 100 }, deviceOptions: { 'hand-scanner': true } });
    expect(await h.service.settled(job.jobId)).toMatchObject({ state: 'completed', pages: 1 });
    const p = c.pages[0]!.page;
    expect([p.width, p.height]).toEqual([Math.floor((110 * 100) / 25.4), Math.floor((170 * 100) / 25.4)]);
    expect(await sharp(await h.store.read(p.sha256)).metadata()).toMatchObject({ width: p.width, height: p.height });
  });

  it('skips blank pages, reports them in progress, and numbers the rest without gaps', async () => {
    const h = shared;
    const c = collect(h);
    const job = await h.service.startJob({
      profileId: 'document-300-gray',
      settings: { dpi: 75 },
      deviceOptions: { 'test-picture': 'Grid' },
      // Sheets 3 and 7 are blank (white).
      optionSchedule: [
        { beforeStart: 3, options: { 'test-picture': 'Solid white' } },
        { beforeStart: 4, options: { 'test-picture': 'Grid' } },
        { beforeStart: 7, options: { 'test-picture': 'Solid white' } },
        { beforeStart: 8, options: { 'test-picture': 'Grid' } },
      ],
    });
    const end = await h.service.settled(job.jobId);
    expect(end).toMatchObject({ state: 'completed', pages: 8, skippedBlank: 2 });
    expect(c.pages.map((e) => e.page.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(c.progress.filter((e) => e.phase === 'blank-skipped').map((e) => e.skippedBlank)).toEqual([1, 2]);
    expect(h.recorder.rows(job.jobId)).toHaveLength(8);
  });

  it('keeps blank pages when blank-page detection is off', async () => {
    const h = shared;
    const job = await h.service.startJob({
      profileId: 'document-300-gray',
      settings: { dpi: 75 },
      skipBlankPages: false,
      deviceOptions: { 'test-picture': 'Solid white' },
    });
    expect(await h.service.settled(job.jobId)).toMatchObject({ state: 'completed', pages: 10, skippedBlank: 0 });
  });

  it('an all-blank batch ends normally with nothing stored', async () => {
    const h = shared;
    const before = await h.store.list();
    const job = await h.service.startJob({ profileId: 'document-300-gray', settings: { dpi: 75 }, deviceOptions: { 'test-picture': 'Solid white' } });
    expect(await h.service.settled(job.jobId)).toMatchObject({ state: 'completed', pages: 0, skippedBlank: 10, fault: null });
    // Not a file more in the store (it holds the earlier tests' pages).
    expect(await h.store.list()).toEqual(before);
    expect(h.recorder.rows(job.jobId)).toEqual([]);
  });

  it("ends a job's raw options with it: the next job scans with the device's own", async () => {
    const h = shared;
    const white = await h.service.startJob({ profileId: 'document-300-gray', settings: { dpi: 75 }, deviceOptions: { 'test-picture': 'Solid white' } });
    expect(await h.service.settled(white.jobId)).toMatchObject({ state: 'completed', pages: 0, skippedBlank: 10 });
    // No raw options: test.conf's grid, not the white the last job set (the test backend keeps
    // option values from one open to the next).
    const next = await h.service.startJob({ profileId: 'document-300-gray', settings: { dpi: 75 } });
    expect(await h.service.settled(next.jobId)).toMatchObject({ state: 'completed', pages: 10, skippedBlank: 0 });
  });

  it('scans more pages into a completed ADF job (the operator reloads the feeder)', async () => {
    const h = shared;
    const job = await h.service.startJob({ profileId: 'document-300-gray', settings: { dpi: 50, pageSize: 'A5' } });
    expect(await h.service.settled(job.jobId)).toMatchObject({ state: 'completed', pages: 10 });
    await h.service.continueJob(job.jobId);
    const end = await h.service.settled(job.jobId);
    expect(end.state).toBe('completed');
    expect(end.pages).toBeGreaterThan(10);
    expect(h.recorder.rows(job.jobId).map((r) => r.idx)).toEqual(Array.from({ length: end.pages }, (_, i) => i + 1));
  });

  it('cancels mid-page: the page being read is dropped, earlier pages are kept', async () => {
    const h = (own = await scanHarness());
    const c = collect(h);
    const job = await h.service.startJob(SLOW_ADF_BATCH);
    // Cancel while sheet 3 is being read: page 1 has reached the service.
    await whileReading(h, job.jobId, 3);
    await h.service.cancel(job.jobId);
    const end = await h.service.settled(job.jobId);
    const kept = c.pages.length;
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(10);
    expect(end).toMatchObject({ state: 'cancelled', pages: kept });
    expect(c.pages.map((e) => e.page.index)).toEqual(Array.from({ length: kept }, (_, i) => i + 1));
    expect(h.recorder.rows(job.jobId)).toHaveLength(kept);
    expect(c.jobs.at(-1)?.reason).toBe('cancelled');
    expect(await readdir(join(h.dir, 'spool')).catch(() => [])).toEqual([]);
    // The worker is fine afterwards.
    const next = await h.service.startJob({ profileId: 'flatbed-300-gray', settings: { dpi: 50, pageSize: 'A5' } });
    expect(await h.service.settled(next.jobId)).toMatchObject({ state: 'completed', pages: 1 });
  });

  it('rejects a second job while one is scanning, and unknown profiles', async () => {
    const h = shared;
    const job = await h.service.startJob({ profileId: 'document-300-gray', settings: { dpi: 75 } });
    await expect(h.service.startJob({ profileId: 'document-300-gray' })).rejects.toMatchObject({ code: 'SCAN_DEVICE_IN_USE' });
    await h.service.settled(job.jobId);
    await expect(h.service.startJob({ profileId: 'no-such-profile' })).rejects.toMatchObject({ code: 'SCAN_UNKNOWN_PROFILE' });
    expect(() => h.service.job('nope')).toThrow(/SCAN_JOB_NOT_FOUND/);
  });
});
