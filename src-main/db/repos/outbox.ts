/**
 * The `outbox` table: the only road to the network. The sync engine (src-main/sync) reads
 * due entries and records what happened to each through these functions, so the facts the store's
 * exactly-once rule depends on (was it put on the wire? did the backend answer definitively?) are
 * always written, and written durably BEFORE the network call they describe.
 *
 * Columns (docs/storage.md has the whole model):
 *   state        pending | done | failed      what the engine still has to do
 *   submitted_at first time the submission was put on the wire (null: never sent)
 *   outcome      accepted | rejected | null   the backend's definitive answer, if any
 *   superseded_at set when a re-opened request was signed anew (a new entry, a new key)
 */
import { AuditLog } from '../../audit/audit-log.js';
import { prep, writeTx, type Db } from '../database.js';
import { newId } from '../ids.js';

export interface CurrentSubmission {
  id: string;
  state: string;
  submitted_at: string | null;
  outcome: string | null;
  idempotency_key: string;
}

export interface OutboxEntry {
  id: string;
  request_id: string;
  kind: 'submit' | 'issuance_ack';
  idempotency_key: string;
  attempts: number;
  submitted_at: string | null;
}

export class OutboxStore {
  private readonly audit: AuditLog;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {
    this.audit = new AuditLog(db, now);
  }

  private entry(entryId: string): { request_id: string; kind: string; submitted_at: string | null } {
    return prep(this.db, 'SELECT request_id, kind, submitted_at FROM outbox WHERE id = ?').get(entryId) as { request_id: string; kind: string; submitted_at: string | null };
  }

  /** Entries due now, oldest first (superseded entries are never due). */
  due(limit = 50, kind: OutboxEntry['kind'] = 'submit'): OutboxEntry[] {
    return prep(this.db, 
        `SELECT id, request_id, kind, idempotency_key, attempts, submitted_at FROM outbox
         WHERE state = 'pending' AND superseded_at IS NULL AND kind = ? AND next_attempt_at <= ? ORDER BY created_at LIMIT ?`,
      )
      .all(kind, this.now().toISOString(), limit) as OutboxEntry[];
  }

  /** When the earliest pending entry is due (null: none). */
  nextDueAt(): string | null {
    return (prep(this.db, `SELECT MIN(next_attempt_at) AS t FROM outbox WHERE state = 'pending' AND superseded_at IS NULL`).get() as { t: string | null }).t;
  }

  lastError(entryId: string): string | null {
    return (prep(this.db, 'SELECT last_error FROM outbox WHERE id = ?').get(entryId) as { last_error: string | null }).last_error;
  }

  /** Queues a submission under its idempotency key (inside the caller's transaction). */
  insertSubmit(requestId: string, idempotencyKey: string, at: string): string {
    return this.insert(requestId, 'submit', idempotencyKey, at);
  }

  /** Queues the acknowledgement of an issue (key `<requestId>:issued`). */
  insertIssuanceAck(requestId: string, at: string): string {
    return this.insert(requestId, 'issuance_ack', `${requestId}:issued`, at);
  }

  private insert(requestId: string, kind: OutboxEntry['kind'], key: string, at: string): string {
    const id = newId();
    prep(
      this.db,
      `INSERT INTO outbox (id, request_id, kind, idempotency_key, state, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)`,
    ).run(id, requestId, kind, key, at, at);
    return id;
  }

  /** The request's current (not superseded) submit entry. */
  currentSubmission(requestId: string): CurrentSubmission | null {
    return (
      (prep(this.db, `SELECT id, state, submitted_at, outcome, idempotency_key FROM outbox WHERE request_id = ? AND kind = 'submit' AND superseded_at IS NULL`).get(
        requestId,
      ) as CurrentSubmission | undefined) ?? null
    );
  }

  /** A re-opened request: the old entry is kept, superseded (and no longer pending). */
  supersede(entryId: string, at: string): void {
    prep(this.db, `UPDATE outbox SET superseded_at = ?, state = CASE state WHEN 'pending' THEN 'failed' ELSE state END WHERE id = ?`).run(at, entryId);
  }

  /** Send again, with the same key, from now. */
  requeue(entryId: string, at: string): void {
    prep(this.db, `UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = NULL WHERE id = ?`).run(at, entryId);
  }

  /** The request's pending submission cannot be sent (a file is gone): failed until requeued. */
  failPendingSubmission(requestId: string, code: string): void {
    prep(this.db, `UPDATE outbox SET state = 'failed', last_error = ? WHERE request_id = ? AND kind = 'submit' AND superseded_at IS NULL AND state = 'pending'`).run(
      code,
      requestId,
    );
  }

  /** Call (and let it commit) before the submission goes on the wire. */
  markSubmitting(entryId: string): void {
    writeTx(this.db, () => {
      const e = this.entry(entryId);
      if (e.submitted_at !== null) return;
      prep(this.db, 'UPDATE outbox SET submitted_at = ? WHERE id = ?').run(this.now().toISOString(), entryId);
      this.audit.append({ actor: 'sync', action: 'outbox.submitted', subject: e.request_id, data: { entryId, kind: e.kind } });
    });
  }

  /** The backend accepted (registered) it: inside the caller's transaction with the status change. */
  markAccepted(entryId: string): void {
    const at = this.now().toISOString();
    prep(this.db, `UPDATE outbox SET state = 'done', outcome = 'accepted', outcome_at = ?, attempts = attempts + 1, last_error = NULL, done_at = ? WHERE id = ?`)
      .run(at, at, entryId);
    const e = this.entry(entryId);
    this.audit.append({ actor: 'sync', action: 'outbox.accepted', subject: e.request_id, data: { entryId, kind: e.kind } });
  }

  /**
   * A permanent failure. `definitive`: the backend itself answered with a refusal (a 4xx error
   * body), so this key can never be registered; otherwise the outcome stays unknown.
   */
  markFailed(entryId: string, code: string, definitive: boolean): void {
    prep(this.db, 
        `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?,
           outcome = CASE WHEN ? THEN 'rejected' ELSE outcome END, outcome_at = CASE WHEN ? THEN ? ELSE outcome_at END WHERE id = ?`,
      )
      .run(code, definitive ? 1 : 0, definitive ? 1 : 0, this.now().toISOString(), entryId);
    const e = this.entry(entryId);
    this.audit.append({ actor: 'sync', action: definitive ? 'outbox.rejected' : 'outbox.failed', subject: e.request_id, data: { entryId, kind: e.kind, code } });
  }

  /** A retryable failure: try again at `nextAttemptAt`. */
  markRetry(entryId: string, code: string, nextAttemptAt: Date): void {
    writeTx(this.db, () => {
      prep(this.db, 'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?')
        .run(nextAttemptAt.toISOString(), code, entryId);
    });
  }
}
