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
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const electronVersion = String(pkg.devDependencies?.electron ?? pkg.dependencies?.electron ?? '').replace(/^[^\d]*/, '');
const out = mkdtempSync(join(tmpdir(), 'qab-eneg-'));
const csv = join(out, 'findings.csv');
const bin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electronegativity.cmd' : 'electronegativity');
const run = spawnSync(bin, ['-i', join(root, 'src-main'), '-r', '-v', 'false', '-o', csv, ...(electronVersion ? ['-e', electronVersion] : [])], {
  cwd: root,
  encoding: 'utf8',
});
let text;
try {
  text = readFileSync(csv, 'utf8');
} catch {
  console.error(`[electronegativity] the tool wrote no findings file (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  process.exit(2);
} finally {
  rmSync(out, { recursive: true, force: true });
}

/** One CSV line of the tool's output: issue, severity, confidence, filename, location, sample, description, url. */
function parseLine(line) {
  const cells = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  cells.push(cur.trim());
  return cells;
}

const findings = text
  .split(/\r?\n/)
  .slice(1)
  .filter((l) => l.trim())
  .map(parseLine)
  .map(([issue, severity, confidence, file, location]) => ({ issue, severity, confidence, file: file.replace(/\\/g, '/'), location }))
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
