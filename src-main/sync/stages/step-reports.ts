/**
 * Stage 6, step reports: the regulation's clock's events (src-main/reports) go to the licensing
 * backend's report endpoint in batches, oldest first, so the Centre's dashboard sees every
 * workstation. Exactly once: the backend stores each event id once however often it arrives
 * (docs/gateway-protocol.md, "Step reports"), and an event is marked reported only after the
 * backend's answer for its batch; a lost answer means the batch goes again. Failures go to the
 * one FailurePolicy: transient → the stage waits out the backoff (the events stay queued),
 * workstation → the round stops. No request is ever parked for a report.
 *
 * A batch the backend refuses for good (400 BAD_REQUEST, another non-retryable answer, or a bad
 * answer repeated ESCALATE_AFTER times) is never sent again as it is: the event the refusal names
 * (`field` = "events[3].durationMs") is set aside alone, and when it names none the whole batch is;
 * the backend stored nothing of a refused batch (it checks the whole batch first), so the events
 * not set aside go in the next batch, still exactly once. What is set aside stays in the database
 * with the reason (`step_report_parks`) and is shown to the supervisor and the administrator
 * (`report.parked`, on the dashboard).
 */
import { writeTx, type Db } from '../../db/database.js';
import type { StepEventWire } from '../../contract/report.js';
import type { StepEventsRepo } from '../../db/repos/step-events.js';
import type { GatewayClient } from '../../gateway/gateway-client.js';
import type { Logger } from '../../host/logger-types.js';
import type { Halt } from '../context.js';
import type { FailurePolicy } from '../policy.js';

/** What the stage uses of the SyncContext (narrow, so a test can run many workstations' stages alone). */
export interface StepReportContext {
  readonly repos: { readonly steps: StepEventsRepo };
  readonly requests: { readonly db: Db };
  readonly gateway: Pick<GatewayClient, 'reportStepEvents'>;
  readonly policy: FailurePolicy;
  readonly log: Logger;
  nowMs(): number;
  nowIso(): string;
}

/** Events per call (the endpoint takes at most 500). */
export const STEP_REPORT_BATCH = 200;
/** Batches per round, so a long backlog never holds the other stages back for long. */
const BATCHES_PER_ROUND = 25;

/** The events a permanent refusal is about: the one its `field` names, else the whole batch. */
function refusedEvents(e: unknown, batch: readonly StepEventWire[]): StepEventWire[] {
  const field = (e as { params?: { field?: unknown } }).params?.field;
  const i = typeof field === 'string' ? /^events\[(\d+)\]/.exec(field)?.[1] : undefined;
  const named = i === undefined ? undefined : batch[Number(i)];
  return named ? [named] : [...batch];
}

export class StepReports {
  private attempts = 0;
  private notBefore = 0;
  private lastCode: string | null = null;

  constructor(private readonly ctx: StepReportContext) {}

  /** Events waiting to be reported (for the queue's state and tests). */
  pending(): number {
    return this.ctx.repos.steps.countUnreported();
  }

  async run(halt: Halt): Promise<void> {
    const { ctx } = this;
    for (let i = 0; i < BATCHES_PER_ROUND && !halt() && ctx.nowMs() >= this.notBefore; i++) {
      const batch = ctx.repos.steps.unreportedWire(STEP_REPORT_BATCH);
      if (batch.length === 0) return;
      try {
        // The operators the batch names, by display name (the Centre's view names them).
        const names = ctx.repos.steps.operatorNames([...new Set(batch.flatMap((e) => [e.operatorId, e.counterOperatorId]))]);
        const receipt = await ctx.gateway.reportStepEvents(batch, [...names].map(([id, name]) => ({ id, name })));
        writeTx(ctx.requests.db, () => ctx.repos.steps.markReported(batch.map((e) => e.id), ctx.nowIso()));
        this.attempts = 0;
        this.lastCode = null;
        ctx.log.debug({ sent: batch.length, duplicates: receipt.duplicates }, 'step events reported');
      } catch (e) {
        let parked = false;
        ctx.policy.handle(e, {
          what: 'step report',
          attempts: this.attempts++,
          lastCode: () => this.lastCode,
          // Refused for good: set the refused events aside (never sent again), the rest go on.
          park: (code) => {
            const events = refusedEvents(e, batch);
            writeTx(ctx.requests.db, () => ctx.repos.steps.park(events.map((x) => x.id), code, ctx.nowIso()));
            ctx.log.warn({ code, events: events.length, batch: batch.length }, 'step events refused by the backend for good: set aside');
            this.attempts = 0;
            this.lastCode = null;
            parked = true;
          },
          retry: (at, code) => {
            this.notBefore = at.getTime();
            this.lastCode = code;
          },
        });
        if (!parked) return;
      }
    }
  }
}
