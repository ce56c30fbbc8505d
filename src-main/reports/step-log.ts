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
import type { Screen, StepEventKind, StepId, StepTimer } from '../contract/report.js';
import { writeTx, type Db } from '../db/database.js';
import { newId } from '../db/ids.js';
import { StepEventsRepo, type StepEventRow } from '../db/repos/step-events.js';
import type { Norms } from './norms.js';

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

export interface StepEventInput {
  kind: StepEventKind;
  operatorId: string;
  requestId?: string | null;
  serviceId?: string | null;
  /** The operator the request belongs to (counts and step times are the counter's), when not the actor. */
  counterOperatorId?: string | null;
  outcome?: string | null;
  screen?: Screen | null;
  latencyMs?: number | null;
  /** The opening event when it is not in the table (the log-in screen's mark, held in memory). */
  openedAt?: Pick<StepEventRow, 'run_id' | 'mono_ms' | 'at'>;
  /** A P4 refusal at look-up: the counter refusal's id (it has no request). */
  refusalId?: string | null;
  /** A request refused at the counter (documents incomplete or expired): its cancellation closes P5. */
  refusal?: boolean;
}

interface Span {
  step: StepId | null;
  /** The event that opened the step, if any. */
  opener: (e: StepEventInput, repo: StepEventsRepo) => Pick<StepEventRow, 'run_id' | 'mono_ms' | 'at'> | undefined;
}

const none: Span['opener'] = () => undefined;
const ofRequest =
  (kinds: readonly string[], screens: readonly string[] = []): Span['opener'] =>
  (e, repo) =>
    e.requestId ? repo.lastForRequest(e.requestId, kinds, screens) : undefined;
/** The operator's latest look-up asked, when it is later than any answer (the look-up in flight). */
const lookupInFlight: Span['opener'] = (e, repo) => {
  const last = repo.lastForOperator(e.operatorId, ['lookup_asked', 'lookup_answered', 'p4_recorded']);
  return last?.kind === 'lookup_asked' ? last : undefined;
};
/** The service screen's mark, when nothing of P2's end came after it. */
const serviceScreen: Span['opener'] = (e, repo) => {
  const last = repo.lastForOperator(e.operatorId, ['lookup_asked', 'service_chosen'], ['service']);
  return last?.kind === 'screen_ready' ? last : undefined;
};

/** Which step each kind of event closes, and what opened it. */
const SPANS: Record<StepEventKind, Span> = {
  login: { step: 'P1', opener: none }, // opened by the log-in screen's mark, held in memory (no operator yet)
  lookup_asked: { step: 'P2', opener: serviceScreen },
  lookup_answered: { step: 'P3', opener: lookupInFlight },
  p4_recorded: { step: 'P4', opener: lookupInFlight },
  service_chosen: { step: 'P2', opener: serviceScreen }, // P2 ends here only when no look-up ended it
  documents_marked: { step: null, opener: none },
  scan_started: { step: null, opener: none },
  scan_finished: { step: null, opener: ofRequest(['scan_started']) },
  signed: { step: 'P5', opener: ofRequest(['service_chosen', 'reopened']) },
  queued: { step: null, opener: none },
  sent: { step: 'P6', opener: ofRequest(['queued']) },
  registered: { step: 'P7', opener: ofRequest(['sent']) },
  decided: { step: 'C2', opener: ofRequest(['registered']) },
  handed_over: { step: 'P9', opener: ofRequest([], ['result', 'issue']) },
  cancelled: { step: null, opener: none },
  reopened: { step: null, opener: none },
  screen_ready: { step: null, opener: none },
};

/** A refusal to accept the documents closes P5 (the documents' step), timed like signing would be. */
const REFUSED: Span = { step: 'P5', opener: ofRequest(['service_chosen', 'reopened']) };

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

/** The step a screen's readiness belongs to (its latency is the app's, within that step). */
export const STEP_OF_SCREEN: Record<Screen, StepId | null> = {
  login: 'P1',
  service: 'P2',
  applicant: 'P3',
  documents: 'P5',
  scan: 'P5',
  sign: 'P5',
  queue: 'P6',
  result: 'P9',
  issue: 'P9',
  dashboard: null,
};

