/**
 * Stage 5, acknowledge: due `issuance_ack` entries (RequestService.issue queues one, key
 * `<requestId>:issued`) go out with the time the operator handed the result over; idempotent at
 * the backend (by registration number). A request-scoped refusal (NOT_ISSUABLE) marks the entry
 * failed and flags the (issued, terminal) request.
 */
import { AppError } from '../../contract/errors.js';
import { writeTx } from '../../db/database.js';
import type { OutboxEntry } from '../../db/repos/outbox.js';
import type { Halt, SyncContext } from '../context.js';

export class Acknowledgements {
  constructor(private readonly ctx: SyncContext) {}

  async run(halt: Halt): Promise<void> {
    await this.ctx.pool(this.ctx.repos.outbox.due(100, 'issuance_ack'), (e) => this.acknowledge(e), halt);
  }

  private async acknowledge(entry: OutboxEntry): Promise<void> {
    const { ctx } = this;
    const row = ctx.requests.row(entry.request_id);
    const issued = ctx.repos.outcomes.issuance(row.id);
    try {
      if (!row.registration_number || !issued) throw new AppError('REQUEST_STATE', { status: row.status });
      ctx.repos.outbox.markSubmitting(entry.id);
      // The operator's time of handing over, as the workstation saw it (recorded, never judged).
      const ack = await ctx.gateway.acknowledgeIssued(row.registration_number, new Date(issued.issued_at));
      writeTx(ctx.requests.db, () => {
        ctx.repos.requests.setBackendStatus(row.id, 'issued', ctx.nowIso());
        ctx.repos.outbox.markAccepted(entry.id);
      });
      ctx.log.info({ requestId: row.id, duplicate: ack.duplicate }, 'issue acknowledged to the backend');
    } catch (e) {
      ctx.policy.handle(e, {
        what: 'acknowledgement',
        requestId: row.id,
        attempts: entry.attempts,
        park: (code, definitive) => {
          // The request is issued (terminal): the problem is shown as its attention flag.
          ctx.repos.outbox.markFailed(entry.id, code, definitive);
          ctx.flag(row.id, code);
        },
        retry: (at, code) => ctx.repos.outbox.markRetry(entry.id, code, at),
      });
    }
  }
}
