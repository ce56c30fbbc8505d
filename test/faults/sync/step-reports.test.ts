/**
 * The Centre's view, exactly once: 200 workstations' step events reach the sandbox's report
 * endpoint exactly once under the sync fault mix (30 % of calls faulted, every kind, seeded), each
 * workstation running the real step-reports stage with its own FailurePolicy over real HTTPS with
 * mutual TLS; and a workstation's engine sends its events in its rounds, the Centre's dashboard
 * then counting them.
 *
 * Each workstation is a real SQLite database at the latest schema (in memory: 200 encrypted data
 * directories would measure the key derivation, not the reports) written by the real StepLog.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { expect, it } from 'vitest';
import { Catalog } from '../../../src-main/catalog/catalog.js';
import { applyMigrations } from '../../../src-main/db/migrate.js';
import { MIGRATIONS } from '../../../src-main/db/migrations/index.js';
import { assetPath } from '../../../src-main/host/paths.js';
import { silentLogger } from '../../../src-main/host/logger-types.js';
import { Norms } from '../../../src-main/reports/norms.js';
import { StepLog } from '../../../src-main/reports/step-log.js';
import { centreSource } from '../../../src-main/reports/centre.js';
import { FailurePolicy } from '../../../src-main/sync/policy.js';
import { StepReports } from '../../../src-main/sync/stages/step-reports.js';
import { StepReports as SandboxReports } from '../../../sandbox/reports.js';
import { scriptedClock } from '../../support/step-clock.js';
import { faultMix30, syncRigs } from '../../support/sync-rigs.js';

const WORKSTATIONS = 200;
const LOOKUPS = 12; // 3 events each (screen mark, asked, answered): 36 events per workstation
const rigs = syncRigs();
const catalog = Catalog.load(assetPath('catalog', 'services.json'));
const norms = Norms.load(assetPath('catalog', 'norms.json'), catalog.services.map((s) => s.id));
const SERVICE = 'emission-permit-aktobe';

/** A workstation with its events written: i-th look-up takes (i + 1) × 10 s. */
function workstation(n: number) {
  const db = new Database(':memory:');
  applyMigrations(db, MIGRATIONS);
  const clock = scriptedClock(Date.parse('2026-12-01T05:00:00Z'));
  const steps = new StepLog(db, norms, { workstationId: `W${n}`, clock });
  for (let i = 0; i < LOOKUPS; i++) {
    steps.screenReady(`op-${n}`, { screen: 'applicant', requestId: null, serviceId: SERVICE, latencyMs: 50 });
    steps.lookupAsked(`op-${n}`);
    clock.advance((i + 1) * 10_000);
    steps.lookupAnswered(`op-${n}`, 'found');
  }
  return { db, steps, clock };
}

it(`delivers ${WORKSTATIONS} workstations' step events exactly once with 30% of calls faulted`, { timeout: 240_000 }, async () => {
  const rig = await rigs.sandbox({ verifySubmission: undefined, faults: { seed: 12, rules: faultMix30() } });
  const stations = Array.from({ length: WORKSTATIONS }, (_, n) => {
    const w = workstation(n);
    const policy = new FailurePolicy({ intervalSeconds: 1, now: () => new Date(), baseSeconds: 0.05, maxSeconds: 1, maxPauseSeconds: 1 }, silentLogger, () => {});
    const gateway = rig.client({ workstationId: `W${n}`, timeoutMs: 10_000 });
    const ctx = { repos: { steps: w.steps.events }, requests: { db: w.db }, gateway, policy, log: silentLogger, nowMs: () => Date.now(), nowIso: () => new Date().toISOString() };
    return { ...w, stage: new StepReports(ctx) };
  });
  const total = stations.reduce((a, s) => a + s.stage.pending(), 0);
  expect(total).toBe(WORKSTATIONS * LOOKUPS * 3);

  // Each workstation runs its stage round after round until nothing is left to report.
  const deadline = Date.now() + 200_000;
  await Promise.all(
    stations.map(async (s) => {
      while (s.stage.pending() > 0) {
        if (Date.now() > deadline) throw new Error(`W${stations.indexOf(s)}: ${s.stage.pending()} events still unreported`);
        await s.stage.run(() => false);
        if (s.stage.pending() > 0) await new Promise((r) => setTimeout(r, 25));
      }
    }),
  );

  const held = new SandboxReports(rig.sandbox.db).stats();
  // Every event once, from every workstation, although deliveries were repeated.
  expect(held).toMatchObject({ events: total, workstations: WORKSTATIONS });
  expect(held.duplicateDeliveries).toBeGreaterThan(0);
  const stats = await rig.admin.stats();
  for (const kind of ['error', 'latency', 'reset', 'truncated', 'malformed', 'oversized', 'duplicate']) expect(stats.faultsInjected[kind] ?? 0, kind).toBeGreaterThan(0);

  // The Centre's figures over all of them (faults off: this is the reading, not the delivery):
  // 200 × 12 look-ups of 10..120 s, against P3's 1.5 min.
  await rig.admin.clearFaults();
  const centre = centreSource({ ask: (q) => rig.client().centreReport(q), norms, repo: stations[0]!.steps.events, catalog, now: stations[0]!.clock.now });
  const f = await centre({ from: '2026-12-01', to: '2026-12-01', operatorId: null, serviceId: null, nearDays: 3, queueMinutes: 60 });
  expect(f.workstations).toBe(WORKSTATIONS);
  const p3 = f.steps.find((x) => x.step === 'P3' && x.serviceId === SERVICE)!;
  // Values 10..120 s, 200 of each: median 65 s; over 90 s: 100, 110, 120 → 3/12.
  expect(p3).toMatchObject({ count: WORKSTATIONS * LOOKUPS, medianMs: 65_000, normMs: 90_000, overNormShare: 0.25 });
  expect(p3.appLatency).toMatchObject({ count: WORKSTATIONS * LOOKUPS, medianMs: 50 });
  for (const s of stations) s.db.close();
});
