/**
 * The layer boundaries (.dependency-cruiser.mjs, docs/architecture.md "Layers") catch a wrong
 * import: a small tree shaped like ours, with violations planted, is cruised with the project's
 * own rules by the real dependency-cruiser CLI; the same tree without them passes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A tree with our folder layout: each file imports what `files` says. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'qab-boundaries-'));
  dirs.push(dir);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true } }),
  );
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return dir;
}

const CLEAN: Record<string, string> = {
  'src-main/contract/errors.ts': 'export const CODES = ["X"] as const;\n',
  'src-main/scan/faults.ts': 'import { CODES } from "../contract/errors.js";\nexport const F = CODES;\n',
  'src-main/host/logger-types.ts': 'export interface Logger { info(m: string): void }\n',
  'src-main/host/host.ts': 'import { F } from "../scan/faults.js";\nexport const H = F;\n',
  'src-main/requests/service.ts': 'import type { Logger } from "../host/logger-types.js";\nexport type L = Logger;\n',
  'src-renderer/App.tsx': 'import { CODES } from "../src-main/contract/errors.js";\nexport const A = CODES;\n',
};

function cruise(dir: string): { status: number | null; rules: string[]; stderr: string } {
  const r = spawnSync(
    join(root, 'node_modules', '.bin', 'depcruise'),
    ['src-main', 'src-renderer', '--config', join(root, '.dependency-cruiser.mjs'), '--no-cache', '--output-type', 'err'],
    // No colours: `npm test` sets FORCE_COLOR=1 for its steps, and the err reporter would then
    // wrap "error" in escape codes that the line pattern below does not match.
    { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } },
  );
  if (r.error) throw r.error;
  // The err reporter prints one `error <rule>: <from> → <to>` line per violation and exits non-zero.
  const stdout = stripVTControlCharacters(r.stdout);
  return { status: r.status, rules: [...new Set([...stdout.matchAll(/^\s*error ([a-z-]+):/gm)].map((m) => m[1]!))].sort(), stderr: `${r.signal ?? ''} ${r.stderr}\n${stdout}` };
}

describe('layer boundaries (dependency-cruiser)', () => {
  it('pass a tree whose imports follow the layers', () => {
    const r = cruise(tree(CLEAN));
    expect({ status: r.status, rules: r.rules }, r.stderr).toEqual({ status: 0, rules: [] });
  });

  it('fail on a planted violation of each kind, naming the rule', () => {
    const dir = tree({
      ...CLEAN,
      // The contract reaching into a service (what contract/operations.ts once did with scan/faults).
      'src-main/contract/operations.ts': 'import { F } from "../scan/faults.js";\nexport const O = F;\n',
      // A service reaching into the composition root.
      'src-main/requests/uses-host.ts': 'import { H } from "../host/host.js";\nexport const U = H;\n',
      // The renderer importing main-process code.
      'src-renderer/screens/Bad.tsx': 'import { H } from "../../src-main/host/host.js";\nexport const B = H;\n',
      // The store knowing a service above it.
      'src-main/files/reconcile.ts': 'import type { L } from "../requests/service.js";\nexport type R = L;\n',
    });
    const r = cruise(dir);
    expect(r.status).not.toBe(0);
    expect(r.rules, r.stderr).toEqual(
      expect.arrayContaining(['contract-only-zod', 'services-not-to-host', 'renderer-only-contract', 'storage-points-down']),
    );
  });

  it('fail on an import cycle', () => {
    const r = cruise(
      tree({
        ...CLEAN,
        'src-main/requests/a.ts': 'import { B } from "./b.js";\nexport const A = () => B;\n',
        'src-main/requests/b.ts': 'import { A } from "./a.js";\nexport const B = () => A;\n',
      }),
    );
    expect(r.status).not.toBe(0);
    expect(r.rules, r.stderr).toContain('no-circular');
  });
});
