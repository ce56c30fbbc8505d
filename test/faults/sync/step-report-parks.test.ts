/**
 * A report batch the licensing backend refuses for good is set aside, not sent again forever:
 *  - the sandbox's fault endpoint answers the first batch 400 BAD_REQUEST (not retryable): the
 *    whole batch is set aside with the reason, the rest of the events reach the sandbox exactly
 *    once, and nothing is left pending;
 *  - an event the backend itself finds malformed (it names `events[i].serviceId`) is set aside
 *    alone: the others of its batch go in the next call, exactly once;
 *  - what is set aside is listed with its reason for the supervisor (`report.parked`).
 * Real SQLite (the latest schema), the real step-reports stage and FailurePolicy, the sandbox
 * over HTTPS with mutual TLS.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, expect, it } from 'vitest';
import { Catalog } from '../../../src-main/catalog/catalog.js';
import { applyMigrations } from '../../../src-main/db/migrate.js';
import { MIGRATIONS } from '../../../src-main/db/migrations/index.js';
import { assetPath } from '../../../src-main/host/paths.js';
import { silentLogger } from '../../../src-main/host/logger-types.js';
import { Norms } from '../../../src-main/reports/norms.js';
import { StepLog } from '../../../src-main/reports/step-log.js';
import { FailurePolicy } from '../../../src-main/sync/policy.js';
import { STEP_REPORT_BATCH, StepReports } from '../../../src-main/sync/stages/step-reports.js';
import type { FaultConfig } from '../../../sandbox/faults.js';
import { StepReports as SandboxReports } from '../../../sandbox/reports.js';
import { scriptedClock } from '../../support/step-clock.js';
import { startStack } from '../../support/stack.js';
import { syncRigs } from '../../support/sync-rigs.js';

const rigs = syncRigs();
const catalog = Catalog.load(assetPath('catalog', 'services.json'));
const norms = Norms.load(assetPath('catalog', 'norms.json'), catalog.services.map((s) => s.id));
let db: Database.Database | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

/** A workstation with `lookups` look-ups written (two events each), and its report stage against the rig. */
async function workstation(lookups: number, faults?: FaultConfig) {
  const rig = await rigs.sandbox({ verifySubmission: undefined, ...(faults ? { faults } : {}) });
  db = new Database(':memory:');
  applyMigrations(db, MIGRATIONS);
  const clock = scriptedClock(Date.parse('2026-12-01T05:00:00Z'));
  const steps = new StepLog(db, norms, { workstationId: 'W1', clock });
  for (let i = 0; i < lookups; i++) {
    steps.lookupAsked('op-1');
    clock.advance(10_000);
    steps.lookupAnswered('op-1', 'found');
  }
  const policy = new FailurePolicy({ intervalSeconds: 1, now: () => new Date(), baseSeconds: 0.05, maxSeconds: 1, maxPauseSeconds: 1 }, silentLogger, () => {});
  const stage = new StepReports({ repos: { steps: steps.events }, requests: { db }, gateway: rig.client({ workstationId: 'W1' }), policy, log: silentLogger, nowMs: () => Date.now(), nowIso: () => new Date().toISOString() });
  /** Rounds until nothing is pending, at most `rounds` (a batch retried forever never ends). */
  const drain = async (rounds = 40) => {
    for (let i = 0; i < rounds && stage.pending() > 0; i++) {
      await stage.run(() => false);
      await new Promise((r) => setTimeout(r, 30));
    }
  };
  return { rig, db, steps, stage, drain, held: () => new SandboxReports(rig.sandbox.db).stats() };
}

it('sets a batch the backend refuses for good (400) aside with its reason; the rest arrive exactly once', { timeout: 60_000 }, async () => {
  const w = await workstation(150, { seed: 1, rules: [{ endpoint: 'stepEvents', kind: 'error', status: 400, times: 1 }] });
  expect(w.stage.pending()).toBe(300);
  await w.drain();
  expect(w.stage.pending()).toBe(0);
  expect(w.steps.events.parked()).toMatchObject([{ code: 'GATEWAY_BAD_REQUEST', events: STEP_REPORT_BATCH }]);
  // The first batch (the oldest 200) set aside; the other 100 reached the backend once each.
  expect(w.held()).toEqual({ events: 300 - STEP_REPORT_BATCH, duplicateDeliveries: 0, workstations: 1 });
  const parkedIds = w.db.prepare('SELECT e.seq FROM step_report_parks k JOIN step_events e ON e.seq = k.event_seq ORDER BY e.seq').all() as { seq: number }[];
  expect(parkedIds.map((r) => r.seq)).toEqual(Array.from({ length: STEP_REPORT_BATCH }, (_, i) => i + 1));
  // Nothing set aside is marked reported: the database says what the backend never took.
  expect((w.db.prepare('SELECT COUNT(*) AS n FROM step_events WHERE reported_at IS NULL').get() as { n: number }).n).toBe(STEP_REPORT_BATCH);
});

it('sets aside only the event the refusal names; its batch-mates go in the next call, exactly once', { timeout: 60_000 }, async () => {
  const w = await workstation(20);
  // An event the backend cannot take (a service id it refuses), third of the batch.
  w.db.prepare("UPDATE step_events SET service_id = 'Not A Service' WHERE seq = 3").run();
  await w.drain();
  expect(w.stage.pending()).toBe(0);
  expect(w.steps.events.parked()).toMatchObject([{ code: 'GATEWAY_BAD_REQUEST', events: 1 }]);
  expect(w.held()).toEqual({ events: 39, duplicateDeliveries: 0, workstations: 1 });
  expect(w.db.prepare('SELECT e.seq FROM step_report_parks k JOIN step_events e ON e.seq = k.event_seq').all()).toEqual([{ seq: 3 }]);
});

it('shows the supervisor what was set aside and why (report.parked); an operator may not see it', { timeout: 60_000 }, async () => {
  const stack = await startStack({ sandbox: { faults: { seed: 1, rules: [{ endpoint: 'stepEvents', kind: 'error', status: 400 }] } } });
  try {
    await stack.login();
    await stack.host.sync.runOnce();
    const denied = await stack.api('report.parked', {});
    expect(denied.ok ? null : denied.error.code).toBe('FORBIDDEN');
    await stack.ok('auth.login', { login: 'supervisor', password: 'supervisor123' });
    const { items } = await stack.ok('report.parked', {});
    // The operator's log-in (P1), refused for good: set aside with the reason, not pending.
    expect(items).toMatchObject([{ code: 'GATEWAY_BAD_REQUEST', events: 1 }]);
    expect(stack.host.db.prepare("SELECT e.kind, e.reported_at FROM step_report_parks k JOIN step_events e ON e.seq = k.event_seq").all()).toEqual([{ kind: 'login', reported_at: null }]);
  } finally {
    await stack.close();
  }
});
