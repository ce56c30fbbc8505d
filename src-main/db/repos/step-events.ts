/**
 * The regulation's clock's tables: `step_events` (every Diagram 3 step event, append-only; marked
 * reported when the backend acknowledged it) and the Appendix 3 answers (`questionnaire_answers`,
 * per service and day, never the applicant; `questionnaire_given`: which requests were asked).
 * The per-day roll-ups the dashboard reads are a fold of the events: step-rollups.ts.
 *
 * Indexes (migrations 011, 013, 015, 016): by operator only for the operator-scoped events
 * (OPERATOR_SCOPED), by refusal only for the events of a P4 refusal. A request's events are a
 * chain, not an index (migration 016): each names the request's event before it (`prev_seq`), the
 * request's row names the latest (`requests.step_head`, moved by reports/step-log.ts through
 * RequestsRepo in the event's transaction), and they are found by walking back from it. So a
 * request's signing and queueing touch this table's last page and nothing else of it. The id (the
 * backend's name of the event, a UUIDv7) has no index: events are found here by seq.
 * What is still to report is no index either (migration 014): the events are reported oldest
 * first, so every event up to `step_report_mark.through_seq` is reported or set aside, and the
 * rest are a rowid range after it.
 */
import type { StepEventWire } from '../../contract/report.js';
import { prep, type Db } from '../database.js';
import { StepRollupsRepo } from './step-rollups.js';

/**
 * The events the operator-scoped look-ups see (the partial index step_events_counter, migrations
 * 011 and 016, has this very WHERE: a query must repeat it for SQLite to use the index): those
 * without a request, and the log-in, look-ups and service_chosen.
 */
export const OPERATOR_SCOPED = "(request_id IS NULL OR kind = 'login' OR kind = 'lookup_asked' OR kind = 'lookup_answered' OR kind = 'p4_recorded' OR kind = 'service_chosen')";

export { ALL_OPERATORS, COUNTED_KIND_BIT, countedOutcome, type StepDay } from './step-rollups.js';

export interface StepEventRow {
  seq: number;
  id: string;
  kind: string;
  step: string | null;
  request_id: string | null;
  service_id: string | null;
  operator_id: string;
  workstation_id: string;
  at: string;
  day: string;
  run_id: string;
  mono_ms: number;
  duration_ms: number | null;
  clock: 'monotonic' | 'wall' | null;
  latency_ms: number | null;
  screen: string | null;
  outcome: string | null;
  /** A P4 refusal at look-up (no request): the counter refusal's id, on its events and those it claimed. */
  refusal_id: string | null;
  /** The request's event before this one (its chain, migration 016), or null: its first, or no request. */
  prev_seq: number | null;
  /** The outcome it counts (step-rollups.ts countedOutcome), decided when written: null when its request had one of its kind already. */
  counted: string | null;
  reported_at: string | null;
}

export type NewStepEvent = Omit<StepEventRow, 'seq' | 'reported_at'>;

/** An event met walking a request's chain: what it is, and its times (an opener's). */
export type ChainEvent = Pick<StepEventRow, 'seq' | 'kind' | 'screen' | 'run_id' | 'mono_ms' | 'at'>;

const matchingSql = new Map<string, string>();

/** "(kind IN (?, ?) OR (kind = 'screen_ready' AND screen IN (?)))" for these kinds and screens (made once per shape). */
function matching(kinds: readonly string[], screens: readonly string[]): string {
  const key = `${kinds.length}|${screens.length}`;
  let sql = matchingSql.get(key);
  if (!sql) {
    const list = (n: number) => Array.from({ length: n }, () => '?').join(', ');
    matchingSql.set(key, (sql = `(kind IN (${list(kinds.length)}) OR (kind = 'screen_ready' AND screen IN (${list(screens.length)})))`));
  }
  return sql;
}

