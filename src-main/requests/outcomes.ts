/**
 * What comes back from the backend after registration, recorded by the sync step (issue 4):
 * the provider's decision (refused with reasons, or result ready), the result document with the
 * provider's signature and its verification outcome, and the receipts handed over at the counter.
 * Each is one write transaction with its status change, history and audit entry; a result's file
 * is stored (fsync'd) by the caller through the ContentStore BEFORE it is recorded here.
 */
import { AppError } from '../contract/errors.js';
import type { RequestStatus } from '../contract/model.js';
import { prep, writeTx } from '../db/database.js';
import { newId } from '../db/ids.js';
import type { RequestService } from './request-service.js';

export interface DecisionInput {
  requestId: string;
  kind: 'refused' | 'result_ready';
  /**
   * The provider's reasons for a refusal (codes are kept after retention; texts are purged), the
   * text as the backend sent it (kk/ru/en).
   */
  reasons: { code: string; text: string | { kk: string; ru: string; en: string } }[];
  decidedAt: string;
}

export interface ResultInput {
  requestId: string;
  decisionId: string | null;
  /** The stored result document (null when the backend sent only a notification). */
  file: { sha256: string; size: number; mediaType: string } | null;
  /** The provider's detached CMS over the document. */
  cms: Buffer | null;
  verification: 'valid' | 'invalid' | 'unverified';
  /** Why it is not valid (a SIGN_* code), or null. */
  verificationCode: string | null;
}

const DECIDABLE: ReadonlySet<RequestStatus> = new Set(['registered', 'under_review']);

/** The provider is looking at it (C2). */
export function recordUnderReview(requests: RequestService, requestId: string, backendStatus: string, at: string): void {
  writeTx(requests.db, () => {
    const r = requests.row(requestId);
    prep(requests.db, 'UPDATE requests SET backend_status = ?, backend_checked_at = ? WHERE id = ?').run(backendStatus, at, requestId);
    if (r.status === 'registered') requests.setStatus(requestId, 'registered', 'under_review', 'sync');
  });
}

/**
 * P8 or P9: the decision, with the status change it causes. Returns the decision id. `to`
 * overrides the status (needs_attention: a result whose provider signature did not verify is
 * recorded but never shown as ready), with `lastError` as the reason shown.
 */
export function recordDecision(
  requests: RequestService,
  d: DecisionInput,
  receivedAt: string,
  opts: { to?: 'needs_attention'; lastError?: string } = {},
): string {
  const id = newId();
  writeTx(requests.db, () => {
    const r = requests.row(d.requestId);
    if (!DECIDABLE.has(r.status)) throw new AppError('REQUEST_STATE', { status: r.status });
    prep(requests.db, 'INSERT INTO decisions (id, request_id, kind, reasons_json, decided_at, received_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      id,
      d.requestId,
      d.kind,
      JSON.stringify(d.reasons),
      d.decidedAt,
      receivedAt,
    );
    requests.setStatus(d.requestId, r.status, opts.to ?? d.kind, 'sync', opts.lastError ?? null);
  });
  requests.notify(d.requestId);
  return id;
}

/** The result document and its signature check. Returns the result id. */
export function recordResult(requests: RequestService, res: ResultInput, receivedAt: string): string {
  const id = newId();
  writeTx(requests.db, () => {
    requests.row(res.requestId);
    prep(
      requests.db,
      `INSERT INTO results (id, request_id, decision_id, sha256, size, media_type, cms, verification, verification_code, verified_at, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      res.requestId,
      res.decisionId,
      res.file?.sha256 ?? null,
      res.file?.size ?? null,
      res.file?.mediaType ?? null,
      res.cms,
      res.verification,
      res.verificationCode,
      res.verification === 'unverified' ? null : receivedAt,
      receivedAt,
    );
    prep(requests.db, 'DELETE FROM file_gc WHERE sha256 = ?').run(res.file?.sha256 ?? '');
    requests.audit.append({
      actor: 'sync',
      action: 'request.result',
      subject: res.requestId,
      data: { resultId: id, sha256: res.file?.sha256 ?? null, verification: res.verification, code: res.verificationCode },
    });
  });
  return id;
}

/** A receipt printed at the counter (its PDF stored by the caller first). */
export function recordReceipt(
  requests: RequestService,
  r: { requestId: string; kind: 'acceptance' | 'refusal' | 'issuance'; number: string; file: { sha256: string; size: number } | null },
  at: string,
): string {
  const id = newId();
  writeTx(requests.db, () => {
    requests.row(r.requestId);
    prep(requests.db, 'INSERT INTO receipts (id, request_id, kind, number, sha256, size, created_at, printed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      id,
      r.requestId,
      r.kind,
      r.number,
      r.file?.sha256 ?? null,
      r.file?.size ?? null,
      at,
      at,
    );
    prep(requests.db, 'DELETE FROM file_gc WHERE sha256 = ?').run(r.file?.sha256 ?? '');
    requests.audit.append({ actor: 'system', action: 'request.receipt', subject: r.requestId, data: { receiptId: id, kind: r.kind, number: r.number } });
  });
  return id;
}
