/**
 * How a request changes status: the guarded change with its history, audit entry and step event
 * (one status, or several in one go from a row the caller read: the signing commit), and the
 * result's due date kept on the request. RequestService adds the operator's changes to it.
 */
import { AppError } from '../contract/errors.js';
import { assertTransition } from '../contract/lifecycle.js';
import type { RequestStatus } from '../contract/model.js';
import { writeTx } from '../db/database.js';
import type { StepChain } from '../db/repos/requests.js';
import { applyTransition } from '../db/repos/transitions.js';
import { resultDueDate } from './due-date.js';
import { momentsOf } from './expected-result.js';
import { RequestQueries } from './request-queries.js';
import type { RequestRow } from './request-types.js';

/** A request's status, service and chain of step events, as read in the transaction changing it. */
type TransitionState = { status: RequestStatus; service_id: string; chain: StepChain };

export class RequestLifecycle extends RequestQueries {
  /** Moves a request along the lifecycle inside the caller's transaction, recording history and audit. */
  setStatus(id: string, from: RequestStatus, to: RequestStatus, actorId: string, lastError: string | null = null, refusal: 'incomplete' | 'expired' | null = null): void {
    writeTx(this.db, () => {
      const state = this.opts.steps?.isEvent(from, to) ? this.repos.requests.transitionState(id) : undefined;
      this.move(id, from, to, actorId, lastError, refusal, state);
    });
  }

  /**
   * Moves a request along several statuses in the caller's transaction (the signing commit:
   * documents_complete → signed → queued), from its row as the caller read it in this
   * transaction: the status changes and their step events need no other read of it. A row
   * read before another change is refused (REQUEST_STATE), as setStatus refuses a stale `from`.
   */
  advance(read: RequestRow, path: readonly RequestStatus[], actorId: string): void {
    writeTx(this.db, () => {
      let state: TransitionState = { status: read.status, service_id: read.service_id, chain: { head: read.step_head, kinds: read.step_kinds, opened: read.step_opened } };
      for (let i = 1; i < path.length; i++) {
        const chain = this.move(read.id, path[i - 1]!, path[i]!, actorId, null, null, state);
        state = { status: path[i]!, service_id: read.service_id, chain: chain ?? state.chain };
      }
    });
  }

  /**
   * One status change, with its step event (src-main/reports/step-log.ts) written first: the
   * request's chain of events then moves with the status, in the one write of its row (bench:report).
   * `state`, the request's as read in this transaction, is needed only when the change is a step
   * event. Returns the request's chain after the change.
   */
  private move(
    id: string,
    from: RequestStatus,
    to: RequestStatus,
    actorId: string,
    lastError: string | null,
    refusal: 'incomplete' | 'expired' | null,
    state: TransitionState | undefined,
  ): StepChain | undefined {
    const now = this.opts.now();
    const steps = this.opts.steps;
    let stepChain: { before: number | null; after: StepChain } | undefined;
    // No `state`: not a step event, or no such request (the guarded change below refuses it).
    if (steps && state && steps.isEvent(from, to)) {
      // Refused as applyTransition would refuse it, before anything is written.
      if (state.status !== from) throw new AppError('REQUEST_STATE', { status: from });
      assertTransition(from, to);
      const after = steps.onTransition({ requestId: id, serviceId: state.service_id, from, to, actor: actorId, refusal, chain: state.chain });
      if (after) stepChain = { before: state.chain.head, after };
    }
    applyTransition(this.db, this.audit, { id, from, to, actor: actorId, at: now.toISOString(), lastError, stepChain });
    if (to === 'queued' || to === 'registered') this.keepDueDate(id, to, now);
    return stepChain?.after ?? state?.chain;
  }

  /**
   * The result's due date on the request (due-date.ts): set at the first acceptance (a re-queue
   * keeps it), recomputed at registration (its history then holds both moments).
   */
  private keepDueDate(id: string, to: 'queued' | 'registered', now: Date): void {
    const requests = this.repos.requests;
    if (to === 'queued' && requests.dueDate(id) !== null) return;
    const r = this.row(id);
    const moments = to === 'queued' ? { acceptedAt: now.toISOString(), registeredAt: null } : momentsOf(this.repos.history.forRequest(id));
    requests.setDueDate(id, resultDueDate(this.catalog, r, moments, now));
  }
}
