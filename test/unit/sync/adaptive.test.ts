/**
 * Uploads fitted to the line (src-main/sync/adaptive.ts): before the line is measured, ONE upload
 * measures it with small chunks and the others wait for its first confirmed chunk, so they start
 * with chunks sized for the line (an upload keeps its chunk size for good).
 */
import { describe, expect, it } from 'vitest';
import { AdaptiveUploads } from '../../../src-main/sync/adaptive.js';

const tick = () => new Promise((r) => setImmediate(r));

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('AdaptiveUploads.measured', () => {
  it('lets one upload measure a fresh line; the others start after its first chunk, with chunks fitted to the line', async () => {
    let now = 0;
    const a = new AdaptiveUploads({ now: () => now, maxChunkBytes: 1024 * 1024, initialLimit: 2 });
    const chunkSizes: number[] = [];
    const first = deferred();
    const measuring = a.measured(async () => {
      chunkSizes.push(a.chunkBytes());
      await first.promise;
    });
    let secondStarted = false;
    const second = a.measured(() => {
      secondStarted = true;
      chunkSizes.push(a.chunkBytes());
      return Promise.resolve();
    });
    await tick();
    expect(secondStarted).toBe(false);
    // The measuring upload's first 64 KiB chunk came back in 2 ms: a fast line.
    now = 2;
    a.confirmed(64 * 1024, 2);
    await second;
    expect(secondStarted).toBe(true);
    first.resolve();
    await measuring;
    expect(chunkSizes).toEqual([64 * 1024, 1024 * 1024]);
    // Measured once: later uploads do not wait.
    let third = false;
    await a.measured(() => {
      third = true;
      return Promise.resolve();
    });
    expect(third).toBe(true);
  });

  it('hands the measuring over when the measuring upload ends without a confirmed chunk (a drop, a document already there)', async () => {
    const a = new AdaptiveUploads({ now: () => 0, maxChunkBytes: 1024 * 1024, initialLimit: 2 });
    const first = deferred();
    const failing = a.measured(() => first.promise);
    const order: string[] = [];
    const b = a.measured(() => Promise.resolve(void order.push('b')));
    const c = a.measured(() => Promise.resolve(void order.push('c')));
    await tick();
    expect(order).toEqual([]);
    first.reject(new Error('connection lost'));
    await expect(failing).rejects.toThrow('connection lost');
    await Promise.all([b, c]);
    // b measured (the line still unknown), then c went.
    expect(order).toEqual(['b', 'c']);
  });
});
