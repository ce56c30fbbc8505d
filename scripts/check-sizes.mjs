#!/usr/bin/env node
// @ts-check
/**
 * No source file over 400 lines outside generated data and tests (`npm run lint:sizes`, a step
 * of `npm test` and `npm run test:quick`). Files still over the limit are listed below with their
 * size today: each may only shrink, and leaves the list once it is split. Counts every line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
export const MAX_FILE_LINES = 400;
/** Code lives here; test/, assets/ (data), dist/ and node_modules/ are not checked. */
const DIRS = ['src-main', 'src-renderer', 'sandbox', 'scripts', 'bench', 'native/node-sane/src', 'native/node-sane/lib'];
const CODE = /\.(ts|tsx|mts|js|mjs|cjs|cc|h|css)$/;
/** file → its lines today (to be split). Empty: every file is within the limit. */
const OVERSIZE = {};

/** @returns {string[]} */
function walk(/** @type {string} */ dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'build' ? [] : walk(p);
    return CODE.test(e.name) ? [p] : [];
  });
}

/** Problems for the files under `base` (default: this repository). */
export function sizeProblems(base = root, oversize = /** @type {Record<string, number>} */ (OVERSIZE)) {
  const problems = [];
  for (const file of DIRS.flatMap((d) => walk(join(base, d)))) {
    const rel = relative(base, file).split('\\').join('/');
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    const cap = oversize[rel] ?? MAX_FILE_LINES;
    if (lines > cap) {
      problems.push(
        rel in oversize
          ? `${rel}: ${lines} lines, more than its ${cap} when it was listed as too long: split it rather than grow it`
          : `${rel}: ${lines} lines (at most ${MAX_FILE_LINES}): split it by what its parts do`,
      );
    }
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const problems = sizeProblems();
  for (const p of problems) console.error(`[sizes] ${p}`);
  if (problems.length) process.exit(1);
  console.log(`[sizes] no file over ${MAX_FILE_LINES} lines (${Object.keys(OVERSIZE).length} listed ones capped at their size)`);
}
