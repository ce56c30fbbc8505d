/**
 * The dashboard's roll-ups of the step events, kept off the request's commit: `step_days` (each
 * (day, operator, service, step)'s durations and app latencies as packed float64 arrays, for every
 * operator together ('*') and for the counter's operator) and `outcome_days` (counted outcomes) are
 * a fold of `step_events` up to `step_rollup_mark.through_seq`, written together with the mark in
 * one transaction. A reader adds the events after the mark (the tail: a rowid range), so what it
 * gets is exactly what roll-ups written with every event would give, whenever it asks.
 *
 * Why not in the event's transaction: the event is written in the commit of the change it
 * describes (signing, queueing, ...); two upserts there (one rewriting a growing blob) were a
 * large part of the step events' cost on that commit (bench/report).
 */
import { prep, writeTx, type Db } from '../database.js';

/**
 * The outcome an event of this kind counts, if it is the first of its kind for its request (or
 * has no request), else nothing: decided when the event is written (reports/step-log.ts) and kept
 * in `step_events.counted` (migration 016 has this rule in SQL, frozen).
 */
export function countedOutcome(kind: string, outcome: string | null): string | null {
  if (kind === 'cancelled') return outcome === 'incomplete' || outcome === 'expired' ? 'refused_incomplete' : null;
  return COUNTED_KINDS[kind] ?? null;
}
const COUNTED_KINDS: Record<string, string> = { queued: 'accepted', p4_recorded: 'refused_p4', registered: 'registered', decided: 'decided', handed_over: 'issued' };

/** The kinds counted once per request, a bit each in `requests.step_kinds` (which of them the request has had; migration 016). */
export const COUNTED_KIND_BIT: Readonly<Record<string, number>> = { queued: 1, p4_recorded: 2, registered: 4, decided: 8, handed_over: 16, cancelled: 32 };

/** step_days.operator_id of the roll-up over every operator. */
export const ALL_OPERATORS = '*';

/** One roll-up group: its durations and latencies (milliseconds). */
export interface StepDay {
  day: string;
  operatorId: string;
  serviceId: string;
  step: string;
  durations: Float64Array;
  latencies: Float64Array;
}

export interface OutcomeDay {
  operatorId: string;
  serviceId: string;
  outcome: string;
  n: number;
}

/** outcome_days' count columns, by the outcome they count. */
const OUTCOME_COLUMNS: Record<string, string> = {
  accepted: 'accepted',
  refused_incomplete: 'refused_incomplete',
  refused_p4: 'refused_p4',
  registered: 'registered',
  decided: 'decided',
  issued: 'issued',
};
const OUTCOMES = Object.keys(OUTCOME_COLUMNS);

/** What the fold takes from an event. */
type TailRow = [seq: number, day: string, step: string | null, svc: string, counter: string, duration: number | null, latency: number | null, counted: string | null];

/** Folded when the tail is longer (a reader folds it before reading): the most a reader adds by hand. */
export const FOLD_AT = 500;
const FOLD_CHUNK = 50_000;

const asFloats = (b: Buffer) => new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const asBlob = (a: readonly number[]) => Buffer.from(Float64Array.from(a).buffer);

type Keep = (day: string, operatorId: string, serviceId: string) => boolean;

/** Events grouped as the roll-ups are. */
class Accumulator {
  readonly steps = new Map<string, { day: string; operatorId: string; serviceId: string; step: string; d: number[]; l: number[] }>();
  readonly outcomes = new Map<string, { day: string; operatorId: string; serviceId: string; n: Record<string, number> }>();

  constructor(
    private readonly keepStep: Keep,
    private readonly keepOutcome: Keep,
  ) {}

