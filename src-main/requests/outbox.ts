/**
 * The DB side of the outbox: the only road to the network. The sync engine (src-main/sync) reads
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
import { AuditLog } from '../audit/audit-log.js';
import type { Db } from '../db/database.js';
import { prep, writeTx } from '../db/database.js';
import { GatewayError, gatewayErrorScope } from '../sync/gateway-client.js';

/**
 * Whether a failed call is the backend's own definitive refusal of the submission: a
 * request-scoped error the server answered with (docs/gateway-protocol.md §5: a GatewayError that
 * carries the server's answer). Not an idempotency conflict (the key IS registered, with other
 * content), and never a failure without an answer (timeout, lost connection, unreadable answer).
 */
export function isDefinitiveRefusal(e: unknown): boolean {
  if (!(e instanceof GatewayError) || e.server === null) return false;
  if (e.code === 'GATEWAY_IDEMPOTENCY_CONFLICT') return false;
  return gatewayErrorScope(e) === 'request';
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
