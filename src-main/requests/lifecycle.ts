/**
 * The request lifecycle as an explicit state machine (Diagram 3).
 *
 *   draft → applicant_verified | applicant_unverified → documents_complete → signed → queued →
 *   sent → registered → under_review → refused | result_ready → issued
 *
 * plus needs_attention (a permanent error the operator must look at: P4 "data cannot be obtained",
 * a rejected submission) and cancelled (only before signing).
 */
import { AppError } from '../contract/errors.js';
import type { RequestStatus } from '../contract/model.js';

export const TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  draft: ['applicant_verified', 'applicant_unverified', 'cancelled'],
  applicant_verified: ['documents_complete', 'cancelled'],
  applicant_unverified: ['applicant_verified', 'documents_complete', 'cancelled'],
  documents_complete: ['signed', 'applicant_verified', 'applicant_unverified', 'cancelled'],
  signed: ['queued', 'needs_attention'],
  queued: ['sent', 'needs_attention'],
  sent: ['registered', 'queued', 'needs_attention'],
  registered: ['under_review', 'refused', 'result_ready'],
  under_review: ['refused', 'result_ready'],
  refused: ['issued'],
  result_ready: ['issued'],
  issued: [],
  needs_attention: ['queued', 'signed'],
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

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: RequestStatus, to: RequestStatus): void {
  if (!canTransition(from, to)) throw new AppError('REQUEST_ILLEGAL_TRANSITION', { from, to });
}
