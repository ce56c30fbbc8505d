#!/usr/bin/env node
// @ts-check
/**
 * `npm test`: set-up (as `npm start` does), then lint (ESLint, and the layer boundaries with
 * dependency-cruiser), typecheck, build, and every test layer
 * (unit, integration, faults, end-to-end in Chromium) through Vitest. Stops at the first failing
 * step and exits non-zero.
 *
 *   npm test                  everything
 *   npm test -- <filter>      only test files matching <filter> (after lint, typecheck, build)
 *   npm run test:quick        the inner loop: the same checks, then unit and integration tests only
 */
import { spawnSync } from 'node:child_process';
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
  step('lint (eslint)', bin('eslint'), ['.', '--max-warnings=0', ...(quick ? ['--cache', '--cache-strategy', 'content', '--cache-location', `${CACHE}/eslint/`] : [])]);
  // The layer rules of docs/architecture.md over the import graph (.dependency-cruiser.mjs).
  step('layer boundaries (dependency-cruiser)', 'npm', ['run', '-s', 'lint:boundaries']);
  step('file sizes', process.execPath, [join(root, 'scripts', 'check-sizes.mjs')]);
  const incremental = (/** @type {string} */ name) => (quick ? ['--incremental', '--tsBuildInfoFile', `${CACHE}/tsc/${name}.tsbuildinfo`] : []);
  step('typecheck (tsc)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit', ...incremental('main')]);
  step('typecheck renderer (tsc)', bin('tsc'), ['-p', 'src-renderer/tsconfig.json', '--noEmit', ...incremental('renderer')]);
  step('build', process.execPath, [join(root, 'scripts', 'build.mjs')]);
  // Vitest keeps the modules it transformed on disk between runs too (node_modules/.experimental-vitest-cache/,
  // keyed by content and configuration): a second run skips most of each file's import.
  if (quick) step('tests (vitest: unit, integration)', bin('vitest'), ['run', '--experimental.fsModuleCache', ...(filters.length ? filters : ['test/unit', 'test/integration'])]);
  else step('tests (vitest: unit, integration, faults, e2e)', bin('vitest'), ['run', ...filters]);
  console.log(`\n[test] all passed (${cost(t00, cpu00)})`);
}
