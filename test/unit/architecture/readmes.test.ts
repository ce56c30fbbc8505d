/** The README check (scripts/check-readmes.mjs): every folder holding code has a README.md. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without declarations
import { missingReadmes } from '../../../scripts/check-readmes.mjs';

const missing = missingReadmes as (base?: string) => string[];
const dir = mkdtempSync(join(tmpdir(), 'qab-readmes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('source folder READMEs', () => {
  it('names a folder of code without a README, and passes folders of data only', () => {
    mkdirSync(join(dir, 'src-main', 'a', 'b'), { recursive: true });
    mkdirSync(join(dir, 'src-renderer', 'i18n', 'kk'), { recursive: true });
    writeFileSync(join(dir, 'src-main', 'README.md'), '# src-main\n');
    writeFileSync(join(dir, 'src-main', 'main.ts'), 'export {};\n');
    writeFileSync(join(dir, 'src-main', 'a', 'x.ts'), 'export {};\n');
    writeFileSync(join(dir, 'src-main', 'a', 'b', 'y.ts'), 'export {};\n');
    writeFileSync(join(dir, 'src-renderer', 'i18n', 'kk', 'common.json'), '{}\n');
    expect(missing(dir)).toEqual(['src-main/a', 'src-main/a/b']);
    writeFileSync(join(dir, 'src-main', 'a', 'README.md'), '# a\n');
    writeFileSync(join(dir, 'src-main', 'a', 'b', 'README.md'), '# b\n');
    expect(missing(dir)).toEqual([]);
  });

  it('holds for this repository', () => {
    expect(missing()).toEqual([]);
  });
});
