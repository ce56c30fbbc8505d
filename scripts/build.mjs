#!/usr/bin/env node
// @ts-check
/**
 * Builds what runs: the renderer (Vite → dist/renderer) and the main-process entry points
 * (esbuild → dist/main, dist/sandbox). Dependencies stay external (native modules such as
 * better-sqlite3 must be loaded from node_modules); only our own code is bundled, except the
 * preload script, which Electron's sandbox requires to be a single CommonJS file.
 *
 *   node scripts/build.mjs            build everything
 *   node scripts/build.mjs --main     main-process bundles only
 */
import { build as esbuild } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mainOnly = process.argv.includes('--main');

/**
 * Dependencies stay external (loaded from node_modules at run time), except pino-roll and the
 * part of date-fns it uses: bundling them with `date-fns` aliased to the five functions pino-roll
 * calls saves about 200 ms of start-up (bench/startup). Measured, not guessed.
 * @type {import('esbuild').Plugin}
 */
const externalsExceptLogRoll = {
  name: 'externals-except-log-roll',
  setup(b) {
    b.onResolve({ filter: /^date-fns$/ }, () => ({ path: join(root, 'scripts', 'shims', 'date-fns.cjs') }));
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (/^(pino-roll|date-fns)(\/|$)/.test(args.path)) return undefined; // bundle
      return { path: args.path, external: true };
    });
  },
};

/** @type {import('esbuild').BuildOptions} */
const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  plugins: [externalsExceptLogRoll],
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  // ESM output that still offers require() to dependencies that need it.
  banner: { js: "import { createRequire as __qabCreateRequire } from 'node:module'; const require = __qabCreateRequire(import.meta.url);" },
};

/**
 * The preload needs only the operations' names, not their zod schemas (which would make it ~800 KB
 * that every window parses). The names still come from the one declaration: the contract is
 * bundled and evaluated here, and the preload's import of it is replaced by the list of its names.
 * @returns {Promise<import('esbuild').Plugin>}
 */
async function operationNamesOnly() {
  const out = join(root, 'dist', '.contract-operations.mjs');
  await esbuild({ bundle: true, platform: 'node', format: 'esm', entryPoints: ['src-main/contract/operations.ts'], outfile: out, packages: 'external', logLevel: 'warning', absWorkingDir: root });
  /** @type {{ OP_NAMES: string[] }} */
  const contract = await import(`${pathToFileURL(out).href}?t=${Date.now()}`);
  rmSync(out, { force: true });
  return {
    name: 'operation-names-only',
    setup(b) {
      b.onResolve({ filter: /\/contract\/operations\.js$/ }, () => ({ path: 'operation-names', namespace: 'operation-names' }));
      b.onLoad({ filter: /.*/, namespace: 'operation-names' }, () => ({ contents: `export const OP_NAMES = ${JSON.stringify(contract.OP_NAMES)};`, loader: 'js' }));
    },
  };
}

export async function buildMain() {
  rmSync(join(root, 'dist', 'main'), { recursive: true, force: true });
  rmSync(join(root, 'dist', 'sandbox'), { recursive: true, force: true });
  await Promise.all([
    esbuild({
      ...nodeCommon,
      entryPoints: {
        main: 'src-main/main.ts',
        'browser-host': 'src-main/host/browser-host-main.ts',
        // The store's worker thread and the administrator's commands (docs/operations.md).
        'store-worker': 'src-main/db/worker.ts',
        'papers-worker': 'src-main/papers/worker.ts',
        admin: 'scripts/admin.ts',
      },
      outdir: 'dist/main',
      // Shared code and lazily imported modules (the signing libraries) go in chunks, so what is
      // not needed at start is not loaded at start.
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      external: ['electron'],
    }),
    esbuild({
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      entryPoints: ['src-main/preload.ts'],
      outfile: 'dist/main/preload.cjs',
      external: ['electron'],
      plugins: [await operationNamesOnly()],
      logLevel: 'warning',
      absWorkingDir: root,
    }),
    esbuild({ ...nodeCommon, entryPoints: { server: 'sandbox/cli.ts' }, outdir: 'dist/sandbox' }),
    // The scanner worker: a process of its own that owns our SANE binding (node-sane) and sharp.
    esbuild({ ...nodeCommon, entryPoints: ['src-main/scan/worker/scan-worker.ts'], outfile: 'dist/main/scan-worker.mjs', plugins: [], packages: 'external' }),
  ]);
}

export async function buildRenderer() {
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const t0 = Date.now();
  await buildMain();
  if (!mainOnly) await buildRenderer();
  console.log(`[build] done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
