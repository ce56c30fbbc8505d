/**
 * Stage 4, fetch and verify results: the result is downloaded (its SHA-256 and size checked
 * against the status by the gateway client), its provider signature verified at the server's
 * decision time, stored (fsync'd), then the decision and the result are recorded in one
 * transaction. Only a valid result makes the request `result_ready`; one that does not verify is
 * kept (`invalid` or `unverified`) and the request needs attention. Such requests are downloaded
 * and checked again every `maxBackoffSeconds` (and at every start): once it verifies,
 * `needs_attention → result_ready`.
 */
import { AppError } from '../../contract/errors.js';
import { writeTx } from '../../db/database.js';
import type { PolledRow } from '../../db/repos/requests.js';
import type { SubmissionStatus } from '../../gateway/gateway-client.js';
import { recordDecision, recordResult } from '../../requests/outcomes.js';
import type { Halt, SyncContext } from '../context.js';
import { PollSchedule, type Decisions, type Polled } from './decisions.js';

/** Why a registered request needs attention because of its result (checked again by the engine). */
export const RESULT_PROBLEMS = ['SYNC_RESULT_SIGNATURE_INVALID', 'SYNC_RESULT_UNVERIFIED'] as const;

interface ResultCheck {
  verification: 'valid' | 'invalid' | 'unverified';
  /** The request's code when not valid. */
  code: (typeof RESULT_PROBLEMS)[number] | null;
  /** The verifier's own code (SIGN_VERIFY_*), kept with the result. */
  detail: string | null;
}

export class Results {
  /** When each result that did not verify is checked again. */
  readonly recheckSchedule: PollSchedule;

  constructor(
    private readonly ctx: SyncContext,
    private readonly decisions: Decisions,
  ) {
    this.recheckSchedule = new PollSchedule(ctx);
  }

  /** Downloads, verifies, stores and records the results of `ready` requests. */
  async fetchAll(ready: Polled[], halt: Halt): Promise<void> {
    await this.ctx.pool(ready, ([r, s]) => this.fetch(r, s), halt);
  }

  private async fetch(r: PolledRow, s: SubmissionStatus): Promise<void> {
    const { ctx } = this;
    try {
      const doc = await ctx.gateway.downloadResult(r.registration_number, s.result!);
      const check = await this.check(r, doc.pdf, doc.cms, s);
      const stored = await ctx.requests.files.put(doc.pdf);
      const at = ctx.nowIso();
      writeTx(ctx.requests.db, () => {
        const decisionId = recordDecision(
          ctx.requests,
          { requestId: r.id, kind: 'result_ready', reasons: [], decidedAt: s.decidedAt ?? s.receivedAt },
          at,
          check.code ? { to: 'needs_attention', lastError: check.code } : {},
        );
        recordResult(
          ctx.requests,
          { requestId: r.id, decisionId, file: { sha256: stored.sha256, size: stored.size, mediaType: 'application/pdf' }, cms: doc.cms, verification: check.verification, verificationCode: check.detail },
          at,
        );
      });
      this.decisions.done(r.id);
      if (check.code) {
        this.recheckSchedule.set(r.id, ctx.nowMs() + ctx.policy.maxMs);
        ctx.log.warn({ requestId: r.id, code: check.code, detail: check.detail }, 'result received but its signature did not verify: needs attention');
      } else ctx.log.info({ requestId: r.id }, 'result received and verified (P9)');
      ctx.changed();
    } catch (e) {
      this.decisions.failed(r.id, e);
    }
  }

  private async check(r: PolledRow, pdf: Buffer, cms: Buffer, s: SubmissionStatus): Promise<ResultCheck> {
    const verify = this.ctx.opts.verifyResult;
    if (!verify) return { verification: 'unverified', code: 'SYNC_RESULT_UNVERIFIED', detail: null };
    try {
      // Checked against the trust of the provider of this request's service only.
      const ok = await verify(pdf, cms, new Date(s.decidedAt ?? s.receivedAt), this.ctx.requests.row(r.id).service_id);
      return ok ? { verification: 'valid', code: null, detail: null } : { verification: 'unverified', code: 'SYNC_RESULT_UNVERIFIED', detail: null };
    } catch (e) {
      if (e instanceof AppError && e.code.startsWith('SIGN_')) return { verification: 'invalid', code: 'SYNC_RESULT_SIGNATURE_INVALID', detail: e.code };
      throw e;
    }
  }

  /**
   * A request whose result did not verify is checked again (downloaded and verified anew): the
   * provider may have signed it again, or the administrator fixed the trust roots (at the next
   * start). Once it verifies, the request becomes result_ready.
   */
  async recheck(halt: Halt): Promise<void> {
    const { ctx } = this;
    const rows = ctx.repos.requests.registeredNeedingAttention(RESULT_PROBLEMS);
    const found = await this.recheckSchedule.askDue(rows, halt, (r, s, now): Polled | null => {
      if (s?.result) return [r, s];
      this.recheckSchedule.set(r.id, now + ctx.policy.maxMs);
      return null;
    });
    if (found) await ctx.pool(found, ([r, s]) => this.recheckOne(r, s), halt);
  }

  private async recheckOne(r: PolledRow, s: SubmissionStatus): Promise<void> {
    const { ctx } = this;
    this.recheckSchedule.set(r.id, ctx.nowMs() + ctx.policy.maxMs);
    try {
      const doc = await ctx.gateway.downloadResult(r.registration_number, s.result!);
      const check = await this.check(r, doc.pdf, doc.cms, s);
      if (check.code) return;
      const stored = await ctx.requests.files.put(doc.pdf);
      const at = ctx.nowIso();
      writeTx(ctx.requests.db, () => {
        if (ctx.requests.row(r.id).status !== 'needs_attention') return;
        const decision = ctx.repos.outcomes.latestDecision(r.id);
        recordResult(
          ctx.requests,
          { requestId: r.id, decisionId: decision?.id ?? null, file: { sha256: stored.sha256, size: stored.size, mediaType: 'application/pdf' }, cms: doc.cms, verification: 'valid', verificationCode: null },
          at,
        );
        ctx.requests.setStatus(r.id, 'needs_attention', 'result_ready', 'sync');
      });
      this.recheckSchedule.delete(r.id);
      ctx.log.info({ requestId: r.id }, 'result verified on a second check (P9)');
      ctx.notify(r.id);
    } catch (e) {
      ctx.policy.handle(e, { what: 'result check', requestId: r.id });
    }
  }
}