  add([, day, step, svc, counter, duration, latency, counted]: TailRow): void {
    if (step && (duration !== null || latency !== null)) {
      for (const op of [ALL_OPERATORS, counter]) {
        if (!this.keepStep(day, op, svc)) continue;
        const k = `${op}|${day}|${svc}|${step}`;
        let g = this.steps.get(k);
        if (!g) this.steps.set(k, (g = { day, operatorId: op, serviceId: svc, step, d: [], l: [] }));
        if (duration !== null) g.d.push(duration);
        if (latency !== null) g.l.push(latency);
      }
    }
    if (counted && this.keepOutcome(day, counter, svc)) {
      const k = `${day}|${counter}|${svc}`;
      let o = this.outcomes.get(k);
      if (!o) this.outcomes.set(k, (o = { day, operatorId: counter, serviceId: svc, n: {} }));
      o.n[counted] = (o.n[counted] ?? 0) + 1;
    }
  }
}

/** The dashboard's figures' raw material for a period, read in one go (one read of the tail). */
export interface FigureData {
  period: OutcomeDay[];
  today: OutcomeDay[];
  steps: StepDay[];
}

export class StepRollupsRepo {
  constructor(private readonly db: Db) {}

  /** The last event folded into the roll-ups. */
  mark(): number {
    return (prep(this.db, 'SELECT through_seq FROM step_rollup_mark WHERE id = 1').get() as { through_seq: number } | undefined)?.through_seq ?? 0;
  }

  /** How many events are not folded yet. */
  tailLength(): number {
    const max = (prep(this.db, 'SELECT MAX(seq) AS m FROM step_events').get() as { m: number | null }).m ?? 0;
    return Math.max(0, max - this.mark());
  }

  /**
   * Events after `afterSeq`, oldest first, as the roll-ups count them: the counter's operator (the
   * request's, else the actor), the service ('' for none) and the outcome counted (once per
   * request, decided when the event was written: `counted`; reports/README.md).
   */
  private tail(afterSeq: number, limit: number): TailRow[] {
    return prep(
      this.db,
      `SELECT e.seq, e.day, e.step, COALESCE(e.service_id, ''), COALESCE(r.operator_id, e.operator_id), e.duration_ms, e.latency_ms, e.counted
       FROM step_events e LEFT JOIN requests r ON r.id = e.request_id
       WHERE e.seq > ? AND (e.step IS NOT NULL OR e.counted IS NOT NULL)
       ORDER BY e.seq LIMIT ?`,
    )
      .raw()
      .all(afterSeq, limit) as TailRow[];
  }

