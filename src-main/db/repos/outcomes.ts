/**
 * What came back for a request and what was handed over: `decisions` (refused with reasons, or
 * result ready), `results` (the provider-signed document and its check), `receipts` (papers
 * printed at the counter) and `issuances` (P9, once per request).
 */
import { prep, type Db } from '../database.js';

export interface DecisionRow {
  id: string;
  kind: 'refused' | 'result_ready';
  reasons_json: string;
  decided_at: string;
}

export interface ResultRow {
  sha256: string | null;
  size: number | null;
  cms: Buffer | null;
  verification: 'valid' | 'invalid' | 'unverified';
  verification_code: string | null;
  received_at: string;
  purged_at: string | null;
}

export interface NewResultRow {
  id: string;
  requestId: string;
  decisionId: string | null;
  /** The stored result document (null when the backend sent only a notification). */
  file: { sha256: string; size: number; mediaType: string } | null;
  /** The provider's detached CMS over the document. */
  cms: Buffer | null;
  verification: 'valid' | 'invalid' | 'unverified';
  /** Why it is not valid (a SIGN_* code), or null. */
  verificationCode: string | null;
  verifiedAt: string | null;
  receivedAt: string;
}

export type Recipient = 'applicant' | 'representative';

export class OutcomesRepo {
  constructor(private readonly db: Db) {}

  insertDecision(d: { id: string; requestId: string; kind: DecisionRow['kind']; reasonsJson: string; decidedAt: string; receivedAt: string }): void {
    const sql = 'INSERT INTO decisions (id, request_id, kind, reasons_json, decided_at, received_at) VALUES (?, ?, ?, ?, ?, ?)';
    prep(this.db, sql).run(d.id, d.requestId, d.kind, d.reasonsJson, d.decidedAt, d.receivedAt);
  }

  latestDecision(requestId: string): DecisionRow | undefined {
    return prep(this.db, 'SELECT id, kind, reasons_json, decided_at FROM decisions WHERE request_id = ? ORDER BY received_at DESC LIMIT 1').get(requestId) as
      | DecisionRow
      | undefined;
  }

  insertResult(r: NewResultRow): void {
    prep(
      this.db,
      `INSERT INTO results (id, request_id, decision_id, sha256, size, media_type, cms, verification, verification_code, verified_at, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(r.id, r.requestId, r.decisionId, r.file?.sha256 ?? null, r.file?.size ?? null, r.file?.mediaType ?? null, r.cms, r.verification, r.verificationCode, r.verifiedAt, r.receivedAt);
  }

  latestResult(requestId: string): ResultRow | undefined {
    return prep(
      this.db,
      'SELECT sha256, size, cms, verification, verification_code, received_at, purged_at FROM results WHERE request_id = ? ORDER BY received_at DESC, rowid DESC LIMIT 1',
    ).get(requestId) as ResultRow | undefined;
  }

  insertReceipt(r: { id: string; requestId: string; kind: 'acceptance' | 'refusal' | 'issuance'; number: string; file: { sha256: string; size: number } | null; at: string }): void {
    const sql = 'INSERT INTO receipts (id, request_id, kind, number, sha256, size, created_at, printed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
    prep(this.db, sql).run(r.id, r.requestId, r.kind, r.number, r.file?.sha256 ?? null, r.file?.size ?? null, r.at, r.at);
  }

  insertIssuance(requestId: string, at: string, operatorId: string, recipient: Recipient, outboxId: string): void {
    prep(this.db, 'INSERT INTO issuances (request_id, issued_at, operator_id, recipient, outbox_id) VALUES (?, ?, ?, ?, ?)').run(requestId, at, operatorId, recipient, outboxId);
  }

  issuance(requestId: string): { issued_at: string; recipient: Recipient } | undefined {
    return prep(this.db, 'SELECT issued_at, recipient FROM issuances WHERE request_id = ?').get(requestId) as { issued_at: string; recipient: Recipient } | undefined;
  }

  /** Retention: result and receipt files are released, refusal texts go (their codes stay). */
  purge(requestId: string, at: string): void {
    prep(this.db, `UPDATE results SET sha256 = NULL, purged_at = ? WHERE request_id = ?`).run(at, requestId);
    prep(this.db, `UPDATE receipts SET sha256 = NULL, purged_at = ? WHERE request_id = ?`).run(at, requestId);
    prep(
      this.db,
      `UPDATE decisions SET reasons_json = (SELECT json_group_array(json_object('code', json_extract(value, '$.code'))) FROM json_each(reasons_json)) WHERE request_id = ?`,
    ).run(requestId);
  }
}
