/**
 * Workers from the sources (tests, tsx): each worker compiled into one module by esbuild (a
 * development dependency, there whenever the sources are), as scripts/build.mjs does for dist/,
 * once per process and entry. Starting it costs about half the CPU of loading the sources through
 * tsx inside each new worker (0.7 s against 1.35 s for the papers worker), and tests start many
 * workers. The file is named by its content, in `node_modules/.workers/` (two levels down, as
 * dist/main/ is, so paths relative to a module resolve alike; packages resolve from node_modules).
 *
 * Each change to a worker's sources makes a new file; the old ones are pruned, beside other
 * processes (parallel test files, a second test run, `npm start` from the sources) that may still
 * load theirs:
 * - a process sets its bundle's time to now right before each worker it starts (placeBundle), so
 *   a bundle any live process is about to load was used within BUNDLE_MAX_AGE_MS;
 * - only bundles (and write leftovers) older than that are deleted, never by their name or by
 *   being "not the newest" (an older run may still be going);
 * - a process that did not start its worker for longer than that, and so may have lost its file,
 *   writes it again (same name, same content) before the next worker starts.
 * Pruning runs when a new bundle is written, i.e. when a worker's sources changed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';

/** A bundle not used for this long is deleted (a day: longer than any test run). */
export const BUNDLE_MAX_AGE_MS = 24 * 3_600_000;

/** A worker's bundle: where it goes and what it holds (kept, to write it again if pruned). */
export interface WorkerBundle {
  file: string;
  code: Uint8Array;
}

const bundles = new Map<string, WorkerBundle | null>();

/** The bundle's file, placed and marked in use; null when esbuild is missing or fails (the caller falls back to tsx). */
export function bundleFromSource(callerUrl: string, sourceEntry: string, bundled: string): string | null {
  const entry = fileURLToPath(new URL(sourceEntry, callerUrl));
  let b = bundles.get(entry);
  if (b === undefined) {
    b = build(callerUrl, entry, bundled);
    bundles.set(entry, b);
  }
  return b && placeBundle(b) ? b.file : null;
}

function build(callerUrl: string, entry: string, bundled: string): WorkerBundle | null {
  try {
    const require = createRequire(callerUrl);
    const esbuild = require('esbuild') as typeof Esbuild;
    const nodeModules = dirname(dirname(require.resolve('esbuild/package.json')));
    const out = esbuild.buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', write: false, logLevel: 'silent', outfile: 'worker.js' });
    const code = out.outputFiles[0]!.contents;
    const name = `${bundled.replace(/\.m?js$/, '')}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`;
    return { file: join(nodeModules, '.workers', name), code };
  } catch {
    return null;
  }
}

/**
 * Right before a worker starts from the bundle: its time set to now (in use), or, when it is not
 * there (new, or pruned while this process left it unused), written (atomically: a temporary file
 * renamed) and the folder pruned. False when it cannot be written.
 */
export function placeBundle(b: WorkerBundle, now = new Date()): boolean {
  try {
    utimesSync(b.file, now, now);
    return true;
  } catch {
    // Not there: written below.
  }
  try {
    const dir = dirname(b.file);
    mkdirSync(dir, { recursive: true });
    const tmp = `${b.file}.${process.pid}.tmp`;
    writeFileSync(tmp, b.code);
    utimesSync(tmp, now, now);
    renameSync(tmp, b.file);
    pruneBundles(dir, now.getTime(), BUNDLE_MAX_AGE_MS, b.file);
    return true;
  } catch {
    return false;
  }
}

/** A worker bundle (`<worker>-<16 hex>.mjs`) or a write's leftover (`….mjs.<pid>.tmp`). */
const BUNDLE_FILE = /-[0-9a-f]{16}\.mjs(\.\d+\.tmp)?$/;

/** Deletes the bundles and leftovers in `dir` not used for `maxAgeMs` (see above), never `keep`; returns their names. */
export function pruneBundles(dir: string, nowMs: number, maxAgeMs = BUNDLE_MAX_AGE_MS, keep?: string): string[] {
  const gone: string[] = [];
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (!BUNDLE_FILE.test(name) || file === keep) continue;
    try {
      if (nowMs - statSync(file).mtimeMs <= maxAgeMs) continue;
      unlinkSync(file);
      gone.push(name);
    } catch {
      // Pruned by another process meanwhile.
    }
  }
  return gone;
}
