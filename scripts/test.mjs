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
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, setup } from './setup.mjs';

const bin = (/** @type {string} */ name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

function step(/** @type {string} */ title, /** @type {string} */ cmd, /** @type {string[]} */ args) {
  const t0 = Date.now();
  console.log(`\n[test] ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
  if (r.status !== 0) {
    console.error(`[test] ${title} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
  console.log(`[test] ${title}: ok (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    setup('test');
  } catch (e) {
    console.error(`[test] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  const quick = process.argv.includes('--quick');
  const filters = process.argv.slice(2).filter((a) => a !== '--quick');
  // --quick (npm run test:quick): the inner loop. ESLint with its cache, the same checks and
  // typechecks, the build, then the unit and integration tests only (no fault, no end-to-end).
  step('lint (eslint)', bin('eslint'), ['.', '--max-warnings=0', ...(quick ? ['--cache', '--cache-location', 'node_modules/.cache/eslint/'] : [])]);
  // The layer rules of docs/architecture.md over the import graph (.dependency-cruiser.mjs).
  step('layer boundaries (dependency-cruiser)', 'npm', ['run', '-s', 'lint:boundaries']);
  step('file sizes', process.execPath, [join(root, 'scripts', 'check-sizes.mjs')]);
  step('typecheck (tsc)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  step('typecheck renderer (tsc)', bin('tsc'), ['-p', 'src-renderer/tsconfig.json', '--noEmit']);
  step('build', process.execPath, [join(root, 'scripts', 'build.mjs')]);
  if (quick) step('tests (vitest: unit, integration)', bin('vitest'), ['run', ...(filters.length ? filters : ['test/unit', 'test/integration'])]);
  else step('tests (vitest: unit, integration, faults, e2e)', bin('vitest'), ['run', ...filters]);
}
