/**
 * The request lifecycle as an explicit state machine (Diagram 3).
 *
 *   draft → applicant_verified | applicant_unverified → documents_complete → signed → queued →
 *   sent → registered → under_review → refused | result_ready → issued
 *
 * plus needs_attention (a permanent error the operator must look at: P4 "data cannot be obtained",
 * a rejected submission, a page file gone, a result whose provider signature does not verify) and
 * cancelled (only before signing).
 *
 * Leaving needs_attention:
 * - → queued: send again with the SAME outbox entry and idempotency key (the problem was outside
 *   the request: configuration, a certificate, the network);
 * - → applicant_verified | applicant_unverified | documents_complete: the operator re-opens the
 *   request to change it. Allowed only when the backend never accepted the old submission (see
 *   RequestService.reopen and docs/storage.md, "Exactly once"); the old signature and outbox entry
 *   are kept and marked superseded, and signing again makes a new signature and a new key.
 * - → result_ready: a registered request whose result failed its signature check (registered |
 *   under_review → needs_attention) once the result verifies (the sync engine checks again).
 * A re-opened request is unsigned again, so it may then be cancelled (P4 found after signing).
 */
import { AppError } from './errors.js';
import type { RequestStatus } from './model.js';
import { REQUEST_STATUSES } from './statuses.js';

export const TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  draft: ['applicant_verified', 'applicant_unverified', 'cancelled'],
  applicant_verified: ['documents_complete', 'cancelled'],
  applicant_unverified: ['applicant_verified', 'documents_complete', 'cancelled'],
  documents_complete: ['signed', 'applicant_verified', 'applicant_unverified', 'cancelled'],
  signed: ['queued', 'needs_attention'],
  queued: ['sent', 'needs_attention'],
  sent: ['registered', 'queued', 'needs_attention'],
  registered: ['under_review', 'refused', 'result_ready', 'needs_attention'],
  under_review: ['refused', 'result_ready', 'needs_attention'],
  refused: ['issued'],
  result_ready: ['issued'],
  issued: [],
  needs_attention: ['queued', 'applicant_verified', 'applicant_unverified', 'documents_complete', 'result_ready'],
  cancelled: [],
};

/** The Diagram 3 step a transition into this status belongs to (for the step-time dashboard). */
export const STEP_OF: Readonly<Record<RequestStatus, string | null>> = {
  draft: 'P2',
  applicant_verified: 'P3',
  applicant_unverified: 'P3',
  documents_complete: 'P5',
  signed: 'P5',
  queued: 'P6',
  sent: 'P6',
  registered: 'P7',
  under_review: 'C2',
  refused: 'P8',
  result_ready: 'P9',
  issued: 'P9',
  needs_attention: null,
  cancelled: null,
};

/** Statuses in which the request's content may still change (before signing). */
export const EDITABLE: ReadonlySet<RequestStatus> = new Set(['draft', 'applicant_verified', 'applicant_unverified', 'documents_complete']);

/** Statuses that hold a current (not superseded) signature. */
export const SIGNED_STATUSES: ReadonlySet<RequestStatus> = new Set(['signed', 'queued', 'sent', 'registered', 'under_review', 'refused', 'result_ready', 'issued']);

/** Statuses that hold a current submit entry in the outbox. */
export const QUEUED_STATUSES: ReadonlySet<RequestStatus> = new Set(['queued', 'sent', 'registered', 'under_review', 'refused', 'result_ready', 'issued']);

/** Terminal statuses: nothing leaves them. */
export const TERMINAL: ReadonlySet<RequestStatus> = new Set(REQUEST_STATUSES.filter((s) => TRANSITIONS[s].length === 0));

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: RequestStatus, to: RequestStatus): void {
  if (!canTransition(from, to)) throw new AppError('REQUEST_ILLEGAL_TRANSITION', { from, to });
}
