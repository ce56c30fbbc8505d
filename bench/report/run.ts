/**
 * bench/report: the regulation's clock's costs, each against a baseline run in this script.
 *
 * 1. The supervisor's dashboard over 1,000,000 step events (90 days of a large Centre: 40
 *    operators, every service, every Diagram 3 step) on the app's encrypted store, with 100,000
 *    requests beside them: time to first chart = ReportService.dashboard (workstation scope: the
 *    step statistics the charts draw, counts, deadlines, queue waits, the table), p50/p95 over
 *    repeated runs (target p95 < 300 ms). Baseline: the same step statistics computed straight
 *    from the 1,000,000 events (no roll-ups): the ratio says what the per-day roll-ups save.
 * 2. The step events' cost added to a request's commit: the signing commit (signature, audit,
 *    two transitions, outbox: requests/signing.ts's transaction) by a RequestService that writes
 *    step events (signed: P5 timed from the request's opening, queued: counted as accepted) and by
 *    one that does not, interleaved, on the same database (WAL, synchronous=FULL). Ratio of p50
 *    and p95 (target added cost < 10 %).
 *
 *   npm run bench:report [-- --events 1000000 --runs 30 --commits 200]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Catalog } from '../../src-main/catalog/catalog.js';
import { localDateOf } from '../../src-main/calendar/index.js';
import { medianAndP95 } from '../../src-main/contract/step-stats.js';
import { STEP_IDS } from '../../src-main/contract/report.js';
import { newId } from '../../src-main/db/ids.js';
import { prep, writeTx } from '../../src-main/db/database.js';
import { assetPath } from '../../src-main/host/paths.js';
import { silentLogger } from '../../src-main/host/logger-types.js';
import { createReports } from '../../src-main/reports/index.js';
import { RequestService } from '../../src-main/requests/request-service.js';
import { bulkFill } from '../../test/support/bulk.js';
import { completeDocuments, createRequest, openFixture } from '../../test/support/store-fixture.js';
import { pct } from '../stats.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '30' }, commits: { type: 'string', default: '200' } } });
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
const COMMITS = Number(values.commits);
const DAYS = 90;
const OPERATORS = 40;
const ms = (x: number) => `${x.toFixed(1)} ms`;

const fx = await openFixture({ reconcile: false });
const db = fx.store.db;
const catalog = Catalog.load(assetPath('catalog', 'services.json'));
const services = catalog.services.map((s) => s.id);
const { steps, reports } = createReports({
  db,
  catalog,
  normsFile: assetPath('catalog', 'norms.json'),
  workstationId: 'W01',
  now: fx.now,
  log: silentLogger,
  centre: null,
  request: (id) => fx.requests.row(id),
});

// ---- fill: 100,000 requests, then 1,000,000 events over 90 days with their roll-ups.
let t0 = performance.now();
bulkFill(db, 100_000, fx.actor.id, Date.now() - 365 * 86_400_000);
const requestIds = (db.prepare('SELECT id FROM requests').raw().all() as [string][]).map((r) => r[0]);
const KINDS: [string, string | null][] = [
  ['screen_ready', 'P2'],
  ['lookup_asked', 'P2'],
  ['lookup_answered', 'P3'],
  ['service_chosen', null],
  ['documents_marked', null],
  ['signed', 'P5'],
  ['queued', null],
  ['sent', 'P6'],
  ['registered', 'P7'],
  ['decided', 'C2'],
  ['handed_over', 'P9'],
];
const ins = db.prepare(
  `INSERT INTO step_events (id, kind, step, request_id, service_id, operator_id, workstation_id, at, day, run_id, mono_ms, duration_ms, clock, latency_ms, screen, outcome)
   VALUES (?, ?, ?, ?, ?, ?, 'W01', ?, ?, 'bench', 0, ?, 'monotonic', ?, ?, NULL)`,
);
const days = new Map<string, { d: number[]; l: number[] }>();
const counts = new Map<string, number>();
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const start = Date.now() - DAYS * 86_400_000;
db.pragma('synchronous = OFF');
const fill = db.transaction((from: number, to: number) => {
  for (let i = from; i < to; i++) {
    const at = new Date(start + Math.floor((i / EVENTS) * DAYS * 86_400_000));
    const day = localDateOf(at);
    const [kind, step] = KINDS[i % KINDS.length]!;
    const op = `op-${i % OPERATORS}`;
    const svc = services[(i >> 4) % services.length]!;
    const screen = kind === 'screen_ready' ? 'service' : null;
    const duration = step && kind !== 'screen_ready' ? 5_000 + rand() * 120_000 : null;
    const latency = kind === 'screen_ready' ? 20 + rand() * 200 : null;
    ins.run(randomUUID(), kind, step, kind === 'screen_ready' || kind.startsWith('lookup') ? null : requestIds[i % requestIds.length], svc, op, at.toISOString(), day, duration, latency, screen);
    if (step) {
      const k = `${day}|*|${svc}|${step}`; // the roll-up over every operator (ALL_OPERATORS)
      let g = days.get(k);
      if (!g) days.set(k, (g = { d: [], l: [] }));
      if (duration !== null) g.d.push(duration);
      if (latency !== null) g.l.push(latency);
    }
    const counted = { queued: 'accepted', registered: 'registered', decided: 'decided', handed_over: 'issued' }[kind];
    if (counted) counts.set(`${day}|${op}|${svc}|${counted}`, (counts.get(`${day}|${op}|${svc}|${counted}`) ?? 0) + 1);
  }
});
for (let i = 0; i < EVENTS; i += 50_000) fill(i, Math.min(EVENTS, i + 50_000));
const insDay = db.prepare('INSERT INTO step_days (day, operator_id, service_id, step, durations, latencies) VALUES (?, ?, ?, ?, ?, ?)');
const insCount = db.prepare('INSERT INTO outcome_days (day, operator_id, service_id, outcome, n) VALUES (?, ?, ?, ?, ?)');
db.transaction(() => {
  for (const [k, g] of days) insDay.run(...k.split('|'), Buffer.from(Float64Array.from(g.d).buffer), Buffer.from(Float64Array.from(g.l).buffer));
  for (const [k, n] of counts) insCount.run(...k.split('|'), n);
})();
db.pragma('synchronous = FULL');
db.pragma('wal_checkpoint(TRUNCATE)');
console.log(`fill: ${EVENTS.toLocaleString('en')} step events over ${DAYS} days, ${days.size.toLocaleString('en')} day groups, 100,000 requests (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

// ---- 1. time to first chart
const to = localDateOf(fx.now());
const from = localDateOf(new Date(fx.now().getTime() - (DAYS - 1) * 86_400_000));
const input = { from, to, scope: 'workstation' as const };
let first = await reports.dashboard(input);
const dash: number[] = [];
for (let i = 0; i < RUNS; i++) {
  t0 = performance.now();
  first = await reports.dashboard(input);
  dash.push(performance.now() - t0);
}
// Where the time goes: the figures (counts, step statistics) alone, without deadlines and the table.
const q = { from, to, operatorId: null, serviceId: null, nearDays: 3, queueMinutes: 60 };
const figs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  t0 = performance.now();
  reports.figures(q);
  figs.push(performance.now() - t0);
}
t0 = performance.now();
const open = steps.events.openRequests();
const openMs = performance.now() - t0;
t0 = performance.now();
steps.events.recentTimed(from, to, null, null, 100);
const tableMs = performance.now() - t0;
// Baseline: the same step statistics from the raw events (no roll-ups).
const raw: number[] = [];
for (let i = 0; i < Math.max(5, Math.floor(RUNS / 3)); i++) {
  t0 = performance.now();
  const rows = prep(db, 'SELECT step, service_id, duration_ms FROM step_events WHERE day BETWEEN ? AND ? AND step IS NOT NULL AND duration_ms IS NOT NULL').raw().all(from, to) as [string, string, number][];
  const by = new Map<string, number[]>();
  for (const [step, svc, d] of rows) {
    const k = `${step}|${svc}`;
    let a = by.get(k);
    if (!a) by.set(k, (a = []));
    a.push(d);
  }
  for (const step of STEP_IDS) medianAndP95(rows.filter((r) => r[0] === step).map((r) => r[2]));
  for (const a of by.values()) medianAndP95(a);
  raw.push(performance.now() - t0);
}
const p3 = first.steps.find((s) => s.step === 'P3' && s.serviceId === null);
console.log(`\n1. dashboard over ${EVENTS.toLocaleString('en')} step events (${from}..${to}), workstation scope, n=${RUNS}`);
console.log(`   time to first chart (ReportService.dashboard): p50 ${ms(pct(dash, 50))}  p95 ${ms(pct(dash, 95))}   (target p95 < 300 ms)`);
console.log(`   of which counts + step statistics (ReportService.figures): p50 ${ms(pct(figs, 50))}  p95 ${ms(pct(figs, 95))}`);
console.log(`   open requests read: ${open.length.toLocaleString('en')} in ${ms(openMs)}; the table's events: ${ms(tableMs)}`);
console.log(`   baseline, step statistics straight from the events: p50 ${ms(pct(raw, 50))}  p95 ${ms(pct(raw, 95))}`);
console.log(`   ratio ours / baseline: p50 ${(pct(dash, 50) / pct(raw, 50)).toFixed(3)}  p95 ${(pct(dash, 95) / pct(raw, 95)).toFixed(3)}`);
console.log(`   (check: P3 count ${p3?.count.toLocaleString('en')}, median ${ms(p3?.medianMs ?? NaN)}; deadlines listed ${first.deadlines.length}, queue waits ${first.queueWaits.requests.length}, table ${first.requests.length})`);

// ---- 2. the step events' cost added to the signing commit
const withSteps = new RequestService(db, catalog, fx.applicants, fx.store.files, silentLogger, { centreCode: 'ALM-01', workstationId: 'W01', now: fx.now, steps });
const manifest = Buffer.from(JSON.stringify({ form: 'x'.repeat(2500) }));
const cms = Buffer.alloc(1800, 7);
function signingCommit(requests: RequestService, requestId: string): void {
  writeTx(db, () => {
    const signatureId = newId();
    requests.repos.signatures.insert({ id: signatureId, requestId, manifest, manifestSha256: 'a'.repeat(64), cms, signerJson: '{}', signedAt: new Date().toISOString() });
    requests.audit.append({ actor: fx.actor.id, action: 'request.signed', subject: requestId, data: { signatureId } });
    requests.setStatus(requestId, 'documents_complete', 'signed', fx.actor.id);
    requests.repos.outbox.insertSubmit(requestId, `${requestId}:${signatureId}`, new Date().toISOString());
    requests.setStatus(requestId, 'signed', 'queued', fx.actor.id);
  });
}
const ready: string[] = [];
for (let i = 0; i < 2 * COMMITS + 10; i++) ready.push((await completeDocuments(fx, createRequest(fx, 500 + i))).id);
for (let i = 0; i < 10; i++) signingCommit(i % 2 ? withSteps : fx.requests, ready.pop()!); // warm both
const a: number[] = [];
const b: number[] = [];
for (let i = 0; i < COMMITS; i++) {
  for (const [svc, out] of (i % 2 ? [[withSteps, b], [fx.requests, a]] : [[fx.requests, a], [withSteps, b]]) as [RequestService, number[]][]) {
    const id = ready.pop()!;
    t0 = performance.now();
    signingCommit(svc, id);
    out.push(performance.now() - t0);
  }
}
console.log(`\n2. the signing commit (WAL, synchronous=FULL) with and without its step events, interleaved, n=${COMMITS} each`);
console.log(`   without step events: p50 ${ms(pct(a, 50))}  p95 ${ms(pct(a, 95))}`);
console.log(`   with step events:    p50 ${ms(pct(b, 50))}  p95 ${ms(pct(b, 95))}`);
console.log(`   ratio p50 ${(pct(b, 50) / pct(a, 50)).toFixed(3)}  p95 ${(pct(b, 95) / pct(a, 95)).toFixed(3)}   (target < 1.10)`);
await fx.close();
