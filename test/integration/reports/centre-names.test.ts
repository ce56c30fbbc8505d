/**
 * The Centre's view names the operators of other workstations: workstation A sends its step
 * events with the display names of the operators they name; the supervisor at workstation B,
 * which has never seen A's accounts, finds A's operator by name in the Centre's figures, not by
 * account id. Real SQLite databases at the latest schema, the real step-reports stage, the
 * sandbox over HTTPS with mutual TLS.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, expect, it } from 'vitest';
import { OperatorStore } from '../../../src-main/auth/operator-store.js';
import { Catalog } from '../../../src-main/catalog/catalog.js';
import { applyMigrations } from '../../../src-main/db/migrate.js';
import { MIGRATIONS } from '../../../src-main/db/migrations/index.js';
import { assetPath } from '../../../src-main/host/paths.js';
import { silentLogger } from '../../../src-main/host/logger-types.js';
import { centreSource } from '../../../src-main/reports/centre.js';
import { Norms } from '../../../src-main/reports/norms.js';
import { StepLog } from '../../../src-main/reports/step-log.js';
import { FailurePolicy } from '../../../src-main/sync/policy.js';
import { StepReports } from '../../../src-main/sync/stages/step-reports.js';
import { scriptedClock } from '../../support/step-clock.js';
import { syncRigs } from '../../support/sync-rigs.js';

const rigs = syncRigs();
const catalog = Catalog.load(assetPath('catalog', 'services.json'));
const norms = Norms.load(assetPath('catalog', 'norms.json'), catalog.services.map((s) => s.id));
const dbs: Database.Database[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

function workstation(id: string) {
  const db = new Database(':memory:');
  dbs.push(db);
  applyMigrations(db, MIGRATIONS);
  const clock = scriptedClock(Date.parse('2026-12-01T05:00:00Z'));
  return { id, db, clock, steps: new StepLog(db, norms, { workstationId: id, clock }) };
}

it("names other workstations' operators in the Centre's view", { timeout: 60_000 }, async () => {
  const rig = await rigs.sandbox({ verifySubmission: undefined });
  const a = workstation('W-A');
  new OperatorStore(a.db).insert({ id: 'op-a', login: 'aigul', full_name: 'Ахметова Айгүл Серікқызы', iin: null, role: 'operator', password_hash: 'x', must_change_password: 0, created_at: '2026-12-01T04:00:00Z' });
  a.steps.screenReady('op-a', { screen: 'applicant', requestId: null, serviceId: 'emission-permit-almaty', latencyMs: 30 });
  a.steps.lookupAsked('op-a');
  a.clock.advance(20_000);
  a.steps.p4Recorded('op-a', 'refusal-1'); // counted: refused (P4), so the operator is in byOperator
  const policy = new FailurePolicy({ intervalSeconds: 1, now: () => new Date(), baseSeconds: 0.05, maxSeconds: 1, maxPauseSeconds: 1 }, silentLogger, () => {});
  const stage = new StepReports({ repos: { steps: a.steps.events }, requests: { db: a.db }, gateway: rig.client({ workstationId: a.id }), policy, log: silentLogger, nowMs: () => Date.now(), nowIso: () => new Date().toISOString() });
  await stage.run(() => false);
  expect(stage.pending()).toBe(0);

  // Workstation B knows nobody of A's.
  const b = workstation('W-B');
  const centre = centreSource({ ask: (q) => rig.client({ workstationId: b.id }).centreReport(q), norms, repo: b.steps.events, catalog, now: b.clock.now });
  const f = await centre({ from: '2026-12-01', to: '2026-12-01', operatorId: null, serviceId: null, nearDays: 3, queueMinutes: 60 });
  expect(f.byOperator).toEqual([expect.objectContaining({ operatorId: 'op-a', name: 'Ахметова Айгүл Серікқызы' })]);
  expect(f.byOperator[0]!.period.refusedP4).toBe(1);
});
