// The scan stack against the sandbox eSCL scanner (sandbox/escl): the real worker process, the
// eSCL driver inside it talking HTTP over loopback to a real server, a real ContentStore and a
// real SQLite recorder (harness.ts). No SANE device is involved.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readMarker } from '../../../sandbox/escl/pages.js';
import { SandboxEsclScanner, type SandboxScannerOptions } from '../../../sandbox/escl/scanner.js';
import type { EsclConfig } from '../../../src-main/scan/drivers/driver.js';
import { esclDeviceId } from '../../../src-main/scan/drivers/escl/escl-driver.js';
import type { ScanServiceOptions } from '../../../src-main/scan/scan-service.js';
import { scanHarness, type Harness } from './harness.js';

export interface EsclRig {
  h: Harness;
  scanner: SandboxEsclScanner;
  deviceId: string;
  dispose(): Promise<void>;
}

export async function esclRig(o: SandboxScannerOptions = {}, escl: Partial<EsclConfig> = {}, service: Partial<ScanServiceOptions> = {}): Promise<EsclRig> {
  const scanner = new SandboxEsclScanner(o);
  const url = await scanner.start();
  const h = await scanHarness({
    ...service,
    escl: { scanners: [{ url, name: 'Sandbox' }], discovery: false, timeoutMs: 5000, pollMs: 50, ...escl },
  });
  return {
    h,
    scanner,
    deviceId: esclDeviceId(url),
    async dispose() {
      await h.dispose();
      await scanner.stop();
    },
  };
}

export interface SharedEsclRig extends EsclRig {
  /**
   * Makes the scanner a new one with these options (SandboxEsclScanner.reset, same address) and
   * drops the service's listeners that the previous test added, for the next test; the scan stack
   * (worker process, store, recorder) stays. Each test's pages are told apart by their job.
   */
  reset(o?: SandboxScannerOptions): EsclRig;
}

/**
 * One scan stack and one sandbox scanner for the tests of a file that only need a scanner with
 * other options each (feeder, formats, speed): a worker process started once instead of once per
 * test. Tests that change the service's own configuration make their own rig.
 */
export async function sharedEsclRig(o: SandboxScannerOptions = {}, escl: Partial<EsclConfig> = {}): Promise<SharedEsclRig> {
  const rig = await esclRig(o, escl);
  return {
    ...rig,
    reset(next = {}) {
      for (const e of ['page', 'job', 'progress', 'fault', 'worker'] as const) rig.h.service.removeAllListeners(e);
      rig.scanner.reset(next);
      return rig;
    },
  };
}

/** Which sheet and side each stored page of a job shows (the sandbox's marker row), in order. */
export async function markersOf(r: EsclRig, jobId: string): Promise<string[]> {
  const out: string[] = [];
  for (const row of r.h.recorder.rows(jobId)) {
    const m = await readMarker(await readFile(r.h.store.pathOf(row.sha256)), row.dpi);
    out.push(m ? `${m.sheet}${m.back ? 'b' : ''}` : 'none');
  }
  return out;
}

/**
 * Every file in the content store belongs to a recorded page (or its thumbnail), and the spool
 * is empty: a refused page left nothing behind.
 */
export async function onlyRecordedOnDisk(r: EsclRig): Promise<boolean> {
  const files = (await readdir(join(r.h.dir, 'store'), { recursive: true, withFileTypes: true }).catch(() => [])).filter((e) => e.isFile()).map((e) => e.name);
  const db = r.h.recorder.db;
  const rows = db.prepare('SELECT sha256, thumb_sha256 FROM pages').all() as { sha256: string; thumb_sha256: string }[];
  const known = new Set(rows.flatMap((x) => [x.sha256, x.thumb_sha256]));
  const spool = (await readdir(join(r.h.dir, 'spool'), { recursive: true, withFileTypes: true }).catch(() => [])).filter((e) => e.isFile());
  return spool.length === 0 && files.every((f) => known.has(f)) && known.size === files.length;
}

export const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => String(a + i));
