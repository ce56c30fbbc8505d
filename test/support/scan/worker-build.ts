// Builds the scanner worker (src-main/scan/worker/scan-worker.ts) into one ES module with esbuild,
// as production does, so tests and the bench run the real worker process quickly. The bundle
// goes under node_modules/.cache so `sharp` and `node-sane` resolve from the project's
// node_modules. Built once per process.
import { build } from 'esbuild';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');
let built: Promise<string> | null = null;

export function buildScanWorker(): Promise<string> {
  built ??= (async () => {
    const outfile = join(root, 'node_modules', '.cache', 'qabyldau-scan', `scan-worker-${process.pid}.mjs`);
    await build({
      entryPoints: [join(root, 'src-main', 'scan', 'worker', 'scan-worker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    return outfile;
  })();
  return built;
}
