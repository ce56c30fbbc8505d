/**
 * Stage 1, upload: exactly the documents the signed manifest lists, read from the content store by
 * SHA-256, each once even when several requests share it, resumably (ChunkedUploader asks the
 * server where it stopped). A file that is gone: STORAGE_FILE_MISSING, request-scoped.
 */
import { existsSync } from 'node:fs';
import { AppError } from '../../contract/errors.js';
import type { SyncContext } from '../context.js';
import { ChunkedUploader, MemoryUploadStateStore, openFileSource, type DocumentSource, type UploadProgress, type UploadStateStore } from '../uploader.js';

/**
 * Upload progress, with the last word of an upload held back: "every chunk is there" and
 * "complete" are written in the transaction that marks the submission sent (one commit instead of
 * two or three per document). Losing them to a crash costs one question to the server, which is
 * the authority on what it has; progress in the middle of an upload is written at once.
 */
class DeferredUploadState implements UploadStateStore {
  private readonly pending = new Map<string, UploadProgress>();
  constructor(private readonly inner: UploadStateStore) {}
  load(sha256: string): UploadProgress | null {
    return this.pending.get(sha256) ?? this.inner.load(sha256);
  }
  save(p: UploadProgress): void {
    if (p.complete || p.chunksConfirmed >= Math.ceil(p.size / p.chunkSize)) {
      this.pending.set(p.sha256, { ...p });
      return;
    }
    this.pending.delete(p.sha256);
    this.inner.save(p);
  }
  /** Writes what was held back (inside the caller's transaction). */
  flush(): void {
    for (const p of this.pending.values()) this.inner.save(p);
    this.pending.clear();
  }
}

export class Uploads {
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly state: DeferredUploadState;
  private readonly uploader: ChunkedUploader;

  constructor(private readonly ctx: SyncContext) {
    this.state = new DeferredUploadState(ctx.opts.uploadState ?? new MemoryUploadStateStore());
    this.uploader = new ChunkedUploader(ctx.gateway, this.state, { chunkSize: ctx.opts.uploadChunkBytes ?? 1024 * 1024, log: ctx.log });
  }

  /** Writes the progress held back (inside the caller's transaction: the one that marks the submission sent). */
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
      return this.uploader.upload(doc, () => open(path), { recheck });
    })().finally(() => {
      if (this.running.get(doc.sha256) === p) this.running.delete(doc.sha256);
    });
    this.running.set(doc.sha256, p);
    return p;
  }
}

async function open(path: string): Promise<DocumentSource> {
  try {
    return await openFileSource(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('STORAGE_FILE_MISSING');
    throw e;
  }
}
