/**
 * The SANE test device at a given speed: the read delay (µs after each buffer it hands over) that
 * makes `scanimage` take 60 s / ppm per page with the app's feeder profile (A4, 300 dpi, grey),
 * found from two short timed batches (the time per page is linear in the delay), then checked on
 * a 10-sheet feeder batch. The app gets the delay through `scanner.testDeviceReadDelayUs`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareSaneConfigDir } from '../../src-main/scan/sane-config.js';

const PROFILE = ['--source', 'Automatic Document Feeder', '--mode', 'Gray', '--depth', '8', '--resolution', '300', '-l', '0', '-t', '0', '-x', '210', '-y', '297'];

async function msPerPage(work: string, delayUs: number, pages: number): Promise<number> {
  const env = await prepareSaneConfigDir(join(work, `sane-${delayUs}`), 'test', { readDelayUs: delayUs });
  const out = join(work, `out-${delayUs}`);
  const t0 = performance.now();
  const r = spawnSync('scanimage', ['-d', 'test:0', ...PROFILE, `--batch=${out}-%d.pnm`, `--batch-count=${pages}`, '--format=pnm'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`scanimage failed: ${r.stderr.toString()}`);
  return ms / pages;
}

export interface DeviceSpeed {
  delayUs: number;
  /** Pages per minute scanimage measured over a 10-sheet feeder batch at that delay. */
  ppm: number;
}

export async function calibrateDevice(ppm: number): Promise<DeviceSpeed> {
  const work = await mkdtemp(join(tmpdir(), 'qab-bench-device-'));
  try {
    const target = 60_000 / ppm;
    const d1 = 20_000;
    const d2 = 60_000;
    const t1 = await msPerPage(work, d1, 3);
    const t2 = await msPerPage(work, d2, 3);
    const slope = (t2 - t1) / (d2 - d1);
    const delayUs = Math.max(1000, Math.min(200_000, Math.round((d1 + (target - t1) / slope) / 1000) * 1000));
    const check = await msPerPage(work, delayUs, 10);
    return { delayUs, ppm: 60_000 / check };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
