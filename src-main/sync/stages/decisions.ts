/**
 * Stage 3, poll decisions: registered and under-review requests are asked about with `statuses()`
 * in batches of POLL_BATCH, each no sooner than the server's `nextPollSeconds` (a fresh
 * registration after one interval). `under_review` and refusals (with their reasons as sent) are
 * recorded here; a result is handed to the results stage. A number the backend does not know is
 * flagged (GATEWAY_UNKNOWN_SUBMISSION), not moved.
 */
import type { PolledRow } from '../../db/repos/requests.js';
import type { SubmissionStatus } from '../../gateway/gateway-client.js';
import { recordDecision, recordUnderReview } from '../../requests/outcomes.js';
import type { Halt, SyncContext } from '../context.js';

/** Statuses polled per exchange (the protocol's limit). */
const POLL_BATCH = 200;

/** A polled request with the status the backend gave it. */
export type Polled = [PolledRow, SubmissionStatus];

/**
 * When each request is next worth asking about (in memory: after a restart every request is asked
 * once), and the asking itself.
 */
export class PollSchedule {
  private readonly at = new Map<string, number>();

  constructor(private readonly ctx: SyncContext) {}

  set(requestId: string, atMs: number): void {
    this.at.set(requestId, atMs);
  }

  delete(requestId: string): void {
    this.at.delete(requestId);
  }

  /** The earliest instant something is due (Infinity: nothing). */
  earliest(): number {
    let next = Infinity;
    for (const t of this.at.values()) next = Math.min(next, t);
    return next;
  }

  /**
   * Asks the backend for the statuses of the rows that are due, POLL_BATCH at a time until `halt`;
   * `each` sees every asked row with its status (undefined: not in the answer; null: unknown
   * there) and returns what to work on next. Null when a batch failed and the round should not go on.
   */
  async askDue<T>(rows: PolledRow[], halt: Halt, each: (r: PolledRow, s: SubmissionStatus | null | undefined, now: number) => T | null): Promise<T[] | null> {
    const now = this.ctx.nowMs();
    // Forget the requests that left the polled statuses.
    const live = new Set(rows.map((r) => r.id));
    for (const id of this.at.keys()) if (!live.has(id)) this.at.delete(id);
    const due = rows.filter((r) => (this.at.get(r.id) ?? 0) <= now);
    const out: T[] = [];
    for (let i = 0; i < due.length && !halt(); i += POLL_BATCH) {
      const batch = due.slice(i, i + POLL_BATCH);
      const answer = await this.statuses(batch);
      if (!answer) return null;
      for (const r of batch) {
        const next = each(r, answer.get(r.registration_number), now);
        if (next !== null) out.push(next);
      }
    }
    return out;
  }

  /** One batch of statuses (null: the round should not go on); a number the server does not know maps to null. */
  private async statuses(batch: PolledRow[]): Promise<Map<string, SubmissionStatus | null> | null> {
    try {
      const answer = await this.ctx.gateway.statuses(batch.map((r) => r.registration_number));
      const out = new Map<string, SubmissionStatus | null>(answer.items.map((s) => [s.registrationNumber, s]));
      for (const n of answer.unknown) out.set(n, null);
      return out;
    } catch (e) {
      this.ctx.policy.handle(e, { what: 'status poll' });
      return null;
    }
  }
}

export class Decisions {
  readonly schedule: PollSchedule;
  private readonly failures = new Map<string, number>();

  constructor(private readonly ctx: SyncContext) {
    this.schedule = new PollSchedule(ctx);
  }

  /** Polls what is due; returns the requests whose result is ready to download (null: stop the round). */
  async poll(halt: Halt): Promise<Polled[] | null> {
    const { ctx } = this;
    return this.schedule.askDue(ctx.repos.requests.awaitingDecision(), halt, (r, s, now): Polled | null => {
      if (s === undefined) this.schedule.set(r.id, now + ctx.intervalMs);
      else if (s === null) {
        // Registered here, unknown there (the backend lost it?): the operator and the administrator must look.
        this.schedule.set(r.id, now + ctx.policy.maxMs);
        ctx.flag(r.id, 'GATEWAY_UNKNOWN_SUBMISSION');
      } else if (this.apply(r, s)) return [r, s];
      return null;
    });
  }

  /** The result was recorded (or parked): no more polling for this request. */
  done(requestId: string): void {
    this.schedule.delete(requestId);
  }

  /** Downloading or recording the result failed: flag the request, or ask again after a backoff. */
  failed(requestId: string, e: unknown): void {
    const { ctx } = this;
    const n = this.failures.get(requestId) ?? 0;
    ctx.policy.handle(e, {
      what: 'result download',
      requestId,
      attempts: n,
      park: (code) => {
        this.schedule.set(requestId, ctx.nowMs() + ctx.policy.maxMs);
        ctx.flag(requestId, code);
      },
      retry: (at) => {
        this.failures.set(requestId, n + 1);
        this.schedule.set(requestId, at.getTime());
      },
    });
  }

  /** Applies a status; true when a result is to be downloaded. */
  private apply(r: PolledRow, s: SubmissionStatus): boolean {
    const { ctx } = this;
    this.failures.delete(r.id);
    if (s.refusal) {
      recordDecision(
        ctx.requests,
        { requestId: r.id, kind: 'refused', reasons: s.refusal.reasons.map((x) => ({ code: x.code, text: x.text })), decidedAt: s.decidedAt ?? s.receivedAt },
        ctx.nowIso(),
      );
      this.schedule.delete(r.id);
      ctx.log.info({ requestId: r.id, reasons: s.refusal.reasons.map((x) => x.code) }, 'refused by the provider (P8)');
      ctx.changed();
      return false;
    }
    if (s.result) return true;
    if (s.status === 'under_review' && r.status === 'registered') {
      recordUnderReview(ctx.requests, r.id, 'under_review', ctx.nowIso());
      ctx.notify(r.id);
    }
    this.schedule.set(r.id, ctx.nowMs() + Math.max(1, s.nextPollSeconds ?? ctx.opts.intervalSeconds) * 1000);
    return false;
  }
}
