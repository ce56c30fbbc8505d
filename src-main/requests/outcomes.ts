/**
 * What comes back from the backend after registration, recorded by the sync step (issue 4):
 * the provider's decision (refused with reasons, or result ready), the result document with the
 * provider's signature and its verification outcome, and the receipts handed over at the counter.
 * Each is one write transaction with its status change, history and audit entry; a result's file
 * is stored (fsync'd) by the caller through the ContentStore BEFORE it is recorded here.
 */
import { AppError } from '../contract/errors.js';
import type { RequestStatus } from '../contract/model.js';
import { writeTx } from '../db/database.js';
import { newId } from '../db/ids.js';
import type { NewResultRow } from '../db/repos/outcomes.js';
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

/** A result to record: the stored document (null when the backend sent only a notification), the provider's detached CMS, its check. */
export type ResultInput = Omit<NewResultRow, 'id' | 'verifiedAt' | 'receivedAt'>;

const DECIDABLE: ReadonlySet<RequestStatus> = new Set(['registered', 'under_review']);

/** The provider is looking at it (C2). */
export function recordUnderReview(requests: RequestService, requestId: string, backendStatus: string, at: string): void {
  writeTx(requests.db, () => {
    const r = requests.row(requestId);
    requests.repos.requests.setBackendStatus(requestId, backendStatus, at);
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
    requests.repos.outcomes.insertDecision({ id, requestId: d.requestId, kind: d.kind, reasonsJson: JSON.stringify(d.reasons), decidedAt: d.decidedAt, receivedAt });
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
    requests.repos.outcomes.insertResult({
      id,
      requestId: res.requestId,
      decisionId: res.decisionId,
      file: res.file,
      cms: res.cms,
      verification: res.verification,
      verificationCode: res.verificationCode,
      verifiedAt: res.verification === 'unverified' ? null : receivedAt,
      receivedAt,
    });
    requests.repos.files.keep(res.file?.sha256 ?? '');
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
    requests.repos.outcomes.insertReceipt({ id, requestId: r.requestId, kind: r.kind, number: r.number, file: r.file, at });
    requests.repos.files.keep(r.file?.sha256 ?? '');
    requests.audit.append({ actor: 'system', action: 'request.receipt', subject: r.requestId, data: { receiptId: id, kind: r.kind, number: r.number } });
  });
  return id;
}
