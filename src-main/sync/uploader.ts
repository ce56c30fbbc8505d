/**
 * The resumable chunked uploader: sends a document to the backend in chunks, each with its
 * SHA-256, after asking the server what it already has, and asks the server to check the whole
 * document's SHA-256 at the end (docs/gateway-protocol.md, "Documents").
 *
 *  - Constant memory: at most `parallel` chunks (default 2 × 1 MiB) are in memory at once, read
 *    from a DocumentSource at their offsets; a 100 MB scan is never loaded whole.
 *  - Resumable: after a failure, a restart of the workstation or of the server, the next call asks
 *    the server (the authority on what it has) and sends only the missing chunks. The local
 *    UploadStateStore remembers progress, so a document the server confirmed complete is not asked
 *    about again (unless `recheck`), and the UI can show progress without a network call.
 *  - Errors: what the server rejects is a GatewayError (typed retryable or permanent); a local
 *    file that does not match its own SHA-256 is GATEWAY_LOCAL_DOCUMENT_CORRUPT (permanent).
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { AppError } from '../contract/errors.js';
import type { Logger } from '../host/logger-types.js';
import type { UploadProgress } from '../db/repos/upload-progress.js';
import { GatewayError, type DocumentState, type GatewayClient } from '../gateway/gateway-client.js';
import { readAt } from '../runtime/read-at.js';

/** Random access to one document's bytes. */
export interface DocumentSource {
  readonly size: number;
  /** Reads `length` bytes at `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** Opens a file as a DocumentSource (for the content store: `openFileSource(files.pathOf(sha256))`). */
export async function openFileSource(path: string): Promise<DocumentSource> {
  const fh = await open(path, 'r');
  const { size } = await fh.stat();
  return {
    size,
    read: (offset, length) => readAt(fh, offset, length),
    close: () => fh.close(),
  };
}

/** What the workstation last knew about one document's upload. */
export type { UploadProgress };

/**
 * Where upload progress is kept between attempts and restarts. The store's implementation lives
 * with the database (a SQLite table keyed by sha256); MemoryUploadStateStore is for tests and
 * for a workstation without one. Calls are synchronous (better-sqlite3 is); `save` must be
 * durable before it returns if the store claims to survive a crash.
 */
export interface UploadStateStore {
  load(sha256: string): UploadProgress | null;
  save(progress: UploadProgress): void;
}

export class MemoryUploadStateStore implements UploadStateStore {
  private readonly map = new Map<string, UploadProgress>();
  load(sha256: string): UploadProgress | null {
    const p = this.map.get(sha256);
    return p ? { ...p } : null;
  }
  save(progress: UploadProgress): void {
    this.map.set(progress.sha256, { ...progress });
  }
}

export interface UploadOptions {
  /** Ask the server even when the local store says complete (after DOCUMENT_MISSING at submit). */
  recheck?: boolean;
  onProgress?: (p: { sha256: string; size: number; bytesConfirmed: number }) => void;
}

export interface UploadOutcome {
  sha256: string;
  size: number;
  /** Chunks sent in this call. */
  chunksSent: number;
  bytesSent: number;
  /** Chunks the server already had when this call started (a resumed upload). */
  chunksAlreadyThere: number;
  /** Complete before this call (locally known, or the server had the whole document). */
  alreadyComplete: boolean;
}

export interface UploaderOptions {
  /** Chunk size for new uploads (default 1 MiB; the server accepts 16 KiB to 8 MiB), or a function of the document's size. */
  chunkSize?: number | ((size: number) => number);
  /** Chunks in flight at once (default 2). */
  parallel?: number;
  log?: Logger;
}

type UploadClient = Pick<GatewayClient, 'startUpload' | 'putChunk' | 'completeUpload'>;

export class ChunkedUploader {
  private readonly chunkSize: (size: number) => number;
  private readonly parallel: number;

  constructor(
    private readonly client: UploadClient,
    private readonly store: UploadStateStore,
    opts: UploaderOptions = {},
  ) {
    const size = opts.chunkSize ?? 1024 * 1024;
    this.chunkSize = typeof size === 'function' ? size : () => size;
    this.parallel = Math.max(1, opts.parallel ?? 2);
    this.log = opts.log ?? null;
  }

  private readonly log: Logger | null;

