/**
 * The regulation's clock: records Diagram 3 step events in the caller's write transaction (so a
 * crash loses none and invents none) and times each step from the event that opened it.
 *
 * Durations come from a monotonic clock (performance.now: immune to the wall clock being set
 * back or forward) when the opening event was written by this same run of the app. An opening
 * event of an earlier run (the app restarted in between: monotonic times are not comparable) is
 * timed by the wall clock, and a negative wall-clock difference (the clock went back) is not a
 * time: the duration is left out (null) rather than invented. The wall-clock time of each event is
 * kept for the day it counts on and for people to read.
 *
 * Steps and what opens them (src-main/reports/README.md has the table):
 *   P1 login ← the log-in screen ready          P2 look-up asked (or request opened) ← service screen ready
 *   P3 look-up answered ← look-up asked          P4 "data cannot be obtained" ← look-up asked
 *   P5 signed ← request opened / re-opened       P6 sent ← queued
 *   P7 registered ← sent                          C2 decided ← registered
 *   P9 handed over ← result (or issue) screen ready for that request
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { localDateOf } from '../calendar/index.js';
import type { RequestStatus } from '../contract/model.js';
import type { Screen, StepTimer } from '../contract/report.js';
import { writeTx, type Db } from '../db/database.js';
import { newId } from '../db/ids.js';
import { RequestsRepo, type StepChain } from '../db/repos/requests.js';
import { COUNTED_KIND_BIT, countedOutcome, StepEventsRepo, type StepEventRow } from '../db/repos/step-events.js';
import type { Norms } from './norms.js';
import { currentStep, kindOfTransition, REFUSED, SPANS, STEP_OF_SCREEN, type StepEventInput } from './step-spans.js';

/** Where time comes from: a monotonic clock of this run, and the wall clock. */
export interface StepClock {
  /** This run of the app (monotonic readings of different runs are not comparable). */
  readonly runId: string;
  /** Milliseconds on a monotonic clock. */
  readonly mono: () => number;
  readonly now: () => Date;
}

export function systemClock(now: () => Date): StepClock {
  return { runId: randomUUID(), mono: () => performance.now(), now };
}

/**
 * The operator's acceptance before its request exists: the session's log-in (until its first
 * request or P4 refusal) and the look-ups since the service screen. Claimed, in the transaction
 * that opens the request (or records the P4 refusal), by that request (or refusal).
 */
interface PreRequest {
  /** Their seqs (the id has no index). */
  login: number | null;
  lookups: number[];
}

/** A mark held in memory: the log-in screen (before anyone logs in, nothing is written). */
interface Mark {
  mono: number;
  latencyMs: number;
}

export class StepLog {
  private readonly repo: StepEventsRepo;
  /** The requests' rows hold the head of each request's chain of events (migration 016). */
  private readonly requests: RequestsRepo;
  private loginMark: Mark | null = null;
  private readonly scanJobs = new Map<string, { requestId: string; operatorId: string }>();
  /** Per operator (one session per workstation at a time): what the next request or P4 claims. */
  private readonly preRequest = new Map<string, PreRequest>();

  constructor(
    private readonly db: Db,
    readonly norms: Norms,
    private readonly opts: { workstationId: string; clock: StepClock },
  ) {
    this.repo = new StepEventsRepo(db);
    this.requests = new RequestsRepo(db);
  }

  get events(): StepEventsRepo {
    return this.repo;
  }

  /** Writes one event in the caller's transaction (or its own), timing the step it closes; returns its seq. */
  record(e: StepEventInput): number {
    return writeTx(this.db, () => this.write(e).seq);
  }

  /** Whether a status change is a step event (onTransition writes one). */
  isEvent(from: RequestStatus | null, to: RequestStatus): boolean {
    return kindOfTransition(from, to) !== null;
  }

  /**
   * A request changed status (inside RequestService's transaction): the event that change is.
   * With `chain` (the request's, read before the change), the event is written before the change
   * and the chain's new head is returned for the change to store (RequestsRepo.updateStatus);
   * without, the event moves the head itself.
   */
  onTransition(t: {
    requestId: string;
    serviceId: string;
    from: RequestStatus | null;
    to: RequestStatus;
    actor: string;
    /** A cancellation that is a refusal to accept the documents, and its ground. */
    refusal?: 'incomplete' | 'expired' | null;
    chain?: StepChain;
  }): StepChain | undefined {
    const kind = kindOfTransition(t.from, t.to);
    if (!kind) return undefined;
    // The request opened: it claims the operator's log-in (first of the session) and look-ups (P1-P3),
    // which start its chain. Only RequestService.create opens one, with no chain given: write reads it after the claim.
    if (kind === 'service_chosen') this.claim(t.actor, { requestId: t.requestId });
    const outcome = kind === 'cancelled' ? (t.refusal ?? 'withdrawn') : kind === 'decided' ? t.to : null;
    const refusal = kind === 'cancelled' && Boolean(t.refusal);
    const e: StepEventInput = { kind, operatorId: t.actor, requestId: t.requestId, serviceId: t.serviceId, outcome, refusal };
    return writeTx(this.db, () => this.write(e, t.chain)).chain;
  }

