#!/usr/bin/env node
// @ts-check
/**
 * `npm test`: set-up (as `npm start` does), then the checks (ESLint beside the layer boundaries
 * with dependency-cruiser, file sizes, source folder READMEs, typecheck and build, two at a
 * time), and every test layer (unit, integration, faults, end-to-end in Chromium) through Vitest. Stops at the first failing
 * step and exits non-zero.
 *
 *   npm test                  everything
 *   npm test -- <filter>      only test files matching <filter> (after lint, typecheck, build)
 *   npm run test:quick        the inner loop: the same checks, then unit and integration tests only
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, setup } from './setup.mjs';

const bin = (/** @type {string} */ name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

/**
 * CPU seconds (user + system) of the child processes this one has waited for, and theirs: what a
 * step cost the machine, which unlike its wall time hardly depends on what else runs (Linux's
 * /proc; null elsewhere).
 */
export function childrenCpuSeconds() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 (cutime, cstime), in clock ticks of 1/100 s.
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return null;
  }
}

const t00 = Date.now();
const cpu00 = childrenCpuSeconds();

/** Wall seconds since `t0` and, where known, CPU seconds since `cpu0`: "12.3 s, CPU 20.1 s". */
function cost(/** @type {number} */ t0, /** @type {number | null} */ cpu0) {
  const cpu1 = childrenCpuSeconds();
  return `${((Date.now() - t0) / 1000).toFixed(1)} s${cpu0 !== null && cpu1 !== null ? `, CPU ${(cpu1 - cpu0).toFixed(1)} s` : ''}`;
}

function step(/** @type {string} */ title, /** @type {string} */ cmd, /** @type {string[]} */ args) {
  const t0 = Date.now();
  const cpu0 = childrenCpuSeconds();
  console.log(`\n[test] ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
  if (r.status !== 0) {
    console.error(`[test] ${title} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
  console.log(`[test] ${title}: ok (${cost(t0, cpu0)})`);
}

/** @typedef {{ title: string, cmd: string, args: string[] }} Step */

/**
 * Runs the lanes at once, the steps of each lane one after another, each step's output printed
 * whole when it ends (so two lanes never interleave lines). Two cores: ESLint in one lane, the
 * other checks (each single-threaded too) in the other. Exits at the first failing step, after
 * stopping the other lane. Steps print their wall time; the group its wall and CPU time (CPU
 * cannot be told per step while two run at once).
 */
export async function lanes(/** @type {string} */ title, /** @type {Step[][]} */ ...stepLanes) {
  const t0 = Date.now();
  const cpu0 = childrenCpuSeconds();
  console.log(`\n[test] ${title}, at once: ${stepLanes.map((l) => l.map((x) => x.title).join(', ')).join(' | ')}`);
  /** @type {Set<import('node:child_process').ChildProcess>} */
  const running = new Set();
  /** @type {{ title: string, code: number | null, signal: string | null } | null} */
  let failed = null; // set just before exiting, so a lane that ends meanwhile prints nothing more
  await Promise.all(
    stepLanes.map(async (lane) => {
      for (const x of lane) {
        if (failed) return;
        const s0 = Date.now();
        const child = spawn(x.cmd, x.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
        running.add(child);
        /** @type {Buffer[]} */
        const out = [];
        child.stdout?.on('data', (/** @type {Buffer} */ c) => out.push(c));
        child.stderr?.on('data', (/** @type {Buffer} */ c) => out.push(c));
        const end = await new Promise((resolve) => {
          child.once('error', (e) => resolve({ code: 1, signal: null, error: e }));
          child.once('close', (code, signal) => resolve({ code, signal, error: null }));
        });
        running.delete(child);
        if (failed) return;
        process.stdout.write(Buffer.concat(out));
        if (end.error) console.error(`[test] ${x.title}: ${end.error.message}`);
        if (end.code !== 0) {
          failed = { title: x.title, code: end.code, signal: end.signal };
          for (const c of running) c.kill();
          console.error(`[test] ${x.title} failed (exit ${end.code ?? end.signal})`);
          process.exit(end.code || 1);
        }
        console.log(`[test] ${x.title}: ok (${((Date.now() - s0) / 1000).toFixed(1)} s)`);
      }
    }),
  );
  console.log(`[test] ${title}: ok (${cost(t0, cpu0)})`);
}

/** Where the inner loop keeps what it can reuse between runs (`npm ci` starts it afresh). */
const CACHE = 'node_modules/.cache';

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    setup('test');
  } catch (e) {
    console.error(`[test] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  const quick = process.argv.includes('--quick');
  const filters = process.argv.slice(2).filter((a) => a !== '--quick');
  // --quick (npm run test:quick): the inner loop. The same checks and typechecks with their caches
  // kept between runs (ESLint's results per file by content; tsc's build info), the build, then
  // the unit and integration tests only (no fault, no end-to-end). The caches only skip files
  // whose content (ESLint) or whose whole import graph (tsc) did not change; an ESLint rule that
  // reads types can still change its verdict on an unchanged file when a file it imports changed:
  // `npm test` runs every check from scratch.
  const incremental = (/** @type {string} */ name) => (quick ? ['--incremental', '--tsBuildInfoFile', `${CACHE}/tsc/${name}.tsbuildinfo`] : []);
  await lanes(
    'checks',
    [{ title: 'lint (eslint)', cmd: bin('eslint'), args: ['.', '--max-warnings=0', ...(quick ? ['--cache', '--cache-strategy', 'content', '--cache-location', `${CACHE}/eslint/`] : [])] }],
    [
      // The layer rules of docs/architecture.md over the import graph (.dependency-cruiser.mjs).
      { title: 'layer boundaries (dependency-cruiser)', cmd: 'npm', args: ['run', '-s', 'lint:boundaries'] },
      { title: 'file sizes', cmd: process.execPath, args: [join(root, 'scripts', 'check-sizes.mjs')] },
      { title: 'source folder READMEs', cmd: process.execPath, args: [join(root, 'scripts', 'check-readmes.mjs')] },
      { title: 'typecheck (tsc)', cmd: bin('tsc'), args: ['-p', 'tsconfig.json', '--noEmit', ...incremental('main')] },
      { title: 'typecheck renderer (tsc)', cmd: bin('tsc'), args: ['-p', 'src-renderer/tsconfig.json', '--noEmit', ...incremental('renderer')] },
      { title: 'build', cmd: process.execPath, args: [join(root, 'scripts', 'build.mjs')] },
    ],
  );
  // Vitest keeps the modules it transformed on disk between runs too (node_modules/.experimental-vitest-cache/,
  // keyed by content and configuration): a second run skips most of each file's import.
  if (quick) step('tests (vitest: unit, integration)', bin('vitest'), ['run', '--experimental.fsModuleCache', '--no-isolate', '--maxWorkers=3', ...(filters.length ? filters : ['test/unit', 'test/integration'])]);
  else step('tests (vitest: unit, integration, faults, e2e)', bin('vitest'), ['run', ...filters]);
  console.log(`\n[test] all passed (${cost(t00, cpu00)})`);
}
