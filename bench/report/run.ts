/**
 * bench/report: the regulation's clock's two targets, each against a baseline run in this script,
 * on the app's encrypted store (AEGIS-256 pages, WAL, synchronous=FULL).
 *
 * Data (fill.ts): 90 days of a large Centre: 40 operators, every service, each visit's whole
 * Diagram 3 walk, about 1,000,000 step events; open requests are the last weeks' (decided within
 * the deadline, mostly), not a share of every status. The roll-ups are folded by the app's code,
 * with a tail of events after the fold as a reader meets it between folds.
 *
 * 1. Time to first chart: the dashboard screen asks report.figures (counts, step statistics: what
 *    its charts draw) and report.lists (deadlines, queue waits, latest requests) apart, and draws
 *    the charts on the first answer. So time to first chart = ReportService.figuresOf over the 90
 *    days, p50/p95 over repeated runs (target p95 < 300 ms). Also shown: the lists, and the whole
 *    report (report.dashboard, what the export holds). Baseline: the same step statistics straight
 *    from the events (no roll-ups).
 * 2. The step events' cost added to a request's commit: the app's signing commit (commitSignature
 *    in requests/signing.ts: signature, document PDFs, audit, documents_complete → signed → queued,
 *    outbox) by a RequestService that writes step events and by one that does not, interleaved, on
 *    the same database. Ratio of p50 and p95 of wall time, and of the process's CPU time per commit
 *    (target added cost < 10 %); and the pages each commit writes to the WAL, named by B-tree (a
 *    count: the same on any machine). `npm run bench:report:instructions` counts the same commit's
 *    SQLite instructions with callgrind (commit-instructions.ts).
 *
 *   npm run bench:report [-- --events 1000000 --runs 30 --commits 500 --tail 2000]
 *   (--commits: of each kind. The two differ by about 8 % of a commit of about 0.5 ms, and the
 *   p50 of 200 moved by ±3 % between runs on a shared machine: 500 halve that.)
 *   (--tail: events written after the last fold; default the most a reader meets, FOLD_AT)
 */
import { readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Catalog } from '../../src-main/catalog/catalog.js';
import { localDateOf } from '../../src-main/calendar/index.js';
import { medianAndP95 } from '../../src-main/contract/step-stats.js';
import { STEP_IDS } from '../../src-main/contract/report.js';
import { prep } from '../../src-main/db/database.js';
import { FOLD_AT } from '../../src-main/db/repos/step-rollups.js';
import { assetPath } from '../../src-main/host/paths.js';
import type { RequestService } from '../../src-main/requests/request-service.js';
import { commitSignature } from '../../src-main/requests/signing.js';
import { withStepEvents } from '../../test/support/step-store.js';
import { completeDocuments, createRequest, openFixture } from '../../test/support/store-fixture.js';
import { pct } from '../stats.js';
import { fillCentre } from './fill.js';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '30' }, commits: { type: 'string', default: '500' }, tail: { type: 'string', default: String(FOLD_AT) } },
});
const RUNS = Number(values.runs);
const COMMITS = Number(values.commits);
const DAYS = 90;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const loadBefore = load();

const fx = await openFixture({ reconcile: false });
const db = fx.store.db;
const catalog = Catalog.load(assetPath('catalog', 'services.json'));
const { reports, requests: withSteps } = withStepEvents(fx);

let t0 = performance.now();
const info = fillCentre(db, catalog, fx.now().getTime(), { events: Number(values.events), days: DAYS, operators: 40, tail: Number(values.tail) });
console.log(`load average at start: ${loadBefore}`);
console.log(
  `fill: ${info.events.toLocaleString('en')} step events over ${DAYS} days, ${info.requests.toLocaleString('en')} requests, ${info.open.toLocaleString('en')} open (${((info.open / info.requests) * 100).toFixed(1)} %) (${((performance.now() - t0) / 1000).toFixed(1)} s); roll-ups folded by the app in ${info.foldSeconds.toFixed(1)} s, ${info.tail.toLocaleString('en')} events after the fold`,
);