  /** The renderer's "screen ready" mark. Before log-in it is only remembered (it opens P1). */
  screenReady(operatorId: string | null, m: { screen: Screen; requestId: string | null; serviceId: string | null; latencyMs: number }): void {
    if (!operatorId) {
      if (m.screen === 'login') this.loginMark = { mono: this.opts.clock.mono(), latencyMs: m.latencyMs };
      return;
    }
    // The service screen starts an acceptance: look-ups before it belong to none.
    if (m.screen === 'service') this.pending(operatorId).lookups = [];
    this.record({ kind: 'screen_ready', operatorId, requestId: m.requestId, serviceId: m.serviceId, screen: m.screen, latencyMs: m.latencyMs });
  }

  /**
   * P1: the operator logged in (timed from the log-in screen's mark of this run, if there was one),
   * in the log-in's own transaction (its audit entry). The session's first request or P4 claims it.
   */
  loggedIn(operatorId: string): void {
    const mark = this.loginMark;
    this.loginMark = null;
    const seq = this.record({ kind: 'login', operatorId, latencyMs: mark?.latencyMs ?? null, openedAt: mark ? { run_id: this.opts.clock.runId, mono_ms: mark.mono, at: '' } : undefined });
    this.preRequest.set(operatorId, { login: seq, lookups: [] });
  }

  /** A scan into a request's slot began (its job id, to time it when it ends). */
  scanStarted(jobId: string, requestId: string, operatorId: string): void {
    this.scanJobs.set(jobId, { requestId, operatorId });
    this.record({ kind: 'scan_started', operatorId, requestId });
  }

  /** A scan job changed state (event scan.job): a job that ended is scan_finished. */
  scanJobChanged(job: { jobId: string; state: string }): void {
    const started = this.scanJobs.get(job.jobId);
    if (!started || job.state === 'scanning' || job.state === 'paused') return;
    this.scanJobs.delete(job.jobId);
    this.record({ kind: 'scan_finished', operatorId: started.operatorId, requestId: started.requestId, outcome: job.state });
  }

  /**
   * The look-up of an applicant (P3/C1) asked: the registry's question writes nothing else, so the
   * event is its own transaction. Answered: `lookupAnswered` (found: in the transaction storing the
   * applicant; the registry failing writes nothing else) or `p4Recorded` (not found).
   */
  lookupAsked(operatorId: string): void {
    this.pending(operatorId).lookups.push(this.record({ kind: 'lookup_asked', operatorId }));
  }

  lookupAnswered(operatorId: string, outcome: string): void {
    this.pending(operatorId).lookups.push(this.record({ kind: 'lookup_answered', operatorId, outcome }));
  }

  /**
   * P4, "data cannot be obtained", in the transaction recording the counter refusal: the refusal
   * (it has no request) claims the operator's log-in and look-ups as a request would.
   */
  p4Recorded(operatorId: string, refusalId: string): void {
    this.record({ kind: 'p4_recorded', operatorId, outcome: 'not_found', refusalId });
    this.claim(operatorId, { refusalId });
  }

  /**
   * Gives the operator's pre-request events (log-in, look-ups) to a request or a P4 refusal, in the
   * caller's transaction: a request's become the start of its chain of events (it has none yet).
   */
  private claim(operatorId: string, to: { requestId: string } | { refusalId: string }): void {
    const p = this.preRequest.get(operatorId);
    if (!p) return;
    const claimed = this.repo.claim([...(p.login ? [p.login] : []), ...p.lookups], to);
    this.preRequest.set(operatorId, { login: null, lookups: [] });
    if (!('requestId' in to) || claimed.length === 0) return;
    const head = this.requests.stepHead(to.requestId);
    if (!head) return;
    let prev = head.head;
    for (const seq of claimed) {
      this.repo.link(seq, prev);
      prev = seq;
    }
    this.requests.setStepHead(to.requestId, { ...head, head: prev });
  }

  private pending(operatorId: string): PreRequest {
    let p = this.preRequest.get(operatorId);
    if (!p) this.preRequest.set(operatorId, (p = { login: null, lookups: [] }));
    return p;
  }

