/**
 * Stage 6, step reports: the regulation's clock's events (src-main/reports) go to the licensing
 * backend's report endpoint in batches, oldest first, so the Centre's dashboard sees every
 * workstation. Exactly once: the backend stores each event id once however often it arrives
 * (docs/gateway-protocol.md, "Step reports"), and an event is marked reported only after the
 * backend's answer for its batch; a lost answer means the batch goes again. Failures go to the
 * one FailurePolicy: transient → the stage waits out the backoff (the events stay queued),
 * workstation → the round stops. No request is ever parked for a report.
 */
import { writeTx, type Db } from '../../db/database.js';
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

export class StepReports {
  private attempts = 0;
  private notBefore = 0;

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
        const receipt = await ctx.gateway.reportStepEvents(batch);
        writeTx(ctx.requests.db, () => ctx.repos.steps.markReported(batch.map((e) => e.id), ctx.nowIso()));
        this.attempts = 0;
        ctx.log.debug({ sent: batch.length, duplicates: receipt.duplicates }, 'step events reported');
      } catch (e) {
        ctx.policy.handle(e, {
          what: 'step report',
          attempts: this.attempts++,
          // A report is never a request's problem: a refused batch is tried again later.
          park: () => false,
          retry: (at) => {
            this.notBefore = at.getTime();
          },
        });
        return;
      }
    }
  }
}