  /** Uploads one document (idempotent: a complete document costs nothing, or one question with `recheck`). */
  async upload(doc: { sha256: string; size: number }, openSource: () => Promise<DocumentSource>, opts: UploadOptions = {}): Promise<UploadOutcome> {
    const local = this.store.load(doc.sha256);
    const outcome: UploadOutcome = { sha256: doc.sha256, size: doc.size, chunksSent: 0, bytesSent: 0, chunksAlreadyThere: 0, alreadyComplete: false };
    if (local?.complete && local.size === doc.size && !opts.recheck) return { ...outcome, alreadyComplete: true };

    // The file opens while the server answers (a round trip saved per document); closed unused
    // when the server already has the document or does not answer.
    const opening = openSource();
    opening.catch(() => {}); // its failure is met below, where it is awaited
    const unused = () => void opening.then((s) => s.close(), () => {});
    let state: DocumentState;
    try {
      state = await this.client.startUpload({ sha256: doc.sha256, size: doc.size, chunkSize: local?.chunkSize ?? this.chunkSize(doc.size) });
    } catch (e) {
      unused();
      throw e;
    }
    outcome.chunksAlreadyThere = state.receivedChunks.length;
    if (state.complete) {
      unused();
      this.record(state);
      return { ...outcome, alreadyComplete: true };
    }
    const source = await opening;
    try {
      if (source.size !== doc.size) throw new GatewayError('GATEWAY_LOCAL_DOCUMENT_CORRUPT', {}, null, { detail: 'size differs' });
      // Chunks, then the check of the whole; the server may report chunks missing (lost after a
      // crash of its own): send those and ask again, a bounded number of times.
      for (let round = 0; ; round++) {
        await this.sendMissing(doc, state, source, outcome, opts);
        try {
          state = await this.client.completeUpload(doc.sha256);
          this.record(state);
          return outcome;
        } catch (e) {
          if (e instanceof GatewayError && e.code === 'GATEWAY_UPLOAD_INCOMPLETE' && round < 3) {
            state = await this.client.startUpload({ sha256: doc.sha256, size: doc.size, chunkSize: state.chunkSize });
            continue;
          }
          if (e instanceof GatewayError && e.code === 'GATEWAY_DOCUMENT_HASH_MISMATCH') {
            // The server dropped its chunks. If our own file is not what its name says, no retry can help.
            if ((await this.hashSource(source, state.chunkSize)) !== doc.sha256) {
              throw new GatewayError('GATEWAY_LOCAL_DOCUMENT_CORRUPT', {}, null, { detail: 'local file does not match its hash' });
            }
            this.store.save({ sha256: doc.sha256, size: doc.size, chunkSize: state.chunkSize, chunksConfirmed: 0, complete: false });
          }
          throw e;
        }
      }
    } finally {
      await source.close();
    }
  }

  private record(state: DocumentState): void {
    this.store.save({ sha256: state.sha256, size: state.size, chunkSize: state.chunkSize, chunksConfirmed: state.complete ? state.chunkCount : state.receivedChunks.length, complete: state.complete });
  }

  private async sendMissing(doc: { sha256: string; size: number }, state: DocumentState, source: DocumentSource, outcome: UploadOutcome, opts: UploadOptions): Promise<void> {
    const have = new Set(state.receivedChunks);
    const missing: number[] = [];
    for (let i = 0; i < state.chunkCount; i++) if (!have.has(i)) missing.push(i);
    let confirmed = have.size;
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (!failed && next < missing.length) {
        const index = missing[next++]!;
        const offset = index * state.chunkSize;
        const length = Math.min(state.chunkSize, doc.size - offset);
        const bytes = await source.read(offset, length);
        if (bytes.byteLength !== length) throw new GatewayError('GATEWAY_LOCAL_DOCUMENT_CORRUPT', {}, null, { detail: 'file shorter than its size' });
        await this.putWithRetry(doc, state.chunkSize, index, bytes);
        outcome.chunksSent++;
        outcome.bytesSent += length;
        confirmed++;
        this.store.save({ sha256: doc.sha256, size: doc.size, chunkSize: state.chunkSize, chunksConfirmed: confirmed, complete: false });
        opts.onProgress?.({ sha256: doc.sha256, size: doc.size, bytesConfirmed: Math.min(doc.size, confirmed * state.chunkSize) });
      }
    };
    // Every worker stops at the first failure, and all have stopped before the source is closed.
    const results = await Promise.allSettled(
      Array.from({ length: Math.min(this.parallel, missing.length) }, () =>
        worker().catch((e: unknown) => {
          failed = true;
          throw e;
        }),
      ),
    );
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /**
   * A chunk damaged in transit (the server's hash differs) is sent again, twice at most. A chunk
   * that is the whole document goes with the document's own SHA-256 (its name in the content
   * store, whose at-rest encryption authenticates the bytes): not hashed a second time. Should the
   * server find it differs, the bytes are hashed after all: a local file that is not what its name
   * says is GATEWAY_LOCAL_DOCUMENT_CORRUPT, not a chunk damaged in transit.
   *
   * A connection lost on the way (a line that drops) may have carried the whole chunk before it
   * went: the server is asked (one small question) and the chunk sent again only if it lacks it,
   * twice at most; a line still down then fails the upload as before.
   */
  private async putWithRetry(doc: { sha256: string; size: number }, chunkSize: number, index: number, bytes: Buffer): Promise<void> {
    const known = index === 0 && bytes.byteLength === doc.size ? doc.sha256 : undefined;
    for (let attempt = 0, lost = 0; ; attempt++) {
      try {
        await this.client.putChunk(doc.sha256, index, bytes, known);
        return;
      } catch (e) {
        if (e instanceof AppError && e.code === 'GATEWAY_CONNECTION_LOST' && lost++ < 2) {
          const state = await this.client.startUpload({ sha256: doc.sha256, size: doc.size, chunkSize });
          if (state.complete || state.receivedChunks.includes(index)) return;
          continue;
        }
        if (!(e instanceof GatewayError && e.code === 'GATEWAY_CHUNK_HASH_MISMATCH' && attempt < 2)) throw e;
        if (known !== undefined && createHash('sha256').update(bytes).digest('hex') !== known) {
          throw new GatewayError('GATEWAY_LOCAL_DOCUMENT_CORRUPT', {}, null, { detail: 'local file does not match its hash' });
        }
        this.log?.warn({ index, attempt }, 'chunk damaged in transit; sending it again');
      }
    }
  }

  private async hashSource(source: DocumentSource, chunkSize: number): Promise<string> {
    const h = createHash('sha256');
    for (let offset = 0; offset < source.size; offset += chunkSize) h.update(await source.read(offset, Math.min(chunkSize, source.size - offset)));
    return h.digest('hex');
  }
}
