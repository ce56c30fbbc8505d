/**
 * Starts a worker thread from one of our modules, wherever the code runs: from the TypeScript
 * sources (tests, tsx) the .ts module is loaded through tsx's ESM hooks registered inside the
 * worker; from the bundle (dist/main) it is the worker's own bundle beside the entry file (this
 * code may sit in dist/main/chunks/, so the folder above is looked in too).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * @param callerUrl  import.meta.url of the module that owns the worker
 * @param sourceEntry the worker module's path relative to the caller, as TypeScript ('./worker.ts')
 * @param bundled    the worker bundle's file name in dist/main ('store-worker.js')
 */
export function startModuleWorker(callerUrl: string, sourceEntry: string, bundled: string, workerData?: unknown): Worker {
  if (callerUrl.endsWith('.ts')) {
    const tsxDir = dirname(createRequire(callerUrl).resolve('tsx/package.json'));
    const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
    const entry = new URL(sourceEntry, callerUrl).href;
    const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(boot, { eval: true, workerData });
  }
  const dir = dirname(fileURLToPath(callerUrl));
  const candidates = [join(dir, bundled), join(dir, '..', bundled)];
  const file = candidates.find((c) => existsSync(c));
  if (!file) throw new Error(`the worker ${bundled} is missing: ${candidates.join(', ')}`);
  return new Worker(file, { workerData });
}
