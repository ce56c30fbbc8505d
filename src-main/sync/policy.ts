/**
 * The sync engine's one failure policy, and the link state it keeps (online, paused, the
 * workstation's problem). Every stage hands its failures to `FailurePolicy.handle` with what it
 * can do about them (park the request, retry it later); the policy decides, in this one place:
 *
 *   workstation (TLS, the client certificate, the protocol, the local disk) → the round stops, no
 *     request is blamed or touched, the code is the queue's `problem`;
 *   request (the backend's refusal, P4, a file gone, a manifest unreadable), or a bad answer
 *     repeated ESCALATE_AFTER times → the stage parks the request (needs attention, a flag);
 *   transient → offline when the backend was unreachable, a pause for the server's Retry-After
 *     (429, 503 maintenance: no call at all before it ends, but never longer than
 *     `maxPauseSeconds` per episode: beyond it the offline probe's backoff pace, and "Send now"
 *     probes through any pause), and the stage retries after an exponential full-jitter backoff
 *     that never undercuts the (bounded) Retry-After. The line's state as the operator is told
 *     it (online, offline, maintenance until, rate limited until, last contact) is `link`.
 *
 * When to call the backend again is decided here too (`waitMs`: a pause, a problem, the offline
 * probe's backoff) and `pause` is the one place a pause starts: change the pause and probe rules
 * here, nowhere else.
 */
import { isDefinitiveRefusal } from '../gateway/gateway-client.js';
import type { Logger } from '../host/logger-types.js';
import { backoffSeconds, classify, type BackoffPolicy, type Failure } from './backoff.js';
import { LinkState } from './link-state.js';

/** A repeated unreadable or oversized answer: after this many attempts the operator is asked. */
export const ESCALATE_AFTER = 12;
const REPEATABLE_BAD = new Set(['GATEWAY_BAD_RESPONSE', 'GATEWAY_RESPONSE_TOO_LARGE']);
/** The offline probe never comes back sooner than this. */
const MIN_PROBE_DELAY_MS = 250;

/** What a stage can do about one failed piece of work. */
export interface FailureTarget {
  /** What failed, for the log ("delivery", "status poll", …). */
  what: string;
  requestId?: string;
  /** Failures of this piece of work so far (the backoff grows with them). */
  attempts?: number;
  /**
   * The code this work failed with last time: given, a bad answer repeated ESCALATE_AFTER times
   * is escalated to SYNC_REPEATED_BAD_RESPONSE and parked (not definitive: the backend may hold it).
   */
  lastCode?: () => string | null;
  /**
   * A request-scoped failure: park the request (`definitive`: the backend itself refused, the key
   * can never be registered). Returns false when it cannot be parked: then it is retried.
   */
  park?: (code: string, definitive: boolean) => boolean | void;
  /** A transient failure: try again at `at`. */
  retry?: (at: Date, code: string) => void;
  /** No log line for a transient failure (the probe: its log is the online flag changing). */
  quiet?: boolean;
}

export interface PolicyOptions extends BackoffPolicy {
  intervalSeconds: number;
  /** The longest pause a Retry-After imposes per episode (default 60). */
  maxPauseSeconds?: number;
  now: () => Date;
  random?: () => number;
}

export class FailurePolicy {
  online = false;
  lastProbeAt: string | null = null;
  /** The workstation-level problem of the last round (shown to the administrator). */
  problem: string | null = null;
  /** Set by the round under way when a workstation-scoped error stops it. */
  private roundProblem: string | null = null;
  private offlineRounds = 0;
  /** The line as the operator is told it, and the bounded Retry-After pause. */
  readonly link: LinkState;

  constructor(
    private readonly opts: PolicyOptions,
    private readonly log: Logger,
    private readonly onOnlineChanged: () => void,
  ) {
    this.link = new LinkState(() => this.nowMs(), opts.maxPauseSeconds ?? 60);
  }

  nowMs(): number {
    return this.opts.now().getTime();
  }

  /** Seconds to wait after `attempts` failures, never less than the server's Retry-After (as far as maxPauseSeconds allows). */
  backoffSeconds(attempts: number, retryAfterSeconds = 0): number {
    const floor = Math.min(retryAfterSeconds, this.opts.maxPauseSeconds ?? 60);
    return backoffSeconds(this.opts, attempts, floor, () => (this.opts.random ?? Math.random)());
  }

  /** The instant `backoffSeconds` from now. */
  retryAt(attempts: number, retryAfterSeconds = 0): Date {
    return new Date(this.nowMs() + this.backoffSeconds(attempts, retryAfterSeconds) * 1000);
  }

  /** The longest wait (a request flagged, a result to check again). */
  get maxMs(): number {
    return this.opts.maxSeconds * 1000;
  }

  // ------------------------------------------------------------------ the link

  paused(): boolean {
    return this.link.paused();
  }

