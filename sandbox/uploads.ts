/**
 * Resumable chunked uploads of documents (protocol v1): start, state, chunks (each durable
 * before it is confirmed), and the assembly that checks the whole document's hash. Concurrent
 * completions of one document share one assembly.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SandboxDb } from './db.js';
import { HttpError, int, parseJsonObject, str, type Answer } from './http-util.js';
import { MAX_JSON, SHA, sha256, type BodyReader } from './protocol.js';

export const MIN_CHUNK = 16 * 1024;
export const MAX_CHUNK = 8 * 1024 * 1024;

interface DocRow {
  sha256: string;
  size: number;
  chunk_size: number;
  complete: number;
}

const chunkCount = (size: number, chunkSize: number) => Math.ceil(size / chunkSize);

export interface UploadOptions {
  dataDir: string;
  db: SandboxDb;
  now: () => Date;
  maxDocumentBytes: number;
}

export class Uploads {
  private readonly completing = new Map<string, Promise<Answer>>();

  constructor(
    private readonly o: UploadOptions,
    private readonly counters: { chunksReceived: number },
  ) {
    mkdirSync(join(o.dataDir, 'documents'), { recursive: true });
    mkdirSync(join(o.dataDir, 'uploads'), { recursive: true });
  }

  /** True while an assembly is under way. */
  get busy(): boolean {
    return this.completing.size > 0;
  }

  private get db() {
    return this.o.db;
  }

  private docState(sha: string): Answer['json'] {
    const doc = this.db.prepare('SELECT * FROM documents WHERE sha256 = ?').get(sha) as DocRow | undefined;
    if (!doc) throw new HttpError(404, 'UPLOAD_UNKNOWN', true);
    const received = doc.complete
      ? Array.from({ length: chunkCount(doc.size, doc.chunk_size) }, (_, i) => i)
      : (this.db.prepare('SELECT idx FROM chunks WHERE sha256 = ? ORDER BY idx').all(sha) as { idx: number }[]).map((r) => r.idx);
    return {
      sha256: doc.sha256,
      size: doc.size,
      chunkSize: doc.chunk_size,
      chunkCount: chunkCount(doc.size, doc.chunk_size),
      receivedChunks: received,
      complete: doc.complete === 1,
    };
  }

  async startUpload(read: BodyReader): Promise<Answer> {
    const body = parseJsonObject(await read(MAX_JSON));
    const sha = str(body.sha256, SHA, 'sha256');
    const size = int(body.size, 0, Number.MAX_SAFE_INTEGER, 'size');
    if (size > this.o.maxDocumentBytes) throw new HttpError(413, 'DOCUMENT_TOO_LARGE', false, { limit: this.o.maxDocumentBytes });
    const chunkSize = int(body.chunkSize, MIN_CHUNK, MAX_CHUNK, 'chunkSize');
    const existing = this.db.prepare('SELECT * FROM documents WHERE sha256 = ?').get(sha) as DocRow | undefined;
    if (existing && existing.size !== size) throw new HttpError(409, 'UPLOAD_CONFLICT', false, { field: 'size' });
    if (!existing) {
      this.db.prepare('INSERT OR IGNORE INTO documents (sha256, size, chunk_size, complete, created_at) VALUES (?, ?, ?, 0, ?)').run(sha, size, chunkSize, this.o.now().toISOString());
    }
    // An upload that exists keeps its chunk size: the client continues with the server's.
    return { status: existing ? 200 : 201, json: this.docState(sha) };
  }

  uploadState(sha: string): Answer {
    return { status: 200, json: this.docState(sha) };
  }

  async putChunk(read: BodyReader, chunkHash: unknown, sha: string, index: number): Promise<Answer> {
    const doc = this.db.prepare('SELECT * FROM documents WHERE sha256 = ?').get(sha) as DocRow | undefined;
    if (!doc) throw new HttpError(404, 'UPLOAD_UNKNOWN', true);
    const count = chunkCount(doc.size, doc.chunk_size);
    if (index >= count) {
      throw new HttpError(422, 'CHUNK_OUT_OF_RANGE', false, { chunkCount: count });
    }
    const expectedSize = Math.min(doc.chunk_size, doc.size - index * doc.chunk_size);
    const declaredHash = str(chunkHash, SHA, 'x-qabyldau-chunk-sha256');
    const bytes = await read(doc.chunk_size);
    if (bytes.byteLength !== expectedSize) throw new HttpError(422, 'CHUNK_SIZE_WRONG', false, { expected: expectedSize });
    const actual = sha256(bytes);
    if (actual !== declaredHash) throw new HttpError(422, 'CHUNK_HASH_MISMATCH', true);
    const answer = { status: 200, json: { sha256: sha, index, size: bytes.byteLength, chunkSha256: actual } };
    if (doc.complete) return answer;
    const have = this.db.prepare('SELECT chunk_sha256 FROM chunks WHERE sha256 = ? AND idx = ?').get(sha, index) as { chunk_sha256: string } | undefined;
    if (have?.chunk_sha256 === actual) return answer;
    // Durable before confirmed: temp file, fsync, rename, then the row.
    const dir = join(this.o.dataDir, 'uploads', sha);
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `${index}.${randomBytes(4).toString('hex')}.part`);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, String(index)));
    this.db.prepare('INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?)').run(sha, index, bytes.byteLength, actual);
    this.counters.chunksReceived++;
    return answer;
  }

  /** Assembles and checks the document; concurrent calls for one document share one assembly. */
  completeUpload(sha: string): Promise<Answer> {
    const running = this.completing.get(sha);
    if (running) return running;
    const p = this.assemble(sha).finally(() => this.completing.delete(sha));
    this.completing.set(sha, p);
    return p;
  }

  private async assemble(sha: string): Promise<Answer> {
    const doc = this.db.prepare('SELECT * FROM documents WHERE sha256 = ?').get(sha) as DocRow | undefined;
    if (!doc) throw new HttpError(404, 'UPLOAD_UNKNOWN', true);
    if (doc.complete) return { status: 200, json: this.docState(sha) };
    const count = chunkCount(doc.size, doc.chunk_size);
    const have = new Set((this.db.prepare('SELECT idx FROM chunks WHERE sha256 = ?').all(sha) as { idx: number }[]).map((r) => r.idx));
    const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !have.has(i));
    if (missing.length) throw new HttpError(409, 'UPLOAD_INCOMPLETE', true, { missingChunks: missing.slice(0, 1000) });
    // Assemble while hashing, streaming chunk by chunk (a 100 MB document never sits in memory).
    const dir = join(this.o.dataDir, 'uploads', sha);
    const tmp = join(this.o.dataDir, 'documents', `${sha}.${randomBytes(4).toString('hex')}.part`);
    const hash = createHash('sha256');
    const out = createWriteStream(tmp);
    for (let i = 0; i < count; i++) {
      for await (const c of createReadStream(join(dir, String(i)))) {
        hash.update(c as Buffer);
        if (!out.write(c)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
    }
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (hash.digest('hex') !== sha) {
      await rm(tmp, { force: true });
      this.db.prepare('DELETE FROM chunks WHERE sha256 = ?').run(sha);
      await rm(dir, { recursive: true, force: true });
      throw new HttpError(422, 'DOCUMENT_HASH_MISMATCH', true);
    }
    await rename(tmp, join(this.o.dataDir, 'documents', sha));
    this.db.transaction(() => {
      this.db.prepare('UPDATE documents SET complete = 1, completed_at = ? WHERE sha256 = ?').run(this.o.now().toISOString(), sha);
      this.db.prepare('DELETE FROM chunks WHERE sha256 = ?').run(sha);
    })();
    await rm(dir, { recursive: true, force: true });
    return { status: 200, json: this.docState(sha) };
  }
}
