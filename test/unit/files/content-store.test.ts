import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContentStore } from '../../../src-main/files/content-store.js';

let root: string;
let store: ContentStore;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'qab-cs-'));
  store = new ContentStore(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('content store', () => {
  it('stores bytes under their SHA-256 and reads them back unchanged', async () => {
    const data = Buffer.from('scanned page bytes');
    const f = await store.put(data);
    expect(f.sha256).toBe(sha(data));
    expect(f.size).toBe(data.length);
    expect(await readFile(f.path)).toEqual(data);
    expect(await store.read(f.sha256)).toEqual(data);
  });

  it('is idempotent: storing the same content twice keeps one file', async () => {
    const data = Buffer.from('same');
    await store.put(data);
    await store.put(data);
    expect(await store.list()).toEqual([sha(data)]);
  });

  it('hashes a stream while writing it and leaves no temporary files behind', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(10_000, i));
    const whole = Buffer.concat(chunks);
    const f = await store.putStream(Readable.from(chunks));
    expect(f.sha256).toBe(sha(whole));
    expect(f.size).toBe(whole.length);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('refuses a path that is not a SHA-256', () => {
    expect(() => store.pathOf('../../etc/passwd')).toThrow(/FILE_BAD_HASH/);
  });
});
