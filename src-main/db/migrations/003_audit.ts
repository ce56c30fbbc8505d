import { createHash } from 'node:crypto';
import type { Migration } from '../migrate.js';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit entry that its hash covers. */
export interface AuditChainFields {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  data: string;
  personal_digest: string | null;
  prev_hash: string;
}

/** The hash of one audit entry: SHA-256 of the JSON array of its chained fields, in this order. */
export function auditEntryHash(e: AuditChainFields): string {
  return createHash('sha256')
    .update(JSON.stringify([e.seq, e.at, e.actor, e.action, e.subject, e.data, e.personal_digest, e.prev_hash]))
    .digest('hex');
}

/**
 * The audit trail: append-only (triggers refuse UPDATE and DELETE), hash-chained (each entry holds
 * the hash of the one before), with the personal part separable (audit_personal, keyed by the
 * entry's seq: the chain covers only its salted digest, so retention can delete it and the chain
 * still verifies). The status history recorded before this migration is carried over into the
 * chain, so the trail starts with everything the workstation already knew.
 */
export const migration003: Migration = {
  version: 3,
  name: 'audit',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        data TEXT NOT NULL,
        personal_digest TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_by_subject ON audit_log (subject, seq) WHERE subject IS NOT NULL;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

      CREATE TABLE audit_personal (
        seq INTEGER PRIMARY KEY REFERENCES audit_log (seq),
        salt TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE TRIGGER audit_personal_no_update BEFORE UPDATE ON audit_personal
        BEGIN SELECT RAISE(ABORT, 'audit_personal can only be purged, not changed'); END;
    `);
    let prev = GENESIS_HASH;
    let seq = 0;
    const insert = db.prepare(
      `INSERT INTO audit_log (seq, at, actor, action, subject, data, personal_digest, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
    );
    const append = (at: string, actor: string, action: string, subject: string | null, data: Record<string, unknown>) => {
      seq += 1;
      const entry = { seq, at, actor, action, subject, data: JSON.stringify(data), personal_digest: null, prev_hash: prev };
      const hash = auditEntryHash(entry);
      insert.run(seq, at, actor, action, subject, entry.data, prev, hash);
      prev = hash;
    };
    const rows = db.prepare('SELECT id, request_id, from_status, to_status, step, actor, at FROM status_history ORDER BY id').all() as {
      id: number;
      request_id: string;
      from_status: string | null;
      to_status: string;
      step: string | null;
      actor: string;
      at: string;
    }[];
    for (const h of rows) {
      append(h.at, h.actor, 'request.transition', h.request_id, { from: h.from_status, to: h.to_status, step: h.step, historyId: h.id, carriedOver: true });
    }
    append(new Date().toISOString(), 'system', 'audit.started', null, { carriedOver: seq });
  },
};