// ---- 1. time to first chart
const to = localDateOf(fx.now());
const from = localDateOf(new Date(fx.now().getTime() - (DAYS - 1) * 86_400_000));
const input = { from, to, scope: 'workstation' as const };
const timed = async <T>(n: number, fn: () => T | Promise<T>): Promise<{ xs: number[]; cpu: number[]; last: T }> => {
  let last = await fn(); // warm (the first lists call also dates open requests that have no due date)
  const xs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    t0 = performance.now();
    last = await fn();
    xs.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { xs, cpu, last };
};
const figures = await timed(RUNS, () => reports.figuresOf(input));
const lists = await timed(RUNS, () => reports.lists(input, 50));
const today = await timed(RUNS, () => reports.figuresOf({ from: to, to, scope: 'workstation' }));
const whole = await timed(Math.max(3, Math.floor(RUNS / 3)), () => reports.dashboard(input));
// Baseline: the same step statistics from the raw events (no roll-ups).
const raw = await timed(Math.max(3, Math.floor(RUNS / 5)), () => {
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
});
const f = figures.last;
const p5 = f.steps.find((s) => s.step === 'P5' && s.serviceId === null);
const l = lists.last;
console.log(`\n1. dashboard over ${info.events.toLocaleString('en')} step events (${from}..${to}), workstation scope, n=${RUNS}`);
console.log(`   time to first chart (report.figures): p50 ${ms(pct(figures.xs, 50))}  p95 ${ms(pct(figures.xs, 95))}   p95 / target 300 ms = ${(pct(figures.xs, 95) / 300).toFixed(3)}`);
console.log(`   its CPU time (this process, whatever the machine's load): p50 ${ms(pct(figures.cpu, 50))}  p95 ${ms(pct(figures.cpu, 95))}   p95 / 300 ms = ${(pct(figures.cpu, 95) / 300).toFixed(3)}`);
console.log(`   then the lists (report.lists, 50 each): p50 ${ms(pct(lists.xs, 50))}  p95 ${ms(pct(lists.xs, 95))}`);
console.log(`   the screen's default (today's figures): p50 ${ms(pct(today.xs, 50))}  p95 ${ms(pct(today.xs, 95))}`);
console.log(`   the whole report (report.dashboard, the export's; every deadline): p50 ${ms(pct(whole.xs, 50))}  p95 ${ms(pct(whole.xs, 95))}`);
console.log(`   baseline, step statistics straight from the events: p50 ${ms(pct(raw.xs, 50))}  p95 ${ms(pct(raw.xs, 95))}`);
console.log(`   ratio first chart / baseline: p50 ${(pct(figures.xs, 50) / pct(raw.xs, 50)).toFixed(3)}  p95 ${(pct(figures.xs, 95) / pct(raw.xs, 95)).toFixed(3)}`);
console.log(
  `   (check: accepted ${f.counts.period.accepted.toLocaleString('en')}, issued ${f.counts.period.issued.toLocaleString('en')}, P5 count ${p5?.count.toLocaleString('en')} median ${ms(p5?.medianMs ?? NaN)}; deadlines near or past ${l.deadlinesTotal} (listed ${l.deadlines.length}), queue waits ${l.queueWaits.total}, table ${l.requests.length})`,
);

