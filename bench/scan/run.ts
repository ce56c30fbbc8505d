// Scan benchmark: `npx tsx bench/scan/run.ts` (needs sane-utils, libsane and the node-sane build).
//
// 1. Throughput against the device's own speed. The SANE test backend is set to full A4
//    (-x 210 -y 297), 300 dpi gray, and slowed with its read delay until `scanimage --batch`
//    runs at about 60 pages per minute. Then 20 pages with scanimage and 20 pages through our
//    service (worker read → encode → ContentStore → SQLite record → event), same options,
//    same run. The test backend's feeder empties after 10 sheets, so both use its flatbed
//    source with a page count of 20 (the per-sheet work is the same). Target ratio ≥ 0.9.
//    The same 20 pages again with the content store encrypting (as the app stores them): encrypted
//    vs clear pages per minute (target ≥ 0.95).
// 2. Our CPU cost per A4 page at 300 dpi (spool, encode, hash + write, record), in ms of CPU
//    (all threads), for gray and line art, and the page file size. Baseline: the 1000 ms a
//    60-ppm feeder gives per page.
// 3. Peak RSS of the main process during a 100-page batch (a child process runs it, so the
//    figure is that batch's alone). Target < 300 MB.
//
// 4. eSCL (bench/scan/escl.ts): pages per minute from the sandbox eSCL scanner slowed to 60 ppm,
//    ours vs scanimage through sane-airscan on the same server, and CPU per page. `--escl` runs
//    only this part.
//
// No assertions: it prints figures and ratios.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentStore } from '../../src-main/files/content-store.js';
import { encodeSpool, FrameSpool, type FrameLayout } from '../../src-main/scan/page-encoder.js';
import { prepareSaneConfigDir } from '../../src-main/scan/sane-config.js';
import { scanHarness, SqlitePageRecorder } from '../../test/support/scan/harness.js';
import { esclFigures } from './escl.js';

const A4 = ['-l', '0', '-t', '0', '-x', '210', '-y', '297'];
const here = import.meta.filename;

async function scanimageBatch(env: Record<string, string>, dir: string, pages: number, delayUs: number, mode: 'Gray' = 'Gray'): Promise<number> {
  await mkdir(dir, { recursive: true });
  const args = ['-d', 'test:0', '--source', 'Flatbed', '--mode', mode, '--depth', '8', '--resolution', '300', ...A4, '--test-picture', 'Grid'];
  if (delayUs > 0) args.push('--read-delay=yes', `--read-delay-duration=${delayUs}`);
  args.push(`--batch=${join(dir, 'p%d.pnm')}`, `--batch-count=${pages}`, '--format=pnm');
  const t0 = performance.now();
  const r = spawnSync('scanimage', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`scanimage failed: ${r.stderr.toString()}`);
  await rm(dir, { recursive: true, force: true });
  return ms;
}

