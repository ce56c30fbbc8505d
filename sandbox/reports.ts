/**
 * The licensing backend's report endpoints (docs/gateway-protocol.md, "Step reports"): each
 * workstation's step events, stored once per (workstation, event id) however often they are
 * delivered, and the Centre's figures over all its workstations' events, computed with the
 * workstation's own statistics (src-main/contract/step-stats.ts) against the norms it sends.
 */
import type http from 'node:http';
import { STEP_IDS } from '../src-main/contract/report.js';
import { stepFigures, type StepGroup } from '../src-main/contract/step-stats.js';
import type { SandboxDb } from './db.js';
import { bad, HttpError, parseJsonObject, type Answer } from './http-util.js';

type BodyReader = (max: number) => Promise<Buffer>;
const MAX_BATCH = 500;
const MAX_BODY = 2 * 1024 * 1024;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[A-Za-z0-9_:.-]{1,100}$/;
const COUNTED = ['accepted', 'refused_incomplete', 'refused_p4', 'registered', 'decided', 'issued'] as const;
const FIELD = { accepted: 'accepted', refused_incomplete: 'refusedIncomplete', refused_p4: 'refusedP4', registered: 'registered', decided: 'decided', issued: 'issued' } as const;

const text = (v: unknown, field: string, re: RegExp, nullable = false): string | null => {
  if (v === null && nullable) return null;
  if (typeof v !== 'string' || !re.test(v)) throw bad(field);
  return v;
};
const num = (v: unknown, field: string): number | null => {
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw bad(field);
  return v;
};

export class StepReports {
  constructor(private readonly db: SandboxDb) {
    db.exec(`CREATE TABLE IF NOT EXISTS report_events (
      workstation_id TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, step TEXT, service_id TEXT NOT NULL,
      counter_operator_id TEXT NOT NULL, day TEXT NOT NULL, duration_ms REAL, latency_ms REAL, counted TEXT,
      deliveries INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (workstation_id, id)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS report_events_day ON report_events(day);
      CREATE TABLE IF NOT EXISTS report_operators (
      workstation_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (workstation_id, id)) WITHOUT ROWID;`);
  }

  /** POST /v1/reports/step-events: a batch of one workstation's events; idempotent per event id. */
  async receive(req: http.IncomingMessage, read: BodyReader): Promise<Answer> {
    const workstation = text(req.headers['x-qabyldau-workstation'], 'x-qabyldau-workstation', ID)!;
    const body = parseJsonObject(await read(MAX_BODY));
    if (!Array.isArray(body.events) || body.events.length === 0 || body.events.length > MAX_BATCH) throw bad('events');
    const rows = body.events.map((e: unknown, i: number) => {
      if (typeof e !== 'object' || e === null) throw bad(`events[${i}]`);
      const o = e as Record<string, unknown>;
      const f = (k: string) => `events[${i}].${k}`;
      const counted = o.counted === null ? null : text(o.counted, f('counted'), /^[a-z0-9_]{1,40}$/);
      if (counted !== null && !(COUNTED as readonly string[]).includes(counted)) throw bad(f('counted'));
      const step = text(o.step, f('step'), /^[A-Z]\d$/, true);
      if (step !== null && !(STEP_IDS as readonly string[]).includes(step)) throw bad(f('step'));
      return [
        workstation,
        text(o.id, f('id'), ID)!,
        text(o.kind, f('kind'), /^[a-z0-9_]{1,40}$/)!,
        step,
        text(o.serviceId, f('serviceId'), /^[a-z0-9-]{0,100}$/, true) ?? '',
        text(o.counterOperatorId, f('counterOperatorId'), ID)!,
        text(o.day, f('day'), DAY)!,
        num(o.durationMs, f('durationMs')),
        num(o.latencyMs, f('latencyMs')),
        counted,
      ] as const;
    });
    // The operators the batch names, with their display names (optional: older workstations send none).
    if (body.operators !== undefined && (!Array.isArray(body.operators) || body.operators.length > 2 * MAX_BATCH)) throw bad('operators');
    const operators = ((body.operators ?? []) as unknown[]).map((o: unknown, i: number) => {
      const r = (typeof o === 'object' && o !== null ? o : {}) as Record<string, unknown>;
      if (typeof r.name !== 'string' || r.name.length === 0 || r.name.length > 200) throw bad(`operators[${i}].name`);
      return [workstation, text(r.id, `operators[${i}].id`, ID)!, r.name] as const;
    });
    const insert = this.db.prepare(
      `INSERT INTO report_events (workstation_id, id, kind, step, service_id, counter_operator_id, day, duration_ms, latency_ms, counted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (workstation_id, id) DO UPDATE SET deliveries = deliveries + 1`,
    );
    let accepted = 0;
    const named = this.db.prepare('INSERT INTO report_operators (workstation_id, id, name) VALUES (?, ?, ?) ON CONFLICT (workstation_id, id) DO UPDATE SET name = excluded.name');
    this.db.transaction(() => {
      for (const o of operators) named.run(...o);
      for (const r of rows) {
        const before = this.db.prepare('SELECT 1 FROM report_events WHERE workstation_id = ? AND id = ?').get(r[0], r[1]);
        insert.run(...r);
        if (!before) accepted++;
      }
    })();
    return { status: 200, json: { received: rows.length, accepted, duplicates: rows.length - accepted } };
  }

