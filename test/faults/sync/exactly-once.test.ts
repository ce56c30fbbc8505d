/**
 * Exactly once, at volume, over real HTTPS with mutual TLS against the sandbox:
 *  - 1,000 signed requests are queued while the backend is down (the engine probes and backs
 *    off); when it starts, every one is registered exactly once, counted at the backend;
 *  - the same with 30% of all calls faulted, every kind of fault the sandbox injects (seeded).
 *
 * What these tests leave out, and why: the sandbox runs WITHOUT checking the operators' signatures
 * (its fast mode: no `verifySubmission`, `--no-verify` on the command line). With checks on, each
 * submission costs two `openssl cms -verify` processes (about 60 ms of CPU), and signing 1,000
 * manifests with the test key about 12 s more: on the 2 shared cores that would be minutes per run
 * and measure openssl rather than the engine. Exactly once does not depend on the signature's
 * value (the backend dedupes by idempotency key and counts a manifest registered twice), so here
 * each request carries its real RFC 8785 manifest and a stand-in CMS of a real one's size
 * (test/support/sync-fixture.ts). The signature path (real CMS by the test operator's key,
 * openssl at the sandbox, the signer's IIN and BIN matched) is covered by
 * test/integration/sync/engine.test.ts and test/integration/host/skeleton-flow.test.ts.
 *
 * The two Retry-After kinds (429, 503 maintenance) are a small share of the 30% (0.4%, about ten of
 * each): the engine pauses ALL sending for the server's seconds (as it must), so at the
 * others' rate they alone would add a minute of waiting. The engine test checks that Retry-After
 * is honoured.
 */
import { expect, it } from 'vitest';
import type { FaultConfig } from '../../../sandbox/faults.js';
import type { GatewayRig } from '../../support/gateway.js';
import { queueRequests, statusCounts, until, type SyncWorld } from '../../support/sync-fixture.js';
import { expectExactlyOnce, faultMix30, syncRigs } from '../../support/sync-rigs.js';

const COUNT = 1000;
const rigs = syncRigs();

async function setUp(faults?: FaultConfig): Promise<{ rig: GatewayRig; w: SyncWorld }> {
  // No decisions during the test (no permits to make): the decision is an hour away.
  const rig = await rigs.sandbox({ verifySubmission: undefined, decisionDelayMs: 3_600_000, ...(faults ? { faults } : {}) });
  return { rig, w: await rigs.world(rig) };
}

it(`registers ${COUNT} requests queued while the backend was down exactly once when it comes up`, { timeout: 240_000 }, async () => {
  const { rig, w } = await setUp();
  await rig.stop();
  const ids = await queueRequests(w, { count: COUNT, documentBytes: 3000 });
  const events: boolean[] = [];
  const engine = w.engine({ intervalSeconds: 2 }, (s) => events.push(s.online));
  engine.start();
  await new Promise((r) => setTimeout(r, 1500));
  expect(statusCounts(w)).toEqual({ queued: COUNT });
  expect(events.every((online) => !online)).toBe(true);
  // Not one request was blamed for the backend being down.
  expect(w.store.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE attempts > 0`).get()).toEqual({ n: 0 });

  await rig.start();
  await until(() => (statusCounts(w).registered ?? 0) === COUNT, 180_000, () => statusCounts(w));
  await engine.stop();
  expect(events.at(-1)).toBe(true);
  await expectExactlyOnce(w, rig.admin, ids);
  expect((await rig.admin.stats()).documents).toBe(COUNT);
});

it(`registers ${COUNT} requests exactly once with 30% of all calls faulted (every kind, seeded)`, { timeout: 300_000 }, async () => {
  // The other kinds share 29.6%, the two Retry-After kinds 0.4% (see above).
  const { rig, w } = await setUp({ seed: 26, rules: faultMix30() });
  const ids = await queueRequests(w, { count: COUNT, documentBytes: 3000, offset: 700_000 });
  const engine = w.engine({ intervalSeconds: 2 });
  engine.start();
  await until(() => (statusCounts(w).registered ?? 0) === COUNT, 280_000, () => statusCounts(w));
  await engine.stop();
  const stats = await rig.admin.stats();
  // The faults really happened, of every kind, and the backend saw repeated deliveries.
  for (const kind of ['rateLimit', 'maintenance', 'error', 'latency', 'reset', 'truncated', 'malformed', 'oversized', 'duplicate']) {
    expect(stats.faultsInjected[kind] ?? 0, kind).toBeGreaterThan(0);
  }
  const injected = Object.values(stats.faultsInjected).reduce((a, b) => a + b, 0);
  expect(injected).toBeGreaterThan(COUNT);
  expect(stats.duplicateDeliveries).toBeGreaterThan(0);
  await expectExactlyOnce(w, rig.admin, ids);
  // Nothing needed the operator: every fault was transient.
  expect(statusCounts(w)).toEqual({ registered: COUNT });
});
