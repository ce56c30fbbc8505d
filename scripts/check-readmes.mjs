#!/usr/bin/env node
// @ts-check
/**
 * Every source folder has a README.md saying what it owns, what it may import and its public API
 * (`npm run lint:readmes`, a step of `npm test` and `npm run test:quick`). A source folder is one
 * that holds code files itself; folders of data only (the translations' language folders, static
 * files) are covered by their parent's README.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
/** The source trees (test/, bench/ and scripts/ are described in docs/development.md). */
const DIRS = ['src-main', 'src-renderer', 'sandbox', 'native/node-sane/src', 'native/node-sane/lib'];
const CODE = /\.(ts|tsx|mts|js|mjs|cjs|cc|h)$/;

/** Folders under `base` (default: this repository) that hold code and have no README.md. */
export function missingReadmes(base = root) {
  /** @type {string[]} */
  const missing = [];
  const visit = (/** @type {string} */ dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.isFile() && CODE.test(e.name)) && !existsSync(join(dir, 'README.md'))) missing.push(relative(base, dir).split('\\').join('/'));
    for (const e of entries) if (e.isDirectory() && e.name !== 'node_modules' && e.name !== 'build') visit(join(dir, e.name));
  };
  for (const d of DIRS) visit(join(base, d));
  return missing;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const missing = missingReadmes();
  for (const m of missing) console.error(`[readmes] ${m}/ holds code but no README.md (what it owns, what it may import, its public API)`);
  if (missing.length) process.exit(1);
  console.log('[readmes] every source folder has a README.md');
}
