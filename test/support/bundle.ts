/**
 * Bundles test entry points (a crash child, a worker) into ES modules with esbuild, as
 * scripts/build.mjs does for production, so child processes and workers run compiled code fast.
 * The output goes under node_modules/.cache/<cache>/ so external packages (better-sqlite3-multiple-ciphers, sharp,
 * node-sane) resolve from the project's node_modules. Returns the output directory.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { appRoot } from '../../src-main/host/paths.js';

export async function bundleForNode(cache: string, entryPoints: Record<string, string>, outExtension = '.js'): Promise<string> {
  const outdir = join(appRoot(), 'node_modules', '.cache', cache);
  await build({
    entryPoints,
    outdir,
    outExtension: { '.js': outExtension },
    absWorkingDir: appRoot(),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outdir;
}
