#!/usr/bin/env node
/**
 * Electronegativity (@doyensec/electronegativity) over the Electron sources (src-main): fails on
 * any HIGH or MEDIUM finding that docs/security.md does not explain. An explanation is a row of
 * the table under "## Electronegativity findings" in docs/security.md:
 *
 *   | CHECK_NAME | file (relative to src-main) | why it does not apply / what the app does |
 *
 * Run by .ci/run (and by hand: `node scripts/electronegativity.mjs`). The Electron version is
 * taken from package.json (the tool cannot look it up offline).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The package's programmatic entry (its "main"): the same runner as its CLI, returning the findings
// instead of writing them. Its CLI's CSV file is written by two unordered asynchronous writes (the
// header truncates the file while the findings are appended), so reading that file back sometimes
// found a garbled first row; the returned objects have no such race and need no CSV parsing.
import runElectronegativity from '@doyensec/electronegativity';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const electronVersion = String(pkg.devDependencies?.electron ?? pkg.dependencies?.electron ?? '').replace(/^[^\d]*/, '');
const result = await runElectronegativity(
  {
    input: join(root, 'src-main'),
    output: undefined,
    isSarif: false,
    customScan: [],
    excludeFromScan: [],
    severitySet: undefined,
    confidenceSet: undefined,
    isRelative: true,
    isVerbose: false,
    electronUpgrade: undefined,
    electronVersionOverride: electronVersion || undefined,
    parserPlugins: [],
  },
  false,
);
for (const e of result.errors ?? []) {
  console.warn(`[electronegativity] ${e.tolerable ? 'warning' : 'could not parse'} ${e.file}: ${e.message}`);
}

/** @type {{ issue: string, severity: string, confidence: string, file: string, location: string }[]} */
const findings = (result.issues ?? [])
  .map((/** @type {any} */ i) => ({
    issue: String(i.id),
    severity: String(i.severity?.name ?? ''),
    confidence: String(i.confidence?.name ?? ''),
    file: String(i.file ?? 'N/A').replace(/\\/g, '/'),
    location: `${i.location?.line ?? 0}:${i.location?.column ?? 0}`,
  }))
  .filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');

const doc = readFileSync(join(root, 'docs', 'security.md'), 'utf8');
const section = doc.split(/^## Electronegativity findings\s*$/m)[1]?.split(/^## /m)[0] ?? '';
const explained = new Set(
  section
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l))
    .map((l) => l.split('|').map((c) => c.trim().replace(/^`|`$/g, '')))
    .filter((c) => c[3] && c[3].length > 20)
    .map((c) => `${c[1]} ${c[2]}`),
);

const unexplained = findings.filter((f) => !explained.has(`${f.issue} ${f.file}`));
for (const f of findings) {
  console.log(`[electronegativity] ${f.severity.padEnd(6)} ${f.issue} ${f.file}:${f.location} ${unexplained.includes(f) ? 'NOT EXPLAINED' : 'explained in docs/security.md'}`);
}
if (unexplained.length) {
  console.error(`[electronegativity] ${unexplained.length} high/medium finding(s) not explained in docs/security.md ("## Electronegativity findings")`);
  process.exit(1);
}
console.log(`[electronegativity] ${findings.length} high/medium finding(s), all explained`);