  /** The operator's step timer: the step a request (or, with none, the counter) is in, and for how long. */
  timer(requestId: string | null, operatorId: string, serviceId: string | null): StepTimer {
    const last = requestId ? this.repo.lastOfRequest(requestId) : this.repo.lastForOperator(operatorId, ['login', 'lookup_asked', 'lookup_answered', 'p4_recorded', 'service_chosen'], ['service']);
    const step = last ? currentStep(last) : null;
    // Before a request exists the service is the one the operator picked since (the screen shows it).
    const svc = serviceId ?? last?.service_id ?? (!requestId && last ? this.repo.serviceOfOperatorSince(operatorId, last.seq) : null);
    const norm = this.norms.norm(svc, step);
    const elapsedMs = last && step ? this.elapsed(last) : null;
    return { step, serviceId: svc, elapsedMs, normMs: norm?.maxMs ?? null, nearMs: norm ? (norm.minMs ?? Math.round(norm.maxMs * 0.8)) : null };
  }

  /**
   * Writes the event, timing the step it closes. A request's event joins the request's chain:
   * `given` (read by the caller, who stores the returned chain) or read and moved here.
   */
  private write(e: StepEventInput, given?: StepChain): { seq: number; chain: StepChain | undefined } {
    const clock = this.opts.clock;
    const now = clock.now();
    const mono = clock.mono();
    const span = e.refusal ? REFUSED : SPANS[e.kind];
    let step = e.kind === 'screen_ready' ? (e.screen ? STEP_OF_SCREEN[e.screen] : null) : span.step;
    // A request's chain (migration 016): its latest event, and the counted kinds it has had.
    const chain = e.requestId ? (given ?? this.requests.stepHead(e.requestId)) : undefined;
    const opener = e.openedAt ?? span.opener(e, this.repo, chain);
    let duration: number | null = null;
    let clockKind: 'monotonic' | 'wall' | null = null;
    if (opener) {
      if (opener.run_id === clock.runId) {
        duration = Math.max(0, mono - opener.mono_ms);
        clockKind = 'monotonic';
      } else {
        const wall = now.getTime() - Date.parse(opener.at);
        duration = wall >= 0 ? wall : null;
        clockKind = duration === null ? null : 'wall';
      }
    } else if (e.kind === 'service_chosen') {
      step = null; // the look-up ended P2 already
    }
    const day = localDateOf(now);
    // Before a request exists, the service is the one the operator picked (the latest mark naming it);
    // a screen mark names its own service or its request's, and borrows none.
    const serviceId =
      e.serviceId ?? (e.requestId ? (e.kind === 'screen_ready' ? this.repo.serviceOfRequest(e.requestId) : null) : e.kind === 'screen_ready' ? null : this.currentService(e.operatorId));
    const bit = COUNTED_KIND_BIT[e.kind] ?? 0;
    const seq = this.repo.insert({
      id: newId(now.getTime()),
      kind: e.kind,
      step,
      request_id: e.requestId ?? null,
      service_id: serviceId,
      operator_id: e.operatorId,
      workstation_id: this.opts.workstationId,
      at: now.toISOString(),
      day,
      run_id: clock.runId,
      mono_ms: mono,
      duration_ms: duration,
      clock: clockKind,
      latency_ms: e.latencyMs ?? null,
      screen: e.screen ?? null,
      outcome: e.outcome ?? null,
      refusal_id: e.refusalId ?? null,
      prev_seq: chain?.head ?? null,
      // Counted once per request: the first event of its kind (an event without a request, always).
      counted: chain && chain.kinds & bit ? null : countedOutcome(e.kind, e.outcome ?? null),
    });
    if (!chain) return { seq, chain: undefined };
    const next = { head: seq, kinds: chain.kinds | bit, opened: e.kind === 'service_chosen' || e.kind === 'reopened' ? seq : chain.opened };
    if (!given) this.requests.setStepHead(e.requestId!, next);
    // The dashboard's roll-ups are a fold of the events, outside this commit (db/repos/step-rollups.ts).
    return { seq, chain: next };
  }

  /** The service the operator is accepting before a request exists (the latest screen mark naming one). */
  private currentService(operatorId: string): string | null {
    return this.repo.lastServiceOfOperator(operatorId);
  }

  private elapsed(last: StepEventRow): number | null {
    const clock = this.opts.clock;
    if (last.run_id === clock.runId) return Math.max(0, clock.mono() - last.mono_ms);
    const wall = clock.now().getTime() - Date.parse(last.at);
    return wall >= 0 ? wall : null;
  }
}