/**
 * The seqs of the events with these ids (JSON) after the report mark, oldest first, at most that
 * many: the events the report stage names are after the mark (unreportedWire), so this is a short
 * rowid range, not a search of every event (the id has no index: migration 015).
 * Parameters: the mark, the ids as JSON, their number.
 */
const AFTER_MARK_BY_ID = 'SELECT seq FROM step_events WHERE seq > ? AND id IN (SELECT value FROM json_each(?)) ORDER BY seq LIMIT ?';

const COLUMNS = 'id, kind, step, request_id, service_id, operator_id, workstation_id, at, day, run_id, mono_ms, duration_ms, clock, latency_ms, screen, outcome, refusal_id, prev_seq, counted';
/** Made once: a statement's text built on each call is hashed afresh to find it in the cache (prep). */
const INSERT = `INSERT INTO step_events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** One event as its request's chain is walked: where it links back to, what it is, its times (an opener's). */
const AT_SEQ = 'SELECT seq, prev_seq, kind, screen, run_id, mono_ms, at FROM step_events WHERE seq = ?';
/** More events than any request has (a request has tens). */
const MAX_CHAIN = 100_000;

export class StepEventsRepo {
  private rollupsRepo: StepRollupsRepo | null = null;

  constructor(readonly db: Db) {}

  /** The dashboard's roll-ups of these events (step-rollups.ts). */
  get rollups(): StepRollupsRepo {
    return (this.rollupsRepo ??= new StepRollupsRepo(this.db));
  }

  /** Returns the event's seq. Positional parameters: binding 19 named ones cost a measurable part of the event's time in every commit. */
  insert(e: NewStepEvent): number {
    return Number(prep(this.db, INSERT).run(
      e.id,
      e.kind,
      e.step,
      e.request_id,
      e.service_id,
      e.operator_id,
      e.workstation_id,
      e.at,
      e.day,
      e.run_id,
      e.mono_ms,
      e.duration_ms,
      e.clock,
      e.latency_ms,
      e.screen,
      e.outcome,
      e.refusal_id,
      e.prev_seq,
      e.counted,
    ).lastInsertRowid);
  }

  /**
   * The latest event of one of these kinds (a screen mark: of that screen) in a request's chain,
   * walking back from `seq` (its latest event: requests.step_head), or undefined.
   */
  lastInChain(seq: number | null, kinds: readonly string[], screens: readonly string[] = []): ChainEvent | undefined {
    return this.walkBack(seq, (e) => kinds.includes(e.kind) || (e.kind === 'screen_ready' && e.screen !== null && screens.includes(e.screen)));
  }

  /**
   * The first event walking back a request's chain from `seq` that `match`es: a rowid look-up per
   * event (a request has tens; P5, whose opener is furthest back, starts at the row's step_opened
   * instead), cheaper in a commit than a recursive query, whose queue is a temporary table.
   * Bounded, so that a broken chain cannot loop.
   */
  private walkBack(seq: number | null, match: (e: ChainEvent) => boolean): ChainEvent | undefined {
    const at = prep(this.db, AT_SEQ);
    for (let n = 0; seq !== null && n < MAX_CHAIN; n++) {
      const e = at.get(seq) as (ChainEvent & { prev_seq: number | null }) | undefined;
      if (!e) return undefined;
      if (match(e)) return e;
      seq = e.prev_seq;
    }
    return undefined;
  }

  /** One event as an opener: what a step's duration is timed from. */
  opener(seq: number | null): ChainEvent | undefined {
    return seq === null ? undefined : (prep(this.db, AT_SEQ).get(seq) as ChainEvent | undefined);
  }

  /** The operator's latest event of these kinds or screen marks, among the operator-scoped events (OPERATOR_SCOPED). */
  lastForOperator(operatorId: string, kinds: readonly string[], screens: readonly string[] = []): StepEventRow | undefined {
    return prep(this.db, `SELECT * FROM step_events WHERE operator_id = ? AND ${OPERATOR_SCOPED} AND ${matching(kinds, screens)} ORDER BY seq DESC LIMIT 1`).get(operatorId, ...kinds, ...screens) as StepEventRow | undefined;
  }

  /** The latest event of a request but screen marks (for its step timer). */
  lastOfRequest(requestId: string): StepEventRow | undefined {
    const head = (prep(this.db, 'SELECT step_head FROM requests WHERE id = ?').raw().get(requestId) as [number | null] | undefined)?.[0] ?? null;
    const last = this.walkBack(head, (e) => e.kind !== 'screen_ready');
    return last && (prep(this.db, 'SELECT * FROM step_events WHERE seq = ?').get(last.seq) as StepEventRow);
  }

  /** The service of the operator's latest operator-scoped event that names one (before a request exists: the screen marks). */
  lastServiceOfOperator(operatorId: string): string | null {
    const r = prep(this.db, `SELECT service_id FROM step_events WHERE operator_id = ? AND ${OPERATOR_SCOPED} AND service_id IS NOT NULL ORDER BY seq DESC LIMIT 1`).get(operatorId) as { service_id: string } | undefined;
    return r?.service_id ?? null;
  }

  serviceOfRequest(requestId: string): string | null {
    return (prep(this.db, 'SELECT service_id FROM requests WHERE id = ?').get(requestId) as { service_id: string } | undefined)?.service_id ?? null;
  }

  /**
   * The period's latest requests (and P4 refusals at look-up) with all their events, newest
   * first, at most `limit`: found by walking the events back from the newest (the sequence follows
   * time), so the cost is the table's tail, not the period.
   */
  recentTimed(from: string, to: string, operatorId: string | null, serviceId: string | null, limit: number): (StepEventRow & { local_number: string | null })[] {
    const keys: string[] = [];
    /** A P4 event with neither request nor refusal (written before migration 010) is its own entry, by seq. */
    const loners: number[] = [];
    const seen = new Set<string>();
    const walk = prep(
      this.db,
      `SELECT e.seq, e.request_id, e.refusal_id, e.kind, e.day FROM step_events e LEFT JOIN requests r ON r.id = e.request_id
       WHERE e.kind <> 'screen_ready' AND (e.request_id IS NOT NULL OR e.kind = 'p4_recorded')
         AND (? IS NULL OR COALESCE(r.operator_id, e.operator_id) = ?) AND (? IS NULL OR e.service_id = ?) ORDER BY e.seq DESC`,
    ).iterate(operatorId, operatorId, serviceId, serviceId) as IterableIterator<{ seq: number; request_id: string | null; refusal_id: string | null; kind: string; day: string }>;
    for (const e of walk) {
      if (e.day > to) continue;
      if (e.day < from || keys.length + loners.length >= limit) break;
      const k = e.request_id ?? e.refusal_id;
      if (k === null) loners.push(e.seq);
      else if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
    if (keys.length + loners.length === 0) return [];
    // The requests' chains walked back from their heads, the refusals by their index, the loners by seq: not one OR that scans every event.
    return prep(
      this.db,
      `WITH RECURSIVE walk(seq, n) AS (
         SELECT step_head, 0 FROM requests WHERE id IN (SELECT value FROM json_each(?)) AND step_head IS NOT NULL
         UNION ALL
         SELECT e.prev_seq, walk.n + 1 FROM walk CROSS JOIN step_events e ON e.seq = walk.seq WHERE e.prev_seq IS NOT NULL AND walk.n < ${MAX_CHAIN}
       )
       SELECT e.*, r.local_number FROM walk CROSS JOIN step_events e ON e.seq = walk.seq JOIN requests r ON r.id = e.request_id
         WHERE e.kind <> 'screen_ready'
       UNION ALL
       SELECT e.*, NULL FROM step_events e WHERE e.refusal_id IN (SELECT value FROM json_each(?)) AND e.request_id IS NULL AND e.kind <> 'screen_ready'
       UNION ALL
       SELECT e.*, NULL FROM step_events e WHERE e.seq IN (SELECT value FROM json_each(?)) AND e.request_id IS NULL AND e.refusal_id IS NULL AND e.kind <> 'screen_ready'
       ORDER BY seq`,
    ).all(JSON.stringify(keys), JSON.stringify(keys), JSON.stringify(loners)) as (StepEventRow & { local_number: string | null })[];
  }

  /**
   * The next events to send (not yet acknowledged), oldest first, as the report endpoint takes
   * them: with the operator whose counter they count for (the request's) and the outcome they
   * count (once per request: decided when written, `counted`).
   */
  unreportedWire(limit: number): StepEventWire[] {
    const rows = prep(
      this.db,
      `SELECT e.*, COALESCE(r.operator_id, e.operator_id) AS counter_operator_id
       FROM step_events e LEFT JOIN requests r ON r.id = e.request_id
       WHERE e.seq > ? AND e.reported_at IS NULL AND NOT EXISTS (SELECT 1 FROM step_report_parks k WHERE k.event_seq = e.seq) ORDER BY e.seq LIMIT ?`,
    ).all(this.reportMark(), limit) as (StepEventRow & { counter_operator_id: string })[];
    return rows.map((e) => ({
      id: e.id,
      kind: e.kind,
      step: e.step,
      requestId: e.request_id,
      serviceId: e.service_id,
      operatorId: e.operator_id,
      counterOperatorId: e.counter_operator_id,
      at: e.at,
      day: e.day,
      durationMs: e.duration_ms,
      clock: e.clock,
      latencyMs: e.latency_ms,
      screen: e.screen,
      outcome: e.outcome,
      counted: e.counted,
    }));
  }

  /** Events not yet acknowledged by the backend, oldest first. */
  unreported(limit: number): StepEventRow[] {
    return prep(this.db, 'SELECT * FROM step_events WHERE seq > ? AND reported_at IS NULL ORDER BY seq LIMIT ?').all(this.reportMark(), limit) as StepEventRow[];
  }

  countUnreported(): number {
    return (
      prep(this.db, 'SELECT COUNT(*) AS n FROM step_events e WHERE seq > ? AND reported_at IS NULL AND NOT EXISTS (SELECT 1 FROM step_report_parks k WHERE k.event_seq = e.seq)').get(this.reportMark()) as {
        n: number;
      }
    ).n;
  }

  /** Marks events acknowledged by the backend (in the caller's transaction), and moves the report mark past them. */
  markReported(ids: readonly string[], at: string): void {
    prep(this.db, `UPDATE step_events SET reported_at = ? WHERE seq IN (${AFTER_MARK_BY_ID}) AND reported_at IS NULL`).run(at, this.reportMark(), JSON.stringify(ids), ids.length);
    this.advanceReportMark();
  }

  /** Every event up to this one is reported or set aside (migration 014). */
  reportMark(): number {
    return (prep(this.db, 'SELECT through_seq FROM step_report_mark WHERE id = 1').get() as { through_seq: number }).through_seq;
  }

  /**
   * Moves the report mark to just before the oldest event neither reported nor set aside (or to
   * the last event): a walk from the old mark over what was just reported, whatever order the
   * events were acknowledged in.
   */
  private advanceReportMark(): void {
    prep(
      this.db,
      `UPDATE step_report_mark SET through_seq = COALESCE(
         (SELECT e.seq - 1 FROM step_events e WHERE e.seq > ? AND e.reported_at IS NULL AND NOT EXISTS (SELECT 1 FROM step_report_parks k WHERE k.event_seq = e.seq) ORDER BY e.seq LIMIT 1),
         (SELECT MAX(seq) FROM step_events), 0) WHERE id = 1`,
    ).run(this.reportMark());
  }

  /** Whether the questionnaire was already answered for this subject ('request:<id>', 'refusal:<id>'). */
  questionnaireGiven(subject: string): boolean {
    return prep(this.db, 'SELECT 1 FROM questionnaire_given WHERE subject = ?').get(subject) !== undefined;
  }

  /** The answers, with nothing that leads back to the request or the applicant (service and day only). */
  recordAnswers(subject: string | null, serviceId: string, day: string, quality: number | null, information: number | null): void {
    if (subject) prep(this.db, 'INSERT INTO questionnaire_given (subject) VALUES (?)').run(subject);
    prep(this.db, 'INSERT INTO questionnaire_answers (service_id, day, quality, information) VALUES (?, ?, ?, ?)').run(serviceId, day, quality, information);
  }

  answerCounts(from: string, to: string, serviceId: string | null): { serviceId: string; quality: number | null; information: number | null; n: number }[] {
    return (
      prep(
        this.db,
        `SELECT service_id, quality, information, COUNT(*) AS n FROM questionnaire_answers
         WHERE day BETWEEN ? AND ? AND (? IS NULL OR service_id = ?) GROUP BY service_id, quality, information`,
      ).all(from, to, serviceId, serviceId) as { service_id: string; quality: number | null; information: number | null; n: number }[]
    ).map((r) => ({ serviceId: r.service_id, quality: r.quality, information: r.information, n: r.n }));
  }

  /** Names of the operators in the period's roll-ups. */
  operatorNames(ids: readonly string[]): Map<string, string> {
    const rows = prep(this.db, 'SELECT id, full_name FROM operators WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: string; full_name: string }[];
    return new Map(rows.map((r) => [r.id, r.full_name]));
  }

  /**
   * Claims step events written before their request existed (the log-in, the look-up) for the
   * request opened next, or for a P4 refusal (its counter refusal's id): only events not yet
   * claimed by anything. Returns the seqs claimed, oldest first (a request's claim chains them:
   * `link`).
   */
  claim(seqs: readonly number[], to: { requestId: string } | { refusalId: string }): number[] {
    if (seqs.length === 0) return [];
    const set = 'requestId' in to ? 'request_id' : 'refusal_id';
    const rows = prep(this.db, `UPDATE step_events SET ${set} = ? WHERE seq IN (SELECT value FROM json_each(?)) AND request_id IS NULL AND refusal_id IS NULL RETURNING seq`)
      .raw()
      .all('requestId' in to ? to.requestId : to.refusalId, JSON.stringify(seqs)) as [number][];
    return rows.map((r) => r[0]).sort((a, b) => a - b);
  }

  /** Sets an event's place in its request's chain (a claimed event: written before it had a request). */
  link(seq: number, prevSeq: number | null): void {
    prep(this.db, 'UPDATE step_events SET prev_seq = ? WHERE seq = ?').run(prevSeq, seq);
  }

  /** Sets events aside that the backend refused for good (not sent again), with its reason. */
  park(ids: readonly string[], code: string, at: string): void {
    prep(this.db, `INSERT OR IGNORE INTO step_report_parks (event_seq, code, at) SELECT seq, ?, ? FROM step_events WHERE seq IN (${AFTER_MARK_BY_ID})`).run(code, at, this.reportMark(), JSON.stringify(ids), ids.length);
    this.advanceReportMark();
  }

  /** The events set aside, grouped by reason (for the supervisor and the administrator). */
  parked(): { code: string; events: number; firstAt: string; lastAt: string }[] {
    return prep(this.db, 'SELECT code, COUNT(*) AS events, MIN(at) AS firstAt, MAX(at) AS lastAt FROM step_report_parks GROUP BY code ORDER BY code').all() as never;
  }

  /** The service of the operator's latest event after `seq` that names one (the service picked since), or null. */
  serviceOfOperatorSince(operatorId: string, seq: number): string | null {
    const r = prep(this.db, 'SELECT service_id FROM step_events WHERE operator_id = ? AND seq > ? AND service_id IS NOT NULL ORDER BY seq DESC LIMIT 1').get(operatorId, seq) as { service_id: string } | undefined;
    return r?.service_id ?? null;
  }
}
