/**
 * The resumable uploader against the sandbox over mutual TLS: an upload cut mid-way resumes where
 * the server says it stopped (after a client failure and after the sandbox itself was restarted),
 * a 100 MB document goes up a chunk at a time, and a local file that is not what its hash says is
 * a permanent error (also when the whole document is one chunk, sent with the document's own hash).
 */
import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkedUploader, MemoryUploadStateStore, openFileSource, type DocumentSource } from '../../../src-main/sync/uploader.js';
import { bytesSource, caught, sha256, startGatewayRig, type GatewayRig } from '../../support/gateway.js';

let rig: GatewayRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const CHUNK = 64 * 1024;

describe('resumable chunked upload', () => {
  it('resumes after a connection reset mid-upload, sending only what the server lacks', async () => {
    rig = await startGatewayRig();
    const doc = randomBytes(20 * CHUNK + 123);
    const store = new MemoryUploadStateStore();
    const uploader = new ChunkedUploader(rig.client(), store, { chunkSize: CHUNK, parallel: 1 });
    // Seven chunks go through; the 8th chunk's connection is cut before the server reads it.
    let sent = 0;
    const client = rig.client();
    const flaky: DocumentSource = {
      ...bytesSource(doc),
      read: async (o, l) => {
        // Three times: a chunk whose connection is lost is sent again when the server says it
        // lacks it, twice at most; the third loss fails the upload.
        if (++sent === 8) await rig!.admin.setFaults({ rules: [{ endpoint: 'chunk', kind: 'reset', when: 'before', times: 3 }] });
        return doc.subarray(o, o + l);
      },
    };
    const first = new ChunkedUploader(client, store, { chunkSize: CHUNK, parallel: 1 });
    const e = await caught(first.upload({ sha256: sha256(doc), size: doc.byteLength }, () => Promise.resolve(flaky)));
    expect(e).toMatchObject({ code: 'GATEWAY_CONNECTION_LOST', retryable: true });
    expect(store.load(sha256(doc))).toMatchObject({ chunksConfirmed: 7, complete: false });

    const again = await uploader.upload({ sha256: sha256(doc), size: doc.byteLength }, () => Promise.resolve(bytesSource(doc)));
    expect(again).toMatchObject({ chunksAlreadyThere: 7, chunksSent: 21 - 7, alreadyComplete: false });
    expect(store.load(sha256(doc))).toMatchObject({ complete: true, chunksConfirmed: 21 });
    // Complete: the next call costs no request at all, and with recheck one question.
    expect(await uploader.upload({ sha256: sha256(doc), size: doc.byteLength }, () => Promise.reject(new Error('not opened')))).toMatchObject({ alreadyComplete: true, chunksSent: 0 });
    expect(await uploader.upload({ sha256: sha256(doc), size: doc.byteLength }, () => Promise.reject(new Error('not opened')), { recheck: true })).toMatchObject({ alreadyComplete: true });
  });

  it('rides over a sandbox restart mid-upload, and resumes after the sandbox was down', async () => {
    rig = await startGatewayRig();
    const doc = randomBytes(30 * CHUNK);
    const store = new MemoryUploadStateStore();
    let reads = 0;
    // A restart between two chunks: the kept-alive connection is dead, the next chunk goes on a new one.
    const restarting: DocumentSource = {
      ...bytesSource(doc),
      read: async (o, l) => {
        if (++reads === 12) await rig!.restart();
        return doc.subarray(o, o + l);
      },
    };
    const out = await new ChunkedUploader(rig.client(), store, { chunkSize: CHUNK, parallel: 1 }).upload({ sha256: sha256(doc), size: doc.byteLength }, () => Promise.resolve(restarting));
    expect(out).toMatchObject({ chunksSent: 30, alreadyComplete: false });

    // The backend goes down mid-upload: the upload fails (retryable) and, once the backend is
    // back, a new uploader (a restarted workstation with the store it kept) sends only the rest.
    const doc2 = randomBytes(30 * CHUNK);
    reads = 0;
    const stopping: DocumentSource = {
      ...bytesSource(doc2),
      read: async (o, l) => {
        if (++reads === 12) await rig!.stop();
        return doc2.subarray(o, o + l);
      },
    };
    const e = await caught(new ChunkedUploader(rig.client(), store, { chunkSize: CHUNK, parallel: 1 }).upload({ sha256: sha256(doc2), size: doc2.byteLength }, () => Promise.resolve(stopping)));
    expect(e).toMatchObject({ code: 'GATEWAY_UNREACHABLE', retryable: true });
    expect(store.load(sha256(doc2))).toMatchObject({ chunksConfirmed: 11, complete: false });
    await rig.start();
    const resumed = await new ChunkedUploader(rig.client(), store, { chunkSize: CHUNK, parallel: 2 }).upload({ sha256: sha256(doc2), size: doc2.byteLength }, () => Promise.resolve(bytesSource(doc2)));
    expect(resumed).toMatchObject({ chunksAlreadyThere: 11, chunksSent: 19 });
    expect((await rig.admin.stats()).documents).toBe(2);
  });

  it('sends a 100 MB document a chunk at a time, never reading more than one chunk per call', async () => {
    rig = await startGatewayRig();
    const file = join(tmpdir(), `qab-100mb-${process.pid}.bin`);
    const fh = await open(file, 'w');
    const block = randomBytes(1024 * 1024);
    for (let i = 0; i < 100; i++) {
      block[0] = i;
      await fh.write(block);
    }
    await fh.close();
    try {
      const src = await openFileSource(file);
      const { createHash } = await import('node:crypto');
      const h = createHash('sha256');
      for (let o = 0; o < src.size; o += 1024 * 1024) h.update(await src.read(o, 1024 * 1024));
      await src.close();
      const sha = h.digest('hex');
      let biggest = 0;
      let peak = 0;
      const base = process.memoryUsage().arrayBuffers;
      const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers - base)), 20);
      const uploader = new ChunkedUploader(rig.client(), new MemoryUploadStateStore(), { chunkSize: 1024 * 1024, parallel: 2 });
      const out = await uploader.upload({ sha256: sha, size: 100 * 1024 * 1024 }, async () => {
        const s = await openFileSource(file);
        return { ...s, size: s.size, read: (o: number, l: number) => ((biggest = Math.max(biggest, l)), s.read(o, l)), close: () => s.close() };
      });
      clearInterval(sample);
      expect(out.chunksSent).toBe(100);
      expect(biggest).toBe(1024 * 1024);
      // Client and server share this process: a few chunks in flight each way, never 100 MB.
      expect(peak).toBeLessThan(40 * 1024 * 1024);
      expect((await rig.client().uploadState(sha))!.complete).toBe(true);
    } finally {
      await rm(file, { force: true });
    }
  }, 120_000);

  it('a chunk whose answer the line lost is not sent again when the server has it', async () => {
    rig = await startGatewayRig();
    const doc = randomBytes(6 * CHUNK);
    // The server takes the 3rd and 5th chunks, then the connection goes before the answer.
    let puts = 0;
    const client = rig.client();
    const counting = {
      startUpload: client.startUpload.bind(client),
      completeUpload: client.completeUpload.bind(client),
      putChunk: async (sha: string, index: number, bytes: Buffer, chunkSha?: string) => {
        puts++;
        if (index === 2 || index === 4) await rig!.admin.setFaults({ rules: [{ endpoint: 'chunk', kind: 'reset', when: 'after', times: 1 }] });
        return client.putChunk(sha, index, bytes, chunkSha);
      },
    };
    const out = await new ChunkedUploader(counting, new MemoryUploadStateStore(), { chunkSize: CHUNK, parallel: 1 }).upload({ sha256: sha256(doc), size: doc.byteLength }, () => Promise.resolve(bytesSource(doc)));
    expect(out).toMatchObject({ chunksSent: 6, alreadyComplete: false });
    // Each chunk went once: the server was asked about the two whose answers were lost.
    expect(puts).toBe(6);
    expect((await rig.admin.stats()).chunksReceived).toBe(6);
    expect((await rig.client().uploadState(sha256(doc)))!.complete).toBe(true);
  });

  it('a local file that is not what its hash says is a permanent error, once the server has checked', async () => {
    rig = await startGatewayRig();
    const doc = randomBytes(3 * CHUNK);
    const damaged = Buffer.from(doc);
    damaged[CHUNK + 5] = damaged[CHUNK + 5]! ^ 0x01;
    const uploader = new ChunkedUploader(rig.client(), new MemoryUploadStateStore(), { chunkSize: CHUNK });
    const e = await caught(uploader.upload({ sha256: sha256(doc), size: doc.byteLength }, () => Promise.resolve(bytesSource(damaged))));
    expect(e).toMatchObject({ code: 'GATEWAY_LOCAL_DOCUMENT_CORRUPT', retryable: false });
    // The server dropped the bad chunks; the right bytes then go through.
    expect((await rig.client().uploadState(sha256(doc)))!.receivedChunks).toEqual([]);
    expect(await uploader.upload({ sha256: sha256(doc), size: doc.byteLength }, () => Promise.resolve(bytesSource(doc)))).toMatchObject({ chunksSent: 3 });
    const short = await caught(uploader.upload({ sha256: sha256(Buffer.from('x')), size: 10 }, () => Promise.resolve(bytesSource(Buffer.from('x')))));
    expect(short).toMatchObject({ code: 'GATEWAY_LOCAL_DOCUMENT_CORRUPT' });
  });

  it('a document sent as one chunk goes with its own hash: a local file not matching it is a permanent error, a chunk damaged in transit goes again', async () => {
    rig = await startGatewayRig();
    const doc = randomBytes(CHUNK - 100);
    const damaged = Buffer.from(doc);
    damaged[7] = damaged[7]! ^ 0x01;
    const uploader = new ChunkedUploader(rig.client(), new MemoryUploadStateStore(), { chunkSize: CHUNK });
    // The chunk is the whole document: the server refuses it under the document's hash, and the
    // bytes, hashed then, are not what the name says.
    const e = await caught(uploader.upload({ sha256: sha256(doc), size: doc.byteLength }, () => Promise.resolve(bytesSource(damaged))));
    expect(e).toMatchObject({ code: 'GATEWAY_LOCAL_DOCUMENT_CORRUPT', retryable: false });
    expect((await rig.client().uploadState(sha256(doc)))!.receivedChunks).toEqual([]);

    // Damaged on the way (the server's hash differs once, the bytes are right): sent again, and complete.
    const client = rig.client();
    let puts = 0;
    const lossy = {
      startUpload: client.startUpload.bind(client),
      completeUpload: client.completeUpload.bind(client),
      putChunk: (sha: string, index: number, bytes: Buffer, chunkSha?: string) => {
        puts++;
        if (puts === 1) {
          const flipped = Buffer.from(bytes);
          flipped[0] = flipped[0]! ^ 0x01;
          return client.putChunk(sha, index, flipped, chunkSha);
        }
        return client.putChunk(sha, index, bytes, chunkSha);
      },
    };
    const out = await new ChunkedUploader(lossy, new MemoryUploadStateStore(), { chunkSize: CHUNK }).upload({ sha256: sha256(doc), size: doc.byteLength }, () => Promise.resolve(bytesSource(doc)));
    expect(out).toMatchObject({ chunksSent: 1, alreadyComplete: false });
    expect(puts).toBe(2);
    expect((await rig.client().uploadState(sha256(doc)))!.complete).toBe(true);
  });
});