// ---- 2. the step events' cost added to the signing commit
const manifest = Buffer.from(JSON.stringify({ form: 'x'.repeat(2500) }));
const cms = Buffer.alloc(1800, 7);
const signer = { name: 'ОПЕРАТОР', serial: '1f'.repeat(10), notAfter: '2027-12-01T00:00:00Z', algorithm: 'ECGOST3410-2015-512', iin: null };
/** The app's signing commit (requests/signing.ts), for a request whose documents are complete: one PDF per presented slot. */
function signingCommit(requests: RequestService, requestId: string): void {
  const pdfs = fx.requests.detail(requestId).slots.filter((s) => s.presented && s.pages.length > 0).map((s, i) => ({ slotId: s.slotId, sha256: i.toString(16).padStart(64, 'c'), size: 180_000, pageCount: s.pages.length }));
  const updatedAt = fx.requests.row(requestId).updated_at;
  const c0 = process.cpuUsage();
  const t = performance.now();
  commitSignature(requests, { requestId, updatedAt, signed: { manifest, cms, signer, signedAt: fx.now().toISOString() }, manifestSha256: 'a'.repeat(64), pdfs, operatorId: fx.actor.id, now: fx.now() });
  lastWall = performance.now() - t;
  const c = process.cpuUsage(c0);
  lastCpu = (c.user + c.system) / 1000;
}
let lastWall = 0;
let lastCpu = 0;
/** Commits of each kind whose WAL pages are counted, after the timed ones. */
const PAGE_COUNT_COMMITS = 40;
const ready: string[] = [];
for (let i = 0; i < 2 * COMMITS + 20 + 2 * PAGE_COUNT_COMMITS; i++) ready.push((await completeDocuments(fx, createRequest(fx, 500 + i))).id);
for (let i = 0; i < 20; i++) signingCommit(i % 2 ? withSteps : fx.requests, ready.pop()!); // warm both
const wall = { without: [] as number[], with: [] as number[] };
const cpu = { without: [] as number[], with: [] as number[] };
for (let i = 0; i < COMMITS; i++) {
  for (const which of i % 2 ? (['with', 'without'] as const) : (['without', 'with'] as const)) {
    signingCommit(which === 'with' ? withSteps : fx.requests, ready.pop()!);
    wall[which].push(lastWall);
    cpu[which].push(lastCpu);
  }
}
// Pages written to the WAL per commit (a count, not a time: the same on any machine), with checkpoints
// held off for this count only: the pages of each commit read off its WAL frames' headers, and named
// by the table or index they belong to (dbstat) once all are written.
db.pragma('wal_checkpoint(TRUNCATE)');
db.pragma('wal_autocheckpoint = 0');
const walFile = `${db.name}-wal`;
const pageSize = db.pragma('page_size', { simple: true }) as number;
const pagesOf = { without: [] as number[][], with: [] as number[][] };
for (let i = 0; i < 2 * PAGE_COUNT_COMMITS; i++) {
  const which = i % 2 ? 'with' : 'without';
  const before = statSync(walFile).size;
  signingCommit(which === 'with' ? withSteps : fx.requests, ready.pop()!);
  const wal = readFileSync(walFile);
  const pages: number[] = [];
  for (let off = Math.max(32, before); off + 24 <= wal.length; off += pageSize + 24) pages.push(wal.readUInt32BE(off));
  pagesOf[which].push(pages);
}
db.pragma('wal_autocheckpoint = 1000');
const owner = new Map((prep(db, 'SELECT pageno, name FROM dbstat').raw().all() as [number, string][]).map(([page, name]) => [page, name]));
const stepPages = pagesOf.with.map((pages) => pages.filter((p) => owner.get(p)?.startsWith('step_events')).length);
const frames = { without: pagesOf.without.map((p) => p.length), with: pagesOf.with.map((p) => p.length) };
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const ratio = (x: { without: number[]; with: number[] }, p: number) => (pct(x.with, p) / pct(x.without, p)).toFixed(3);
console.log(`\n2. the signing commit (WAL, synchronous=FULL) with and without its step events, interleaved, n=${COMMITS} each`);
console.log(`   wall, without step events: p50 ${ms(pct(wall.without, 50))}  p95 ${ms(pct(wall.without, 95))}`);
console.log(`   wall, with step events:    p50 ${ms(pct(wall.with, 50))}  p95 ${ms(pct(wall.with, 95))}`);
console.log(`   wall ratio p50 ${ratio(wall, 50)}  p95 ${ratio(wall, 95)}   (target < 1.10)`);
console.log(`   WAL pages written per commit (mean of ${PAGE_COUNT_COMMITS} each): without ${mean(frames.without).toFixed(1)}, with ${mean(frames.with).toFixed(1)}; of those, step_events' own (table and indexes): ${mean(stepPages).toFixed(2)}`);
console.log(`   CPU per commit: without p50 ${pct(cpu.without, 50).toFixed(3)} ms, with p50 ${pct(cpu.with, 50).toFixed(3)} ms; ratio p50 ${ratio(cpu, 50)}  p95 ${ratio(cpu, 95)}`);
console.log(`\nload average at end: ${load()}`);
await fx.close();
