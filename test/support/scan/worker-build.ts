// Builds the scanner worker (src-main/scan/worker/scan-worker.ts) into one ES module with esbuild,
// as production does, so tests and the bench run the real worker process quickly. The bundle
// goes under node_modules/.cache so `sharp` and `node-sane` resolve from the project's
// node_modules. Built once per process.
import { join } from 'node:path';
import { bundleForNode } from '../bundle.js';

let built: Promise<string> | null = null;

export function buildScanWorker(): Promise<string> {
  built ??= (async () => {
    // One file per process: vitest runs files in parallel workers, each building its own.
    const name = `scan-worker-${process.pid}`;
    const outdir = await bundleForNode('qabyldau-scan', { [name]: 'src-main/scan/worker/scan-worker.ts' }, '.mjs');
    return join(outdir, `${name}.mjs`);
  })();
  return built;
}