  /** The round goes on only while nothing stopped it, the backend is reachable and did not ask to wait. */
  halted(): boolean {
    return this.roundProblem !== null || !this.online || this.paused();
  }

  /** A round starts (true) unless the backend asked to wait (then not a single call is made). */
  beginRound(): boolean {
    this.roundProblem = null;
    return !this.paused();
  }

  /** The round ended: its workstation problem (or none) becomes the queue's. */
  endRound(): void {
    if (this.roundProblem !== this.problem) this.log.warn({ problem: this.roundProblem }, 'workstation problem changed');
    this.problem = this.roundProblem;
  }

  /** A probe's outcome (its failure already went through handle()). */
  probed(ok: boolean): void {
    this.lastProbeAt = this.opts.now().toISOString();
    if (ok) this.offlineRounds = 0;
    else this.offlineRounds++;
    // Maintenance and rate limits were recorded by handle(); any other failed probe: offline.
    const changed = ok ? this.link.contact() : this.link.state === 'online' && this.link.unreachable();
    if (changed && ok === this.online) this.onOnlineChanged();
    this.setOnline(ok);
  }

  setOnline(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    this.log.info({ online }, 'backend reachability changed');
    this.onOnlineChanged();
  }

  /**
   * A failure's word on the line: 429 / 503 maintenance pause it (bounded: link-state.ts),
   * unreachable makes it offline. The one place a pause starts.
   */
  private noteLink(e: unknown): void {
    const before = this.link.pauseLeftMs();
    const changed = this.link.failed(e);
    const after = this.link.pauseLeftMs();
    if (after > before + 500) this.log.info({ state: this.link.state, seconds: Math.round(after / 1000), until: this.link.snapshot().linkUntil }, 'the backend asked to wait (Retry-After, bounded by maxPauseSeconds)');
    if (changed) this.onOnlineChanged();
  }

  /**
   * How long before the next round when the link decides it: the rest of a pause, an interval
   * while the workstation has a problem, the offline probe's backoff (at least 250 ms, at most an
   * interval). Null when online: the due work decides.
   */
  waitMs(): number | null {
    const interval = this.opts.intervalSeconds * 1000;
    const pause = this.link.pauseLeftMs();
    if (pause > 0) return pause;
    if (this.problem) return interval;
    if (!this.online) return Math.min(interval, Math.max(MIN_PROBE_DELAY_MS, this.backoffSeconds(this.offlineRounds - 1) * 1000));
    return null;
  }

  // ------------------------------------------------------------------ failures

  /** A failed piece of work: blame the workstation, park the request, or retry later. */
  handle(e: unknown, t: FailureTarget): void {
    const f = classify(e);
    if (f.scope === 'workstation') return this.stopRound(f, e);
    if (f.code === 'INTERNAL') this.log.error({ err: e, requestId: t.requestId }, `unexpected failure: ${t.what}`);
    const attempts = t.attempts ?? 0;
    const escalate = f.scope === 'transient' && REPEATABLE_BAD.has(f.code) && attempts + 1 >= ESCALATE_AFTER && t.lastCode !== undefined && t.lastCode() === f.code;
    if ((f.scope === 'request' || escalate) && t.park) {
      const code = escalate ? 'SYNC_REPEATED_BAD_RESPONSE' : f.code;
      // Only the backend's own answer makes the key unregistrable (RequestService.reopen).
      if (t.park(code, !escalate && isDefinitiveRefusal(e)) !== false) return;
    }
    if (f.offline) this.setOnline(false);
    this.noteLink(e);
    if (t.retry) {
      const wait = this.backoffSeconds(attempts, f.retryAfterSeconds);
      t.retry(new Date(this.nowMs() + wait * 1000), f.code);
      if (!t.quiet) this.log.warn({ requestId: t.requestId, code: f.code, attempt: attempts + 1, backoffSeconds: Math.round(wait * 10) / 10 }, `${t.what} failed; will retry`);
    } else if (!t.quiet) this.log.warn({ requestId: t.requestId, code: f.code }, `${t.what} failed; will try again later`);
  }

  /** The workstation-scoped code of a failure (TLS, certificate, protocol, disk), or null. */
  problemOf(e: unknown): string | null {
    const f = classify(e);
    return f.scope === 'workstation' ? f.code : null;
  }

  /** A failure nothing expected (a bug, the database failing): logged; a workstation one still stops the round. */
  unexpected(e: unknown, what: string): void {
    this.log.error({ err: e }, what);
    const f = classify(e);
    if (f.scope === 'workstation') this.stopRound(f, e);
  }

  /** A workstation-scoped error: nothing more is sent this round; no request is touched. */
  private stopRound(f: Failure, e: unknown): void {
    if (this.roundProblem === null) this.log.error({ code: f.code, detail: e instanceof Error ? e.message : String(e) }, 'workstation problem: sending stopped');
    this.roundProblem = f.code;
  }
}
