/**
 * The `upload_progress` table: the sync module's UploadStateStore (src-main/sync/uploader.ts) on SQLite: how far each
 * document's resumable chunked upload got, by content hash. `save` commits before it returns
 * (WAL + synchronous=FULL), so progress survives a crash; the server stays the authority on what
 * it has, so a lost row costs one question and some re-sent chunks, never a wrong upload.
 */
import { prep, writeTx, type Db } from '../database.js';

/** How far one document's upload got (the sync module's UploadStateStore keeps these). */
export interface UploadProgress {
  sha256: string;
  size: number;
  /** The chunk size the server keeps for this upload. */
  chunkSize: number;
  /** How many chunks the server has confirmed. */
  chunksConfirmed: number;
  /** The server assembled the document and its SHA-256 matched. */
  complete: boolean;
}

export class SqliteUploadStateStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  load(sha256: string): UploadProgress | null {
    const r = prep(this.db, 'SELECT sha256, size, chunk_size, chunks_confirmed, complete FROM upload_progress WHERE sha256 = ?').get(sha256) as
      | { sha256: string; size: number; chunk_size: number; chunks_confirmed: number; complete: number }
      | undefined;
    return r ? { sha256: r.sha256, size: r.size, chunkSize: r.chunk_size, chunksConfirmed: r.chunks_confirmed, complete: r.complete === 1 } : null;
  }

  save(p: UploadProgress): void {
    writeTx(this.db, () => {
      prep(
        this.db,
        `INSERT INTO upload_progress (sha256, size, chunk_size, chunks_confirmed, complete, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (sha256) DO UPDATE SET size = excluded.size, chunk_size = excluded.chunk_size,
           chunks_confirmed = excluded.chunks_confirmed, complete = excluded.complete, updated_at = excluded.updated_at`,
      ).run(p.sha256, p.size, p.chunkSize, p.chunksConfirmed, p.complete ? 1 : 0, this.now().toISOString());
    });
  }
}
