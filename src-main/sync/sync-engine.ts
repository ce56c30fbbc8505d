/**
 * The sync engine: the only road from the outbox to the network (docs/gateway-protocol.md,
 * "The sync engine"; src-main/sync/README.md). It is the scheduler of the stages in stages/:
 *
 *   probe (online = the backend answered `health`, not what the OS claims) →
 *   submit (the offline P3 look-up, upload, submission with the entry's idempotency key) →
 *   poll decisions → fetch and verify results (and check again those that did not verify) →
 *   acknowledge issued results.
 *
 * Every stage hands its failures to the one FailurePolicy (policy.ts): a workstation problem stops
 * the round and becomes the queue's `problem`; a request problem parks the request; a transient one
 * is retried after a backoff, with pauses for the server's Retry-After. Nothing is ever deleted.
 * Everything the engine needs to resume is in the database; what it keeps in memory (when to poll
 * next, a pause) only makes it ask sooner after a restart.
 */
import type { ApplicantService } from '../applicant/applicant-service.js';
import type { QueueStatus, RequestStatus, SendNowResult } from '../contract/model.js';
import { writeTx } from '../db/database.js';
import type { GatewayClient } from '../gateway/gateway-client.js';
import type { Logger } from '../host/logger-types.js';
import type { RequestService } from '../requests/request-service.js';
import { SyncContext, type Halt, type SyncOptions } from './context.js';
import { FailurePolicy } from './policy.js';
import { Acknowledgements } from './stages/acknowledge.js';
import { StepReports } from './stages/step-reports.js';
import { Decisions } from './stages/decisions.js';
import { Coalesced } from './link-state.js';
import { probe, probeOnce } from './stages/probe.js';
import { Results } from './stages/results.js';
import { Submissions } from './stages/submit.js';
import { Uploads } from './stages/upload.js';

export type { SyncOptions } from './context.js';
export { RESULT_PROBLEMS } from './stages/results.js';

const MIN_DELAY_MS = 50;
/** "Send now" answers within this, whatever the line does (then `checking`; the header follows). */
const SEND_NOW_ANSWER_MS = 900;
/** Presses of "Send now" within this share one probe. */
const SEND_NOW_COALESCE_MS = 1000;

export class SyncEngine {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private publishTimer: NodeJS.Timeout | null = null;
  private readonly policy: FailurePolicy;
  private readonly ctx: SyncContext;
  private readonly uploads: Uploads;
  private readonly submissions: Submissions;
  private readonly decisions: Decisions;
  private readonly results: Results;
  private readonly acks: Acknowledgements;
  /** The regulation's clock's events to the backend's report endpoint (stage 6). */
  readonly stepReports: StepReports;
  private readonly sendNowProbe: Coalesced<SendNowResult>;

  constructor(
    private readonly requests: RequestService,
    applicants: ApplicantService,
    gateway: GatewayClient,
    private readonly log: Logger,
    private readonly opts: SyncOptions,
    private readonly onQueueChanged: (s: QueueStatus) => void = () => {},
  ) {
    this.policy = new FailurePolicy(
      {
        intervalSeconds: opts.intervalSeconds,
        now: opts.now,
        random: opts.random,
        baseSeconds: opts.backoffBaseSeconds ?? 2,
        maxSeconds: opts.maxBackoffSeconds ?? 300,
        maxPauseSeconds: opts.maxPauseSeconds ?? 60,
      },
      log,
      () => this.publish(),
    );
    this.ctx = new SyncContext(requests, gateway, log, opts, this.policy, () => this.changed());
    this.uploads = new Uploads(this.ctx);
    this.decisions = new Decisions(this.ctx);
    this.submissions = new Submissions(this.ctx, applicants, this.uploads, (id, at) => this.decisions.schedule.set(id, at));
    this.results = new Results(this.ctx, this.decisions);
    this.acks = new Acknowledgements(this.ctx);
    this.stepReports = new StepReports(this.ctx);
    this.sendNowProbe = new Coalesced(() => Date.now(), SEND_NOW_COALESCE_MS);
  }