async function throughput(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'qab-bench-'));
  const env = await prepareSaneConfigDir(join(work, 'sane.d'), 'test', { devices: 1 });
  // Calibrate the read delay: time per page is linear in it.
  const d1 = 10_000;
  const d2 = 40_000;
  const t1 = (await scanimageBatch(env, join(work, 'c1'), 3, d1)) / 3;
  const t2 = (await scanimageBatch(env, join(work, 'c2'), 3, d2)) / 3;
  const slope = (t2 - t1) / (d2 - d1);
  const delay = Math.max(1000, Math.min(200_000, Math.round((d1 + (1000 - t1) / slope) / 1000) * 1000));
  const pages = 20;

  const scanimageMs = await scanimageBatch(env, join(work, 'si'), pages, delay);
  const scanimagePpm = (pages * 60_000) / scanimageMs;

  // Our service twice: the content store clear, then encrypting (AES-256-GCM, as the app stores
  // pages): the cost of encryption at rest in pages per minute, same device speed, same run.
  const keyId = randomBytes(8).toString('hex');
  const sealedStore = new ContentStore(join(work, 'sealed-store'), { current: keyId, keys: { [keyId]: randomBytes(32) } });
  const runOurs = async (store: ContentStore | null): Promise<{ ppm: number; ms: number }> => {
    const h = await scanHarness(store ? { store } : {});
    try {
      const t0 = performance.now();
      const job = await h.service.startJob({
        profileId: 'flatbed-300-gray',
        maxPages: pages,
        skipBlankPages: false,
        deviceOptions: { 'test-picture': 'Grid', 'read-delay': true, 'read-delay-duration': delay },
      });
      const end = await h.service.settled(job.jobId);
      const ms = performance.now() - t0;
      if (end.pages !== pages) throw new Error(`expected ${pages} pages, got ${end.pages} (${end.state})`);
      return { ppm: (pages * 60_000) / ms, ms };
    } finally {
      await h.dispose();
    }
  };
  try {
    const ours = await runOurs(null);
    const sealed = await runOurs(sealedStore);
    console.log('1. Throughput, A4 300 dpi gray, 20 pages, test backend read delay %d µs', delay);
    console.log('   scanimage --batch : %s ppm (%s s)', scanimagePpm.toFixed(1), (scanimageMs / 1000).toFixed(1));
    console.log('   our service       : %s ppm (%s s), every page encoded, stored and recorded', ours.ppm.toFixed(1), (ours.ms / 1000).toFixed(1));
    console.log('   ratio ours / scanimage = %s  (target ≥ 0.9)', (ours.ppm / scanimagePpm).toFixed(3));
    console.log('   our service, pages encrypted at rest: %s ppm (%s s); ratio encrypted / clear = %s  (target ≥ 0.95)', sealed.ppm.toFixed(1), (sealed.ms / 1000).toFixed(1), (sealed.ppm / ours.ppm).toFixed(3));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** One raw A4 page from the device (scanimage, PNM), as the worker receives it. */
function devicePage(env: Record<string, string>, depth: 1 | 8): { layout: FrameLayout; data: Buffer } {
  const out = execFileSync('scanimage', ['-d', 'test:0', '--mode', 'Gray', '--depth', String(depth), '--resolution', '300', ...A4, '--test-picture', 'Grid', '--format=pnm'], {
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const text = out.toString('latin1', 0, 200);
  const m = depth === 1 ? /^P4\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s/.exec(text) : /^P5\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(text);
  if (!m) throw new Error('unexpected scanimage output');
  const width = Number(m[1]);
  const lines = Number(m[2]);
  return {
    layout: { mode: depth === 1 ? 'lineart' : 'gray', width, lines, bytesPerLine: depth === 1 ? Math.ceil(width / 8) : width, channels: 1, depth, dpi: 300 },
    data: out.subarray(m[0].length),
  };
}

async function cpuPerPage(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'qab-bench-cpu-'));
  const env = await prepareSaneConfigDir(join(work, 'sane.d'), 'test', { devices: 1 });
  const store = new ContentStore(join(work, 'store'));
  const rec = new SqlitePageRecorder(join(work, 'pages.sqlite'));
  console.log('2. CPU per A4 page at 300 dpi (spool + encode + thumbnail + hash/write/fsync + record), test picture "Grid"');
  try {
    for (const depth of [8, 1] as const) {
      const { layout, data } = devicePage(env, depth);
      const n = 10;
      let size = 0;
      // Warm-up (libvips start-up, JIT).
      const once = async (i: number) => {
        const spoolPath = join(work, `s${i}`);
        const spool = await FrameSpool.create(spoolPath, layout, 0.04);
        for (let off = 0; off < data.length; off += 1 << 20) await spool.write(data.subarray(off, Math.min(data.length, off + (1 << 20))));
        const lines = await spool.finish();
        const enc = await encodeSpool(spoolPath, layout, lines, { file: join(work, `p${i}`), thumbFile: join(work, `t${i}`), thumbMaxPx: 320 });
        const page = await store.putFile(enc.file);
        const thumb = await store.putFile(enc.thumbFile);
        await rec.record({
          id: `${depth}-${i}`, jobId: `bench-${depth}`, index: i + 1, sha256: page.sha256, size: page.size, format: enc.format,
          width: enc.width, height: enc.height, dpi: 300, mode: layout.mode,
          thumbnail: { sha256: thumb.sha256, size: thumb.size, width: enc.thumbWidth, height: enc.thumbHeight },
          source: 'flatbed', deviceId: 'test:0', createdAt: new Date().toISOString(),
        });
        size = page.size;
        await rm(spoolPath, { force: true });
        await rm(enc.file, { force: true });
        await rm(enc.thumbFile, { force: true });
      };
      await once(1000);
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      for (let i = 0; i < n; i++) await once(i);
      const c = process.cpuUsage(c0);
      const wall = (performance.now() - w0) / n;
      const cpuMs = (c.user + c.system) / 1000 / n;
      console.log(
        '   %s: %s ms CPU per page (%s ms wall), page file %s KB; ratio to the 1000 ms per page of a 60-ppm feeder = %s',
        depth === 8 ? 'gray (JPEG q85)   ' : 'line art (1-bit PNG)',
        cpuMs.toFixed(1),
        wall.toFixed(1),
        (size / 1024).toFixed(0),
        (cpuMs / 1000).toFixed(3),
      );
    }
  } finally {
    rec.close();
    await rm(work, { recursive: true, force: true });
  }
}

function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

async function workerPeakMb(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  try {
    const s = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(s)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

/** Runs in a child process: a 100-page batch, printing the main process's peak RSS as JSON. */
async function memoryChild(): Promise<void> {
  const idle = maxRssMb();
  const h = await scanHarness(process.env.BENCH_WORKER_ENV ? { workerEnv: JSON.parse(process.env.BENCH_WORKER_ENV) as Record<string, string> } : {});
  let current = 0;
  const sampler = setInterval(() => (current = Math.max(current, process.memoryUsage.rss() / 1048576)), 50);
  try {
    const afterStart = maxRssMb();
    const job = await h.service.startJob({ profileId: 'flatbed-300-gray', maxPages: 100, skipBlankPages: false, deviceOptions: { 'test-picture': 'Grid' } });
    let worker: number | null = null;
    h.service.on('page', (e) => {
      if (e.page.index === 99) void workerPeakMb(h.service.workerPid).then((v) => (worker = v));
    });
    const end = await h.service.settled(job.jobId);
    const bytes = (await Promise.all(h.recorder.rows(job.jobId).map((r) => stat(h.store.pathOf(r.sha256))))).reduce((a, s) => a + s.size, 0);
    console.log(JSON.stringify({ pages: end.pages, idleMb: idle, startedMb: afterStart, peakMb: maxRssMb(), batchMaxMb: current, workerPeakMb: worker, storedMb: bytes / 1048576 }));
  } finally {
    clearInterval(sampler);
    await h.dispose();
  }
}

async function memory(): Promise<void> {
  const child = spawn(process.execPath, [...process.execArgv, here, '--memory-child'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise((r) => child.on('close', r));
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as { pages: number; idleMb: number; startedMb: number; peakMb: number; batchMaxMb: number; workerPeakMb: number | null; storedMb: number };
  console.log('3. Memory during a %d-page batch (A4 300 dpi gray, device at full speed, %s MB of pages stored)', r.pages, r.storedMb.toFixed(0));
  console.log(
    '   main process peak RSS %s MB (largest RSS sampled during the batch %s MB; idle %s MB); ratio to the 300 MB target = %s',
    r.peakMb.toFixed(0),
    r.batchMaxMb.toFixed(0),
    r.idleMb.toFixed(0),
    (r.peakMb / 300).toFixed(2),
  );
  if (r.workerPeakMb !== null) console.log('   scanner worker process peak RSS %s MB (for information)', r.workerPeakMb.toFixed(0));
}

if (process.argv.includes('--memory-child')) {
  await memoryChild();
} else if (process.argv.includes('--escl')) {
  await esclFigures();
} else {
  await throughput();
  await cpuPerPage();
  await memory();
  await esclFigures();
}
