/**
 * The one place a request changes status: the guarded UPDATE (only from the status the caller
 * read), the status_history row (actor, time, Diagram 3 step) and the audit entry, all inside the
 * caller's write transaction. RequestService, the sync engine, reconciliation and the crash test
 * all come through here, so status and history can never disagree.
 */
import { AppError } from '../../contract/errors.js';
import { assertTransition, STEP_OF } from '../../contract/lifecycle.js';
import type { RequestStatus } from '../../contract/model.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Db } from '../database.js';
import { RequestsRepo, type StepChain } from './requests.js';
import { StatusHistoryRepo } from './status-history.js';

export interface TransitionInput {
  id: string;
  from: RequestStatus;
  to: RequestStatus;
  actor: string;
  at: string;
  /** The error code that caused the change (needs_attention), or null to clear it. */
  lastError?: string | null;
  /** The request's chain of step events before and after the change's event, written before it (reports/step-log.ts). */
  stepChain?: { before: number | null; after: StepChain };
}

export function applyTransition(db: Db, audit: AuditLog, t: TransitionInput): void {
  if (!db.inTransaction) throw new Error('applyTransition must run inside a write transaction');
  assertTransition(t.from, t.to);
  if (!new RequestsRepo(db).updateStatus(t.id, t.from, t.to, t.lastError ?? null, t.at, t.stepChain)) throw new AppError('REQUEST_STATE', { status: t.from });
  recordHistory(db, audit, t.id, t.from, t.to, t.actor, t.at, t.lastError ?? null);
}

export function recordHistory(
  db: Db,
  audit: AuditLog,
  id: string,
  from: RequestStatus | null,
  to: RequestStatus,
  actor: string,
  at: string,
  error: string | null = null,
): void {
  new StatusHistoryRepo(db).insert(id, from, to, STEP_OF[to], actor, at);
  audit.append({ actor, action: 'request.transition', subject: id, data: { from, to, step: STEP_OF[to], error } });
}
