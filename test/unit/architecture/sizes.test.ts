/** The file-size check (scripts/check-sizes.mjs) fails on a long file and on a listed one that grew. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without declarations
import { sizeProblems } from '../../../scripts/check-sizes.mjs';

const check = sizeProblems as (base: string, oversize?: Record<string, number>) => string[];
const dir = mkdtempSync(join(tmpdir(), 'qab-sizes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lines = (n: number) => Array.from({ length: n }, (_, i) => `export const x${i} = ${i};`).join('\n') + '\n';

describe('file sizes', () => {
  it('pass files of 400 lines, fail one of 401 naming it, and hold a listed file to its size', () => {
    mkdirSync(join(dir, 'src-main', 'a'), { recursive: true });
    writeFileSync(join(dir, 'src-main', 'a', 'ok.ts'), lines(400));
    expect(check(dir, {})).toEqual([]);
    writeFileSync(join(dir, 'src-main', 'a', 'long.ts'), lines(401));
    expect(check(dir, {})).toEqual([expect.stringContaining('src-main/a/long.ts: 401 lines')]);
    expect(check(dir, { 'src-main/a/long.ts': 401 })).toEqual([]);
    expect(check(dir, { 'src-main/a/long.ts': 420 })).toEqual([]);
    writeFileSync(join(dir, 'src-main', 'a', 'long.ts'), lines(421));
    expect(check(dir, { 'src-main/a/long.ts': 420 })).toEqual([expect.stringContaining('more than its 420')]);
  });
});
