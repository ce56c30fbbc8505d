/**
 * The regulation's clock on a real SQLite store: step events written with scripted durations,
 * then the dashboard's figures checked against medians, 95th percentiles and over-norm shares
 * computed by hand; the wall clock set back must not give negative or huge step times.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src-main/catalog/catalog.js';
import { openStore, type Store } from '../../../src-main/db/store.js';
import { assetPath } from '../../../src-main/host/paths.js';
import { DashboardReport } from '../../../src-main/reports/dashboard.js';
import { Norms } from '../../../src-main/reports/norms.js';
import { StepLog } from '../../../src-main/reports/step-log.js';
import { captureLogger } from '../../support/capture-logger.js';
import { scriptedClock, type ScriptedClock } from '../../support/step-clock.js';

const AKTOBE = 'emission-permit-aktobe'; // P3 norm 1,5 min (seed 000, Table 3, action 3)
const ALMATY = 'emission-permit-almaty'; // P3 norm 2 + 1 min (seed 003, para 10, 3) and 4))
const S = 1000;

let store: Store | null = null;
let dir = '';
afterEach(async () => {
  await store?.close();
  store = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function world(): Promise<{ steps: StepLog; report: DashboardReport; clock: ScriptedClock }> {
  dir = mkdtempSync(join(tmpdir(), 'qab-steps-'));
  const clock = scriptedClock();
  store = await openStore({ dataDir: join(dir, 'data'), log: captureLogger(), now: clock.now, reconcile: false });
  const catalog = Catalog.load(assetPath('catalog', 'services.json'));
  const norms = Norms.load(assetPath('catalog', 'norms.json'), catalog.services.map((s) => s.id));
  const steps = new StepLog(store.db, norms, { workstationId: 'W01', clock });
  return { steps, report: new DashboardReport(steps.events, catalog, norms, clock.now), clock };
}

/** One look-up of `ms` by `operator` for `serviceId`, the applicant screen ready after `latency`. */
async function lookup(w: { steps: StepLog; clock: ScriptedClock }, operator: string, serviceId: string, ms: number, latency = 0, found = true) {
  w.steps.screenReady(operator, { screen: 'applicant', requestId: null, serviceId, latencyMs: latency });
  w.steps.lookupAsked(operator);
  w.clock.advance(ms);
  if (found) w.steps.lookupAnswered(operator, 'found');
  else w.steps.p4Recorded(operator, `refusal-${operator}-${ms}`);
  return Promise.resolve();
}

const query = { from: '2026-12-01', to: '2026-12-01', operatorId: null, serviceId: null, nearDays: 3, queueMinutes: 60 };

describe('step times against the norms', () => {
  it('gives the medians, 95th percentiles and over-norm shares computed by hand', async () => {
    const w = await world();
    for (const [ms, latency] of [[30 * S, 100], [60 * S, 300], [80 * S, 200], [95 * S, 500], [120 * S, 400]]) await lookup(w, 'op-a', AKTOBE, ms!, latency);
    for (const ms of [100 * S, 200 * S]) await lookup(w, 'op-b', ALMATY, ms);
    await lookup(w, 'op-b', ALMATY, 45 * S, 0, false); // P4: "data cannot be obtained"

    const f = w.report.figures(query);
    const p3 = (serviceId: string | null) => f.steps.find((s) => s.step === 'P3' && s.serviceId === serviceId)!;
    // Aktobe: 30, 60, 80, 95, 120 s. Median 80; p95 at rank 1 + 4·0.95 = 4.8: 95 + 0.8·25 = 115; over 90 s: 95, 120 → 2/5.
    expect(p3(AKTOBE)).toMatchObject({ count: 5, medianMs: 80 * S, p95Ms: 115 * S, normMs: 90 * S, withNorm: 5, overNormShare: 0.4 });
    // App latency of the applicant screen: 100, 200, 300, 400, 500 ms → median 300, p95 480.
    expect(p3(AKTOBE).appLatency).toEqual({ count: 5, medianMs: 300, p95Ms: 480 });
    // Almaty: 100, 200 s. Median 150; p95 100 + 0.95·100 = 195; over 180 s: 200 → 1/2.
    expect(p3(ALMATY)).toMatchObject({ count: 2, medianMs: 150 * S, p95Ms: 195 * S, normMs: 180 * S, overNormShare: 0.5 });
    // All: 30, 60, 80, 95, 100, 120, 200 s. Median 95; p95 at 1 + 6·0.95 = 6.7: 120 + 0.7·80 = 176; over their own norms: 3/7.
    const all = p3(null);
    expect(all).toMatchObject({ count: 7, medianMs: 95 * S, withNorm: 7, normMs: null });
    expect(all.p95Ms).toBeCloseTo(176 * S, 6);
    expect(all.overNormShare).toBeCloseTo(3 / 7, 10);
    // The P4 branch is its own step (norm 2 min in seed 003) and its own count.
    expect(f.steps.find((s) => s.step === 'P4' && s.serviceId === ALMATY)).toMatchObject({ count: 1, medianMs: 45 * S, normMs: 120 * S, overNormShare: 0 });
    expect(f.counts.period.refusedP4).toBe(1);
    expect(f.byOperator.find((o) => o.operatorId === 'op-b')!.period.refusedP4).toBe(1);
  });

  it('times steps on the monotonic clock: the wall clock set back or forward changes no duration', async () => {
    const w = await world();
    w.steps.screenReady('op-a', { screen: 'applicant', requestId: null, serviceId: AKTOBE, latencyMs: 0 });
    w.steps.lookupAsked('op-a');
    w.clock.advance(20 * S);
    w.clock.jumpWall(-3_600_000); // the clock is set back an hour mid-step
    w.steps.lookupAnswered('op-a', 'found');
    w.steps.lookupAsked('op-a');
    w.clock.advance(10 * S);
    w.clock.jumpWall(3_600_000 * 2); // and forward two hours
    w.steps.lookupAnswered('op-a', 'found');
    const rows = w.steps.events.unreported(100).filter((e) => e.kind === 'lookup_answered');
    expect(rows.map((r) => [r.duration_ms, r.clock])).toEqual([
      [20 * S, 'monotonic'],
      [10 * S, 'monotonic'],
    ]);
  });

  it('after a restart with the clock set back, leaves the step untimed rather than negative', async () => {
    const w = await world();
    w.steps.screenReady('op-a', { screen: 'applicant', requestId: null, serviceId: AKTOBE, latencyMs: 0 });
    w.steps.record({ kind: 'lookup_asked', operatorId: 'op-a' });
    w.clock.restart();
    w.clock.jumpWall(-600 * S);
    w.steps.record({ kind: 'lookup_answered', operatorId: 'op-a' });
    w.clock.restart();
    w.clock.jumpWall(900 * S); // 5 minutes after the asked event, by the wall clock
    w.steps.record({ kind: 'lookup_asked', operatorId: 'op-a' });
    w.clock.restart();
    w.clock.advance(30 * S);
    w.steps.record({ kind: 'lookup_answered', operatorId: 'op-a' });
    const answered = w.steps.events.unreported(100).filter((e) => e.kind === 'lookup_answered');
    expect(answered.map((r) => [r.duration_ms, r.clock])).toEqual([
      [null, null],
      [30 * S, 'wall'],
    ]);
    expect(w.report.figures(query).steps.find((s) => s.step === 'P3' && s.serviceId === AKTOBE)!.count).toBe(1);
  });
});
