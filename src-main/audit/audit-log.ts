/**
 * The audit trail: who did what, when, to which request. Append-only and hash-chained.
 *
 * Each entry's hash covers its fields and the previous entry's hash (GENESIS_HASH for the first),
 * so changing, removing or reordering any entry breaks the chain from that entry on, and `verify`
 * names the first broken link. The non-personal facts (action, actor id, request id, statuses,
 * codes, counts) are in `audit_log`; personal references (an applicant's IIN, an attempted login)
 * go to `audit_personal`, keyed by the entry's seq, and the chain covers only their salted SHA-256.
 * Retention deletes `audit_personal` rows; the chain still verifies, and the salt, deleted with
 * them, keeps a low-entropy value such as an IIN from being recovered from the digest.
 *
 * `append` joins the caller's transaction when there is one (a status change and its audit entry
 * commit together) and opens an IMMEDIATE one otherwise, so two processes (the app and the admin
 * command) can never chain two entries onto the same predecessor.
 */
import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { prep } from '../db/database.js';
import { auditEntryHash, GENESIS_HASH, type AuditChainFields } from '../db/migrations/003_audit.js';

export { GENESIS_HASH };

/** What is audited. Non-personal facts only in `data`. */
export type AuditAction =
  | 'request.created'
  | 'request.transition'
  | 'request.representative'
  | 'request.representative.verified'
  | 'request.representative.exception'
  | 'request.reopened'
  | 'request.signed'
  | 'request.issued'
  | 'request.flagged'
  | 'request.result'
  | 'request.receipt'
  | 'refusal.recorded'
  | 'pages.added'
  | 'pages.deleted'
  | 'pages.reordered'
  | 'pages.rotated'
  | 'outbox.submitted'
  | 'outbox.accepted'
  | 'outbox.rejected'
  | 'outbox.failed'
  | 'outbox.superseded'
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'auth.lockout'
  | 'auth.session_locked'
  | 'auth.session_unlocked'
  | 'auth.password_changed'
  | 'account.created'
  | 'account.updated'
  | 'account.role_changed'
  | 'account.disabled'
  | 'account.enabled'
  | 'account.password_reset'
  | 'account.bootstrap'
  | 'account.bootstrap_refused'
  | 'admin.backup'
  | 'admin.restore'
  | 'admin.retention'
  | 'admin.integrity'
  | 'admin.reconcile'
  | 'admin.rotate-key'
  | 'admin.client-key-password'
  | 'settings.ncalayer_pinned'
  | 'read.applicant'
  | 'read.search'
  | 'read.pages'
  | 'read.paper'
  | 'read.result'
  | 'audit.started';

export type AuditData = Record<string, string | number | boolean | null | string[]>;

export interface AuditInput {
  actor: string;
  action: AuditAction;
  /** A request id (or another non-personal id) the entry is about. */
  subject?: string | null;
  data?: AuditData;
  /** Personal references, kept apart so retention can purge them. */
  personal?: Record<string, string> | null;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  data: AuditData;
  personal: Record<string, string> | null;
  personalPurged: boolean;
}

export interface AuditVerifyReport {
  ok: boolean;
  entries: number;
  /** The first entry whose link is broken, and why. */
  firstBroken: { seq: number; reason: 'seq_gap' | 'prev_hash' | 'hash' | 'personal_digest' } | null;
  personalPurged: number;
  headHash: string;
}

type Row = AuditChainFields & { hash: string };

const personalDigest = (salt: string, data: string) => createHash('sha256').update(salt).update('\u0000').update(data).digest('hex');