  // ------------------------------------------------------------------ scheduling

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = null;
    await this.running;
    writeTx(this.requests.db, () => this.uploads.flush());
  }

  /** Runs a round now (or right after the current one). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Runs one full round that starts after this call (waiting for a round already under way). */
  async runOnce(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.round().finally(() => {
      this.running = null;
    });
    await this.running;
  }

  /**
   * "Send now": ONE probe of the backend, even during a Retry-After pause (presses within a second,
   * or while it runs, share it); when the backend answers, the pause is over and a round starts at
   * once. Answers within a second with what happened: sending, nothing to send, still in
   * maintenance / rate limited until, unreachable, a workstation problem, or `checking` when the
   * line is slower than that (the header then follows by queue.changed).
   */
  sendNow(): Promise<SendNowResult> {
    const answer = this.sendNowProbe.run(async () => {
      const failure = await probeOnce(this.ctx);
      if (failure === null) this.kick();
      else this.publish();
      return this.sendNowResult(failure);
    });
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<SendNowResult>((resolve) => {
      timer = setTimeout(() => resolve(this.sendNowResult(undefined)), SEND_NOW_ANSWER_MS);
    });
    return Promise.race([answer, slow]).finally(() => clearTimeout(timer));
  }

  /** What to tell the operator after a Send now probe (`failure`: null = answered, undefined = no answer yet). */
  private sendNowResult(failure: unknown): SendNowResult {
    const s = this.status();
    const base = { until: null, problem: null, queued: s.counts.queued };
    if (failure === undefined) return { ...base, outcome: 'checking' };
    if (failure === null) return { ...base, outcome: s.counts.queued > 0 ? 'sending' : 'up_to_date' };
    const problem = this.policy.problemOf(failure);
    if (problem) return { ...base, outcome: 'problem', problem };
    if (s.link === 'maintenance' || s.link === 'rate_limited') return { ...base, outcome: s.link, until: s.linkUntil };
    return { ...base, outcome: 'unreachable' };
  }

  status(): QueueStatus {
    const c = this.requests.statusCounts();
    const n = (...s: RequestStatus[]) => s.reduce((sum, x) => sum + (c[x] ?? 0), 0);
    return {
      online: this.policy.online,
      ...this.policy.link.snapshot(),
      lastProbeAt: this.policy.lastProbeAt,
      problem: this.policy.problem,
      // Needing attention: what the work list marks so (a request refused at sending whose paper is
      // printed stays needs_attention, the backend never had it, but leaves the operator nothing to do).
      counts: {
        queued: n('signed', 'queued'),
        sent: n('sent'),
        registered: n('registered', 'under_review'),
        needsAttention: this.requests.repos.refusals.needingAttention(),
      },
    };
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce().finally(() => {
        if (this.again) {
          this.again = false;
          this.schedule(0);
        } else {
          this.schedule(this.nextDelayMs());
        }
      });
    }, ms);
    this.timer.unref?.();
  }

  /** When the next round is useful: what the link says (a pause, a problem, offline), else the earliest due work. */
  private nextDelayMs(): number {
    const interval = this.opts.intervalSeconds * 1000;
    const wait = this.policy.waitMs();
    if (wait !== null) return wait;
    const earliest = this.requests.repos.outbox.nextDueAt();
    const next = Math.min(earliest ? Date.parse(earliest) : Infinity, this.decisions.schedule.earliest(), this.results.recheckSchedule.earliest());
    return Math.min(interval, Math.max(MIN_DELAY_MS, next - this.policy.nowMs()));
  }

  // ------------------------------------------------------------------ events

  /** Publishes the queue's state now. */
  private publish(): void {
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = null;
    try {
      this.onQueueChanged(this.status());
    } catch (e) {
      this.log.warn({ err: e }, 'queue status could not be published');
    }
  }

  /** Something outside a round changed the counts (a refusal's paper printed): publish soon. */
  countsChanged(): void {
    this.changed();
  }

  /** Something changed during a round: publish within 250 ms (many changes, one event). */
  private changed(): void {
    if (this.publishTimer || this.stopped) return;
    this.publishTimer = setTimeout(() => this.publish(), 250);
    this.publishTimer.unref?.();
  }

  // ------------------------------------------------------------------ the round

  private async round(): Promise<void> {
    let probed = false;
    try {
      // Retry-After: not a single call before the server said.
      if (!this.policy.beginRound()) return;
      probed = true;
      if (!(await probe(this.ctx))) return;
      const halt: Halt = () => this.stopped || this.policy.halted();
      await this.submissions.run(halt);
      if (!halt()) {
        const ready = await this.decisions.poll(halt);
        if (ready) await this.results.fetchAll(ready, halt);
      }
      if (!halt()) await this.results.recheck(halt);
      if (!halt()) await this.acks.run(halt);
      if (!halt()) await this.stepReports.run(halt);
    } catch (e) {
      // Every stage handles its own failures; this is a bug or the database failing.
      this.policy.unexpected(e, 'sync round failed');
    } finally {
      if (probed) this.policy.endRound();
      this.publish();
    }
  }
}
