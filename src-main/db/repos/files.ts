/**
 * The file references: `file_gc` (hashes whose files may be deleted once nothing refers to them)
 * and the view `file_refs` (every row that refers to a stored file: pages, PDFs, results,
 * receipts). The reconciliation's reads run in the store's worker, so they are SQL text here.
 */
import { prep, type Db } from '../database.js';

/** For the worker (StoreWorker.query): each referenced hash and its earliest missing flag. */
export const REFERENCED_HASHES_SQL = 'SELECT sha256, MAX(missing_since) FROM file_refs GROUP BY sha256';
/** For the worker: the hashes queued for deletion. */
export const QUEUED_HASHES_SQL = 'SELECT sha256 FROM file_gc';

export class FilesRepo {
  constructor(private readonly db: Db) {}

  /** The file is referenced again: it must not be deleted. */
  keep(sha256: string): void {
    prep(this.db, 'DELETE FROM file_gc WHERE sha256 = ?').run(sha256);
  }

  /** The file may be deleted once no row refers to it. */
  release(sha256: string, at: string): void {
    prep(this.db, 'INSERT INTO file_gc (sha256, queued_at) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING').run(sha256, at);
  }

  queued(): string[] {
    return (prep(this.db, QUEUED_HASHES_SQL).all() as { sha256: string }[]).map((r) => r.sha256);
  }

  /** Every hash some row still refers to. */
  referenced(): Set<string> {
    return new Set((prep(this.db, 'SELECT DISTINCT sha256 FROM file_refs').all() as { sha256: string }[]).map((r) => r.sha256));
  }

  /** The hashes one request refers to. */
  hashesOf(requestId: string): string[] {
    return (prep(this.db, 'SELECT DISTINCT sha256 FROM file_refs WHERE request_id = ?').all(requestId) as { sha256: string }[]).map((r) => r.sha256);
  }

  /** The requests that refer to any of `hashes`. */
  requestsReferring(hashes: readonly string[]): string[] {
    return (
      prep(this.db, 'SELECT DISTINCT request_id FROM file_refs WHERE sha256 IN (SELECT value FROM json_each(?))').all(JSON.stringify(hashes)) as { request_id: string }[]
    ).map((r) => r.request_id);
  }
}