/** A mark held in memory: the log-in screen (before anyone logs in, nothing is written). */
interface Mark {
  mono: number;
  latencyMs: number;
}

export class StepLog {
  private readonly repo: StepEventsRepo;
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
  }

  get events(): StepEventsRepo {
    return this.repo;
  }

  /** Writes one event in the caller's transaction (or its own), timing the step it closes; returns its seq. */
  record(e: StepEventInput): number {
    return writeTx(this.db, () => this.write(e));
  }

  /** A request changed status (inside RequestService's transaction): the event that change is. */
  onTransition(t: {
    requestId: string;
    serviceId: string;
    counterOperatorId: string;
    from: RequestStatus | null;
    to: RequestStatus;
    actor: string;
    /** A cancellation that is a refusal to accept the documents, and its ground. */
    refusal?: 'incomplete' | 'expired' | null;
  }): void {
    const kind = kindOfTransition(t.from, t.to);
    if (!kind) return;
    // The request opened: it claims the operator's log-in (first of the session) and look-ups (P1-P3).
    if (kind === 'service_chosen') this.claim(t.actor, { requestId: t.requestId });
    const outcome = kind === 'cancelled' ? (t.refusal ?? 'withdrawn') : kind === 'decided' ? t.to : null;
    const refusal = kind === 'cancelled' && Boolean(t.refusal);
    this.record({ kind, operatorId: t.actor, requestId: t.requestId, serviceId: t.serviceId, counterOperatorId: t.counterOperatorId, outcome, refusal });
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

  /** Gives the operator's pre-request events (log-in, look-ups) to a request or a P4 refusal, in the caller's transaction. */
  private claim(operatorId: string, to: { requestId: string } | { refusalId: string }): void {
    const p = this.preRequest.get(operatorId);
    if (!p) return;
    this.repo.claim([...(p.login ? [p.login] : []), ...p.lookups], to);
    this.preRequest.set(operatorId, { login: null, lookups: [] });
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

  private write(e: StepEventInput): number {
    const clock = this.opts.clock;
    const now = clock.now();
    const mono = clock.mono();
    const span = e.refusal ? REFUSED : SPANS[e.kind];
    let step = e.kind === 'screen_ready' ? (e.screen ? STEP_OF_SCREEN[e.screen] : null) : span.step;
    const opener = e.openedAt ?? span.opener(e, this.repo);
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
    });
    // The dashboard's roll-ups are a fold of the events, outside this commit (db/repos/step-rollups.ts).
    return seq;
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

/** The event a status change is, or null (part of another event, or nothing to time). */
export function kindOfTransition(from: RequestStatus | null, to: RequestStatus): StepEventKind | null {
  if (from === null && to === 'draft') return 'service_chosen';
  if (from === 'needs_attention' && (to === 'applicant_verified' || to === 'applicant_unverified' || to === 'documents_complete')) return 'reopened';
  switch (to) {
    case 'documents_complete':
      return 'documents_marked';
    case 'signed':
      return 'signed';
    case 'queued':
      return 'queued';
    case 'sent':
      return 'sent';
    case 'registered':
      return 'registered';
    case 'refused':
    case 'result_ready':
      return from === 'needs_attention' ? null : 'decided';
    case 'issued':
      return 'handed_over';
    case 'cancelled':
      return 'cancelled';
    default:
      return null;
  }
}

/** The step a request (or counter) is in after its latest event. */
function currentStep(last: StepEventRow): StepId | null {
  switch (last.kind) {
    case 'login':
    case 'screen_ready':
      return last.screen === 'service' || last.kind === 'login' ? 'P2' : null;
    case 'lookup_asked':
      return 'P3';
    case 'service_chosen':
    case 'documents_marked':
    case 'scan_started':
    case 'scan_finished':
    case 'reopened':
      return 'P5';
    case 'lookup_answered':
      return 'P5';
    case 'signed':
    case 'queued':
      return 'P6';
    case 'sent':
      return 'P7';
    case 'registered':
      return 'C2';
    default:
      return null;
  }
}