export class AuditLog {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  append(input: AuditInput): { seq: number; hash: string } {
    const run = () => {
      const last = prep(this.db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      const seq = (last?.seq ?? 0) + 1;
      const prev = last?.hash ?? GENESIS_HASH;
      const at = this.now().toISOString();
      const data = JSON.stringify(input.data ?? {});
      let digest: string | null = null;
      let personal: { salt: string; data: string } | null = null;
      if (input.personal && Object.keys(input.personal).length) {
        personal = { salt: randomBytes(16).toString('hex'), data: JSON.stringify(input.personal) };
        digest = personalDigest(personal.salt, personal.data);
      }
      const subject = input.subject ?? null;
      const hash = auditEntryHash({ seq, at, actor: input.actor, action: input.action, subject, data, personal_digest: digest, prev_hash: prev });
      prep(this.db, 
          'INSERT INTO audit_log (seq, at, actor, action, subject, data, personal_digest, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(seq, at, input.actor, input.action, subject, data, digest, prev, hash);
      if (personal) prep(this.db, 'INSERT INTO audit_personal (seq, salt, data) VALUES (?, ?, ?)').run(seq, personal.salt, personal.data);
      return { seq, hash };
    };
    return this.db.inTransaction ? run() : this.db.transaction(run).immediate();
  }

  /** Walks the whole chain; reports the first broken link. */
  verify(): AuditVerifyReport {
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let entries = 0;
    let purged = 0;
    const personal = new Map(
      (prep(this.db, 'SELECT seq, salt, data FROM audit_personal').all() as { seq: number; salt: string; data: string }[]).map((p) => [p.seq, p]),
    );
    for (const r of prep(this.db, 'SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<Row>) {
      entries += 1;
      const broken = (reason: NonNullable<AuditVerifyReport['firstBroken']>['reason']): AuditVerifyReport => ({
        ok: false,
        entries,
        firstBroken: { seq: r.seq, reason },
        personalPurged: purged,
        headHash: prev,
      });
      if (r.seq !== expectedSeq) return broken('seq_gap');
      if (r.prev_hash !== prev) return broken('prev_hash');
      if (auditEntryHash(r) !== r.hash) return broken('hash');
      if (r.personal_digest) {
        const p = personal.get(r.seq);
        if (!p) purged += 1;
        else if (personalDigest(p.salt, p.data) !== r.personal_digest) return broken('personal_digest');
      }
      prev = r.hash;
      expectedSeq += 1;
    }
    return { ok: true, entries, firstBroken: null, personalPurged: purged, headHash: prev };
  }

  /** Entries about one subject (a request), oldest first. */
  entries(subject: string): AuditEntry[] {
    return (
      prep(this.db, 
          `SELECT l.*, p.data AS personal FROM audit_log l LEFT JOIN audit_personal p ON p.seq = l.seq WHERE l.subject = ? ORDER BY l.seq`,
        )
        .all(subject) as (Row & { personal: string | null })[]
    ).map(entryOf);
  }

  /**
   * Reads of one applicant's data (look-ups, searches that showed them, pages, papers, results),
   * newest first: entries whose data names the applicant's id (`applicant`, or one of `applicants`).
   */
  readsOf(applicantId: string, limit: number): AuditEntry[] {
    return (
      prep(this.db,
          `SELECT l.*, NULL AS personal FROM audit_log l
            WHERE l.action LIKE 'read.%'
              AND (json_extract(l.data, '$.applicant') = ?
                   OR EXISTS (SELECT 1 FROM json_each(l.data, '$.applicants') WHERE value = ?))
            ORDER BY l.seq DESC LIMIT ?`,
        )
        .all(applicantId, applicantId, limit) as (Row & { personal: null })[]
    ).map((r) => ({ ...entryOf(r), personalPurged: false }));
  }

  /** Deletes the personal part of every entry about these subjects (inside the caller's transaction). */
  purgePersonal(subjects: readonly string[]): number {
    const del = prep(this.db, 'DELETE FROM audit_personal WHERE seq IN (SELECT seq FROM audit_log WHERE subject = ?)');
    let n = 0;
    for (const s of subjects) n += del.run(s).changes;
    return n;
  }
}

/** An audit row (with its personal part, when read) as an entry. */
function entryOf(r: Row & { personal: string | null }): AuditEntry {
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    data: JSON.parse(r.data) as AuditData,
    personal: r.personal ? (JSON.parse(r.personal) as Record<string, string>) : null,
    personalPurged: r.personal_digest !== null && r.personal === null,
  };
}
