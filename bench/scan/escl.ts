// eSCL figures for `npm run bench:scan` (or `npx tsx bench/scan/run.ts --escl`).
//
// The sandbox eSCL scanner runs in its own process (sandbox/escl/cli.ts) on loopback, sending
// each page over 1000 ms (a 60-ppm feeder; rendering counts inside that second). 20 sheets,
// A4, 300 dpi, grey, from the feeder:
// 1. scanimage --batch through Debian's sane-airscan (an eSCL client nobody here wrote), writing
//    PNM files: the baseline;
// 2. our service: the eSCL driver in the scanner worker, every page decoded, spooled, metered for
//    blank, encoded (JPEG + JFIF), thumbnailed, stored (fsync) and recorded in SQLite.
// Target ratio of pages per minute, ours / scanimage ≥ 0.9; also ours against the device's own
// speed. (sane-airscan asks for the next page only after decoding the last one; our driver asks
// while the last one is decoded, which is why it can keep up with the feeder.) Then CPU per page: ours (worker +
// main process) against scanimage's own (the baseline client's decode + PNM write).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { esclDeviceId } from '../../src-main/scan/drivers/escl/escl-driver.js';
import { airscanConfigDir, scanimage } from '../../test/support/scan/airscan.js';
import { scanHarness } from '../../test/support/scan/harness.js';

const PAGES = 20;
const PAGE_MS = 1000;

interface Sandbox {
  url: string;
  send(cmd: object): Promise<{ ok: boolean; feeder: number }>;
  stop(): Promise<void>;
}

async function startSandbox(): Promise<Sandbox> {
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, join(import.meta.dirname, '..', '..', 'sandbox', 'escl', 'cli.ts'), '--feeder', '0', '--page-ms', String(PAGE_MS), '--control'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const queue: ((l: string) => void)[] = [];
  lines.on('line', (l) => queue.shift()?.(l));
  const next = () => new Promise<string>((resolve) => queue.push(resolve));
  const first = JSON.parse(await next()) as { url: string };
  return {
    url: first.url,
    async send(cmd) {
      const p = next();
      child.stdin!.write(JSON.stringify(cmd) + '\n');
      return JSON.parse(await p) as { ok: boolean; feeder: number };
    },
    async stop() {
      child.stdin!.end();
      await new Promise((r) => child.once('close', r));
    },
  };
}

/** CPU time of reaped children of this process, and of a live process, in ms (Linux /proc). */
async function childrenCpuMs(): Promise<number> {
  const f = (await readFile('/proc/self/stat', 'utf8')).split(') ')[1]!.split(' ');
  return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // cutime + cstime, clock ticks (USER_HZ 100)
}
async function processCpuMs(pid: number): Promise<number> {
  const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime
}

export async function esclFigures(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'qab-bench-escl-'));
  const sandbox = await startSandbox();
  try {
    // Pages rendered ahead for both runs (the sheet numbers differ; the time per page does not).
    await sandbox.send({ prerender: { sheets: Array.from({ length: 2 * PAGES }, (_, i) => i + 1), dpi: 300, mode: 'Grayscale8', width: 2480, height: 3508 } });

    const env = await airscanConfigDir(join(work, 'sane.d'), [{ name: 'Sandbox', url: sandbox.url }]);
    await sandbox.send({ load: PAGES });
    const out = join(work, 'si');
    await mkdir(out);
    const c0 = await childrenCpuMs();
    const t0 = performance.now();
    const si = await scanimage(env, ['-d', 'airscan:e0:Sandbox', '--source', 'ADF', '--mode', 'Gray', '--resolution', '300', '-l', '0', '-t', '0', '-x', '210', '-y', '297', '--format=pnm', `--batch=${join(out, 'p%d.pnm')}`], 300_000);
    const siMs = performance.now() - t0;
    const siCpu = (await childrenCpuMs()) - c0;
    if (!/20 pages scanned/.test(si.stderr)) throw new Error(`scanimage: ${si.stderr}`);
    await rm(out, { recursive: true, force: true });
    const siPpm = (PAGES * 60_000) / siMs;

    const h = await scanHarness({ escl: { scanners: [{ url: sandbox.url }], discovery: false } });
    try {
      await sandbox.send({ load: PAGES });
      const pid = h.service.workerPid!;
      const w0 = await processCpuMs(pid);
      const m0 = process.cpuUsage();
      const t1 = performance.now();
      const job = await h.service.startJob({ deviceId: esclDeviceId(sandbox.url), profileId: 'document-300-gray', skipBlankPages: false });
      const end = await h.service.settled(job.jobId);
      const oursMs = performance.now() - t1;
      const m = process.cpuUsage(m0);
      const workerCpu = (await processCpuMs(pid)) - w0;
      if (end.pages !== PAGES) throw new Error(`expected ${PAGES} pages, got ${end.pages} (${end.state} ${end.fault?.code ?? ''})`);
      const oursPpm = (PAGES * 60_000) / oursMs;
      const mainCpu = (m.user + m.system) / 1000;
      console.log('4. eSCL: %d A4 300 dpi grey pages from the feeder of the sandbox eSCL scanner, slowed to 60 ppm (%d ms a page)', PAGES, PAGE_MS);
      console.log('   scanimage --batch via sane-airscan: %s ppm (%s s)', siPpm.toFixed(1), (siMs / 1000).toFixed(1));
      console.log('   our eSCL driver + service        : %s ppm (%s s), every page decoded, encoded, stored and recorded', oursPpm.toFixed(1), (oursMs / 1000).toFixed(1));
      console.log('   ratio ours / scanimage = %s  (target ≥ 0.9); ours / the device\'s 60 ppm = %s', (oursPpm / siPpm).toFixed(3), (oursPpm / (60_000 / PAGE_MS)).toFixed(3));
      console.log(
        '   CPU per page: ours %s ms (worker %s + main %s) vs scanimage+airscan %s ms; ours / 1000 ms per page = %s',
        ((workerCpu + mainCpu) / PAGES).toFixed(0),
        (workerCpu / PAGES).toFixed(0),
        (mainCpu / PAGES).toFixed(0),
        (siCpu / PAGES).toFixed(0),
        ((workerCpu + mainCpu) / PAGES / 1000).toFixed(3),
      );
    } finally {
      await h.dispose();
    }
  } finally {
    await sandbox.stop();
    await rm(work, { recursive: true, force: true });
  }
}
