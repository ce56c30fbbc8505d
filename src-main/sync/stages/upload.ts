/**
 * Stage 1, upload: exactly the documents the signed manifest lists, read from the content store by
 * SHA-256, each once even when several requests share it, resumably (ChunkedUploader asks the
 * server where it stopped). A file that is gone: STORAGE_FILE_MISSING, request-scoped.
 */
import { existsSync } from 'node:fs';
import { AppError } from '../../contract/errors.js';
import type { SyncContext } from '../context.js';
import { AdaptiveUploads } from '../adaptive.js';
import { ChunkedUploader, MemoryUploadStateStore, type DocumentSource, type UploadProgress, type UploadStateStore } from '../uploader.js';

/**
 * Upload progress, written sparingly: the server is the authority on what it has (every upload not
 * locally complete asks it first), so what is kept here only saves a question and keeps an upload's
 * chunk size. The last word ("every chunk is there", "complete") is written in the transaction that
 * marks the submission sent (and when the engine stops); progress in the middle of an upload once a
 * second per document at most, none for an upload shorter than that. Until written it is answered
 * from memory. A commit waits for the disk and, better-sqlite3 being synchronous, holds up every
 * upload meanwhile: one per chunk was a good part of the engine's own cost on a fast line. Losing
 * either to a crash costs one question to the server.
 */
class DeferredUploadState implements UploadStateStore {
  private readonly pending = new Map<string, UploadProgress>();
  private readonly savedAt = new Map<string, number>();
  constructor(
    private readonly inner: UploadStateStore,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}
  load(sha256: string): UploadProgress | null {
    return this.pending.get(sha256) ?? this.inner.load(sha256);
  }
  save(p: UploadProgress): void {
    this.pending.set(p.sha256, { ...p });
    if (p.complete || p.chunksConfirmed >= Math.ceil(p.size / p.chunkSize)) return;
    const now = this.nowMs();
    const last = this.savedAt.get(p.sha256);
    if (last === undefined) this.savedAt.set(p.sha256, now);
    if (last === undefined || now - last < MID_UPLOAD_SAVE_MS) return;
    this.savedAt.set(p.sha256, now);
    this.pending.delete(p.sha256);
    this.inner.save(p);
  }
  /** Writes what was held back (inside the caller's transaction). */
  flush(): void {
    for (const p of this.pending.values()) this.inner.save(p);
    this.pending.clear();
    this.savedAt.clear();
  }
}

/** Progress in the middle of an upload is written at most this often per document. */
const MID_UPLOAD_SAVE_MS = 1000;

export class Uploads {
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly state: DeferredUploadState;
  private readonly uploader: ChunkedUploader;
  /** How many documents at once and how big a chunk: measured on the line (adaptive.ts). */
  readonly adaptive: AdaptiveUploads;

  constructor(private readonly ctx: SyncContext) {
    this.state = new DeferredUploadState(ctx.opts.uploadState ?? new MemoryUploadStateStore());
    this.adaptive = new AdaptiveUploads({ now: () => performance.now(), maxChunkBytes: ctx.opts.uploadChunkBytes ?? 1024 * 1024, initialLimit: ctx.concurrency });
    const { gateway } = ctx;
    const adaptive = this.adaptive;
    // The uploader's client, with every chunk measured: confirmed bytes feed the goodput, a
    // connection lost mid-chunk makes the next uploads' chunks smaller.
    const timed = async <T>(p: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const out = await p();
      adaptive.roundTrip(performance.now() - t0);
      return out;
    };
    const measured = {
      startUpload: (d: { sha256: string; size: number; chunkSize: number }) => timed(() => gateway.startUpload(d)),
      completeUpload: (sha256: string) => timed(() => gateway.completeUpload(sha256)),
      async putChunk(sha256: string, index: number, bytes: Buffer, chunkSha256?: string): Promise<void> {
        try {
          let t0 = 0;
          await adaptive.chunk(bytes.byteLength, () => {
            t0 = performance.now();
            return gateway.putChunk(sha256, index, bytes, chunkSha256);
          });
          adaptive.confirmed(bytes.byteLength, performance.now() - t0);
        } catch (e) {
          if (e instanceof AppError && (e.code === 'GATEWAY_CONNECTION_LOST' || e.code === 'GATEWAY_TIMEOUT')) adaptive.lost();
          throw e;
        }
      },
    };
    this.uploader = new ChunkedUploader(measured, this.state, { chunkSize: (size) => adaptive.chunkBytesFor(size), log: ctx.log });
  }

  /**
   * Uploads every document of a request, as many at once as the line takes (shared by every
   * request: the adaptive limit), and fails with the first failure once all have stopped.
   */
  async uploadAll(docs: { sha256: string; size: number }[]): Promise<void> {
    const results = await Promise.allSettled(docs.map((d) => this.upload(d, false)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Writes the progress held back (inside the caller's transaction: the one that marks a submission sent). */
  flush(): void {
    this.state.flush();
  }

  /** One upload per document at a time, whatever requests share it; `recheck` asks the server even when done here. */
  upload(doc: { sha256: string; size: number }, recheck: boolean): Promise<unknown> {
    const running = this.running.get(doc.sha256);
    if (running && !recheck) return running;
    const p = (async () => {
      const path = this.ctx.requests.files.pathOf(doc.sha256);
      if (!existsSync(path)) throw new AppError('STORAGE_FILE_MISSING');
      const files = this.ctx.requests.files;
      return this.adaptive.run(() => this.adaptive.measured(() => this.uploader.upload(doc, () => open(() => files.openSource(doc.sha256)), { recheck })));
    })().finally(() => {
      if (this.running.get(doc.sha256) === p) this.running.delete(doc.sha256);
    });
    this.running.set(doc.sha256, p);
    return p;
  }
}

/** The stored file, decrypted as it is read (files are encrypted at rest: files/content-store.ts). */
async function open(source: () => Promise<DocumentSource>): Promise<DocumentSource> {
  try {
    return await source();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('STORAGE_FILE_MISSING');
    throw e;
  }
}