  /** POST /v1/reports/centre: the Centre's figures for a period, against the norms the workstation sends. */
  async centre(read: BodyReader): Promise<Answer> {
    const b = parseJsonObject(await read(256 * 1024));
    const from = text(b.from, 'from', DAY)!;
    const to = text(b.to, 'to', DAY)!;
    const today = text(b.today, 'today', DAY)!;
    if (from > to) throw new HttpError(400, 'BAD_PERIOD', false, { field: 'from' });
    const operatorId = text(b.operatorId ?? null, 'operatorId', ID, true);
    const serviceId = text(b.serviceId ?? null, 'serviceId', /^[a-z0-9-]{1,100}$/, true);
    const norms = typeof b.norms === 'object' && b.norms !== null ? (b.norms as Record<string, Record<string, unknown>>) : null;
    if (!norms) throw bad('norms');
    const p1 = num(b.p1NormMs ?? null, 'p1NormMs');
    const filter = `(? IS NULL OR counter_operator_id = ?) AND (? IS NULL OR service_id = ?)`;
    const args = [operatorId, operatorId, serviceId, serviceId];
    const counts = (a: string, z: string) =>
      this.db.prepare(`SELECT counter_operator_id AS op, service_id AS svc, counted, COUNT(*) AS n FROM report_events WHERE counted IS NOT NULL AND day BETWEEN ? AND ? AND ${filter} GROUP BY op, svc, counted`).all(a, z, ...args) as { op: string; svc: string; counted: keyof typeof FIELD; n: number }[];
    const period = counts(from, to);
    const todays = counts(today, today);
    const empty = () => ({ accepted: 0, refusedIncomplete: 0, refusedP4: 0, registered: 0, decided: 0, issued: 0 });
    const group = (key: 'op' | 'svc') => {
      const m = new Map<string, { today: ReturnType<typeof empty>; period: ReturnType<typeof empty> }>();
      for (const [rows, which] of [[period, 'period'], [todays, 'today']] as const) {
        for (const r of rows) {
          if (key === 'svc' && r.svc === '') continue;
          const g = m.get(r[key]) ?? { today: empty(), period: empty() };
          g[which][FIELD[r.counted]] += r.n;
          m.set(r[key], g);
        }
      }
      return [...m];
    };
    const total = (rows: typeof period) => rows.reduce((c, r) => ((c[FIELD[r.counted]] += r.n), c), empty());
    const groups = new Map<string, StepGroup & { d: number[]; l: number[] }>();
    for (const r of this.db.prepare(`SELECT step, service_id AS svc, duration_ms AS d, latency_ms AS l FROM report_events WHERE step IS NOT NULL AND day BETWEEN ? AND ? AND ${filter}`).iterate(from, to, ...args) as Iterable<{ step: string; svc: string; d: number | null; l: number | null }>) {
      const k = `${r.step}|${r.svc}`;
      let g = groups.get(k);
      if (!g) {
        const d: number[] = [];
        const l: number[] = [];
        groups.set(k, (g = { step: r.step, serviceId: r.svc, durations: [d], latencies: [l], d, l }));
      }
      if (r.d !== null) g.d.push(r.d);
      if (r.l !== null) g.l.push(r.l);
    }
    const normOf = (svc: string, step: string) => {
      if (svc === '' && step === 'P1') return p1;
      const v = norms[svc]?.[step];
      return typeof v === 'number' ? v : null;
    };
    const workstations = (this.db.prepare(`SELECT COUNT(DISTINCT workstation_id) AS n FROM report_events WHERE day BETWEEN ? AND ?`).get(from, to) as { n: number }).n;
    return {
      status: 200,
      json: {
        workstations,
        counts: { today: total(todays), period: total(period) },
        byOperator: group('op').map(([operatorId, c]) => ({ operatorId, name: this.operatorName(operatorId), ...c })),
        byService: group('svc').map(([serviceId, c]) => ({ serviceId, ...c })),
        steps: stepFigures([...groups.values()], normOf),
      },
    };
  }

  /** The display name a workstation sent for this account (account ids are UUIDs: one workstation's), or null. */
  private operatorName(id: string): string | null {
    const r = this.db.prepare('SELECT name FROM report_operators WHERE id = ? LIMIT 1').get(id) as { name: string } | undefined;
    return r?.name ?? null;
  }

  /** What the sandbox holds (tests): events stored, and deliveries beyond the first. */
  stats(): { events: number; duplicateDeliveries: number; workstations: number } {
    return this.db.prepare('SELECT COUNT(*) AS events, COALESCE(SUM(deliveries - 1), 0) AS duplicateDeliveries, COUNT(DISTINCT workstation_id) AS workstations FROM report_events').get() as never;
  }
}

/** The report endpoints, in the sandbox's route table (server.ts). */
export function reportRoutes(db: SandboxDb) {
  const reports = new StepReports(db);
  return [
    { method: 'POST', pattern: /^\/v1\/reports\/step-events$/, endpoint: 'stepEvents' as const, handle: (q: http.IncomingMessage, _m: RegExpMatchArray, _u: URL, read: BodyReader) => reports.receive(q, read) },
    { method: 'POST', pattern: /^\/v1\/reports\/centre$/, endpoint: 'centreReport' as const, handle: (_q: http.IncomingMessage, _m: RegExpMatchArray, _u: URL, read: BodyReader) => reports.centre(read) },
  ];
}
