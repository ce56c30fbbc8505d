/**
 * Worker bundles from the sources (node_modules/.workers/) are pruned without pulling one from
 * under a process that may load it: those unused for a day go, a bundle is marked in use right
 * before each worker starts, and one pruned while its process left it unused is written again
 * before that process's next worker. Real files in a temporary folder; the real worker bundle of
 * the store, started as a worker (it answers a ping) after its file was deleted.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_MAX_AGE_MS, bundleFromSource, placeBundle, pruneBundles } from '../../../src-main/runtime/worker-bundles.js';

const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'qab-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, ageMs: number, now: number): string {
  const f = join(dir, name);
  writeFileSync(f, `// ${name}\n`);
  const t = new Date(now - ageMs);
  utimesSync(f, t, t);
  return f;
}

describe('worker bundles', () => {
  it('prunes bundles and leftovers unused for a day; keeps recent ones, whatever their age order, and other files', () => {
    const now = Date.now();
    file('papers-worker-0000000000000001.mjs', 2 * BUNDLE_MAX_AGE_MS, now);
    file('papers-worker-0000000000000002.mjs', 2 * HOUR, now); // an older version a running test still uses
    file('papers-worker-0000000000000003.mjs', 0, now);
    file('store-worker-00000000000000aa.mjs.4242.tmp', BUNDLE_MAX_AGE_MS + HOUR, now);
    file('notes.txt', 3 * BUNDLE_MAX_AGE_MS, now);
    expect(pruneBundles(dir, now).sort()).toEqual(['papers-worker-0000000000000001.mjs', 'store-worker-00000000000000aa.mjs.4242.tmp']);
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'papers-worker-0000000000000002.mjs', 'papers-worker-0000000000000003.mjs']);
  });

  it('a bundle placed for a worker is marked in use, so a prune right after leaves it', () => {
    const now = Date.now();
    const f = file('store-worker-00000000000000bb.mjs', 3 * BUNDLE_MAX_AGE_MS, now);
    expect(placeBundle({ file: f, code: readFileSync(f) }, new Date(now))).toBe(true);
    expect(pruneBundles(dir, now + HOUR)).not.toContain('store-worker-00000000000000bb.mjs');
    expect(existsSync(f)).toBe(true);
  });

  it('a new bundle written prunes the old ones; one pruned under its process is written again, same content', () => {
    const now = Date.now();
    const old = file('papers-worker-00000000000000cc.mjs', 2 * BUNDLE_MAX_AGE_MS, now);
    const code = new TextEncoder().encode('export const v = 1;\n');
    const fresh = { file: join(dir, 'papers-worker-00000000000000dd.mjs'), code };
    expect(placeBundle(fresh, new Date(now))).toBe(true);
    expect(existsSync(old)).toBe(false);
    expect(readFileSync(fresh.file, 'utf8')).toBe('export const v = 1;\n');
    // Another process pruned it (this one left it unused for over a day): the next placement writes it back.
    unlinkSync(fresh.file);
    expect(placeBundle(fresh, new Date(now + 2 * BUNDLE_MAX_AGE_MS))).toBe(true);
    expect(readFileSync(fresh.file, 'utf8')).toBe('export const v = 1;\n');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('the store worker starts from its bundle after the file was deleted under this process', async () => {
    const caller = new URL('../../../src-main/db/worker-client.ts', import.meta.url).href;
    const first = bundleFromSource(caller, './worker.ts', 'store-worker.js');
    expect(first).toMatch(/node_modules\/\.workers\/store-worker-[0-9a-f]{16}\.mjs$/);
    const made = statSync(first!).mtimeMs;
    unlinkSync(first!);
    const again = bundleFromSource(caller, './worker.ts', 'store-worker.js');
    expect(again).toBe(first);
    expect(statSync(again!).mtimeMs).toBeGreaterThanOrEqual(made);
    // It loads and answers (a ping: no store is opened).
    const w = new Worker(again!);
    try {
      const answer = await new Promise<unknown>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
        w.postMessage({ id: 1, msg: { op: 'ping' } });
      });
      expect(answer).toEqual({ id: 1, ok: true, value: 'pong' });
    } finally {
      await w.terminate();
    }
  });
});