  /** Folds the tail into the roll-ups (with the mark, atomically), in chunks. */
  fold(): void {
    for (;;) {
      const done = writeTx(this.db, () => {
        const rows = this.tail(this.mark(), FOLD_CHUNK);
        if (rows.length === 0) return true;
        const acc = new Accumulator(
          () => true,
          () => true,
        );
        for (const row of rows) acc.add(row);
        const get = prep(this.db, 'SELECT durations, latencies FROM step_days WHERE operator_id = ? AND day = ? AND service_id = ? AND step = ?');
        const put = prep(this.db, 'INSERT OR REPLACE INTO step_days (operator_id, day, service_id, step, durations, latencies) VALUES (?, ?, ?, ?, ?, ?)');
        for (const g of acc.steps.values()) {
          const old = get.raw().get(g.operatorId, g.day, g.serviceId, g.step) as [Buffer, Buffer] | undefined;
          const join = (b: Buffer | undefined, add: number[]) => (b && b.length ? Buffer.concat([b, asBlob(add)]) : asBlob(add));
          put.run(g.operatorId, g.day, g.serviceId, g.step, join(old?.[0], g.d), join(old?.[1], g.l));
        }
        const cols = OUTCOMES.map((o) => OUTCOME_COLUMNS[o]!);
        const bump = prep(
          this.db,
          `INSERT INTO outcome_days (day, operator_id, service_id, ${cols.join(', ')}) VALUES (?, ?, ?, ${cols.map(() => '?').join(', ')})
           ON CONFLICT (day, operator_id, service_id) DO UPDATE SET ${cols.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
        );
        for (const o of acc.outcomes.values()) bump.run(o.day, o.operatorId, o.serviceId, ...OUTCOMES.map((k) => o.n[k] ?? 0));
        prep(this.db, 'UPDATE step_rollup_mark SET through_seq = ? WHERE id = 1').run(rows[rows.length - 1]![0]);
        return rows.length < FOLD_CHUNK;
      });
      if (done) return;
    }
  }

  /** Folds when the tail has grown long (readers call it before reading). */
  foldIfLong(): void {
    if (this.tailLength() > FOLD_AT) this.fold();
  }

  /**
   * The figures' groups of [from, to] (Almaty dates) and of `today`: counts per operator, service
   * and outcome, and the step groups of one operator (the counter's) or all together, from the
   * roll-ups plus the tail.
   */
  figureData(from: string, to: string, today: string, operatorId: string | null, serviceId: string | null): FigureData {
    const op = operatorId ?? ALL_OPERATORS;
    const svcOk = (svc: string) => serviceId === null || svc === serviceId;
    const opOk = (o: string) => o !== ALL_OPERATORS && (operatorId === null || o === operatorId);
    const inPeriod = new Accumulator(
      (day, o, svc) => day >= from && day <= to && o === op && svcOk(svc),
      (day, o, svc) => day >= from && day <= to && opOk(o) && svcOk(svc),
    );
    const ofToday = new Accumulator(
      () => false,
      (day, o, svc) => day === today && opOk(o) && svcOk(svc),
    );
    for (const row of this.tail(this.mark(), -1)) {
      inPeriod.add(row);
      ofToday.add(row);
    }
    const steps = (
      prep(
        this.db,
        `SELECT day, service_id, step, durations, latencies FROM step_days
         WHERE operator_id = ? AND day BETWEEN ? AND ? AND (? IS NULL OR service_id = ?)`,
      )
        .raw()
        .all(op, from, to, serviceId, serviceId) as [string, string, string, Buffer, Buffer][]
    ).map(([day, svc, step, d, l]): StepDay => ({ day, operatorId: op, serviceId: svc, step, durations: asFloats(d), latencies: asFloats(l) }));
    for (const g of inPeriod.steps.values()) {
      steps.push({ day: g.day, operatorId: g.operatorId, serviceId: g.serviceId, step: g.step, durations: Float64Array.from(g.d), latencies: Float64Array.from(g.l) });
    }
    return { period: this.counts(from, to, operatorId, serviceId, inPeriod), today: this.counts(today, today, operatorId, serviceId, ofToday), steps };
  }

  /** Counts per operator, service and outcome over [from, to]: the roll-ups' sums plus the tail's. */
  private counts(from: string, to: string, operatorId: string | null, serviceId: string | null, tail: Accumulator): OutcomeDay[] {
    const cols = OUTCOMES.map((o) => OUTCOME_COLUMNS[o]!);
    const rows = prep(
      this.db,
      `SELECT operator_id, service_id, ${cols.map((c) => `SUM(${c})`).join(', ')} FROM outcome_days
       WHERE day BETWEEN ? AND ? AND (? IS NULL OR operator_id = ?) AND (? IS NULL OR service_id = ?) GROUP BY operator_id, service_id`,
    )
      .raw()
      .all(from, to, operatorId, operatorId, serviceId, serviceId) as [string, string, ...number[]][];
    const sum = new Map<string, OutcomeDay>();
    const add = (operatorId: string, serviceId: string, outcome: string, n: number) => {
      if (!n) return;
      const k = `${operatorId}|${serviceId}|${outcome}`;
      const s = sum.get(k);
      if (s) s.n += n;
      else sum.set(k, { operatorId, serviceId, outcome, n });
    };
    for (const [o, svc, ...ns] of rows) OUTCOMES.forEach((outcome, i) => add(o, svc, outcome, ns[i]!));
    for (const g of tail.outcomes.values()) for (const outcome of OUTCOMES) add(g.operatorId, g.serviceId, outcome, g.n[outcome] ?? 0);
    return [...sum.values()];
  }
}
