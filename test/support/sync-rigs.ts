/**
 * What the sync tests share that needs vitest (sync-fixture.ts is imported by child processes
 * without it): sandboxes (the licensing backend with the test PKI) and workstations
 * (openSyncWorld on a temp directory) made on demand inside a test, all closed and removed after
 * each test; and the exactly-once check.
 *
 *   const rigs = syncRigs();
 *   it('…', async () => { const r = await rigs.sandbox({ decisionDelayMs: 300 }); const w = await rigs.world(r); });
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import type { FaultConfig } from '../../sandbox/faults.js';
import type { SandboxOptions } from '../../sandbox/server.js';
import { silentLogger } from '../../src-main/host/logger-types.js';
import { captureLogger } from './capture-logger.js';
import { startGatewayRig, type GatewayRig } from './gateway.js';
import type { Store } from '../../src-main/db/store.js';
import { openSyncWorld, type SyncWorld } from './sync-fixture.js';

export interface WorldOptions {
  /** Collects the engine's log lines (JSON) here; silent when absent. */
  lines?: string[];
  /** Clock offset (skew) in milliseconds. */
  skewMs?: number;
  /** The client's per-call deadline (default 60 s: a hang guard). */
  timeoutMs?: number;
}

export function syncRigs() {
  const rigs: GatewayRig[] = [];
  const worlds: SyncWorld[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const w of worlds.splice(0)) await w.close();
    for (const r of rigs.splice(0)) await r.close();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  return {
    async sandbox(opts: Partial<SandboxOptions> = {}): Promise<GatewayRig> {
      const r = await startGatewayRig(opts);
      rigs.push(r);
      return r;
    },
    async world(r: GatewayRig, opts: WorldOptions = {}): Promise<SyncWorld> {
      const dir = await mkdtemp(join(tmpdir(), 'qab-sync-'));
      dirs.push(dir);
      const w = await openSyncWorld({
        dataDir: join(dir, 'data'),
        pki: r.pki,
        sandboxUrl: r.sandbox.url,
        log: opts.lines ? captureLogger(opts.lines) : silentLogger,
        skewMs: opts.skewMs ?? 0,
        timeoutMs: opts.timeoutMs,
      });
      worlds.push(w);
      return w;
    },
  };
}

/**
 * Exactly once, as the backend counts it and as the workstation recorded it: the backend holds one
 * registration per request (no signed manifest registered twice), every local request is
 * registered with the number the backend gave its key, its submit entry is done and accepted,
 * the per-status counts agree with the rows, and the audit chain verifies.
 */
export async function expectExactlyOnce(
  w: { store: Store },
  admin: { stats(): Promise<{ submissions: number; duplicateRegistrations: number }>; submissions(): Promise<{ registrationNumber: string; idempotencyKey: string }[]> },
  ids: string[],
  statuses: readonly string[] = ['registered', 'under_review', 'refused', 'result_ready'],
): Promise<void> {
  const stats = await admin.stats();
  expect(stats).toMatchObject({ submissions: ids.length, duplicateRegistrations: 0 });
  const byKey = new Map((await admin.submissions()).map((s) => [s.idempotencyKey, s.registrationNumber]));
  expect(byKey.size).toBe(ids.length);
  const rows = w.store.db
    .prepare(
      `SELECT r.id, r.status, r.registration_number AS number, o.idempotency_key AS key, o.state, o.outcome
       FROM requests r JOIN outbox o ON o.request_id = r.id AND o.kind = 'submit' AND o.superseded_at IS NULL`,
    )
    .all() as { id: string; status: string; number: string | null; key: string; state: string; outcome: string | null }[];
  expect(rows.length).toBe(ids.length);
  const bad = rows.filter((r) => !statuses.includes(r.status) || r.number === null || r.number !== byKey.get(r.key) || r.state !== 'done' || r.outcome !== 'accepted');
  expect(bad.slice(0, 5)).toEqual([]);
  expect(new Set(rows.map((r) => r.number)).size).toBe(ids.length);
  expect(w.store.db.prepare('SELECT status, n FROM request_status_counts WHERE n > 0 ORDER BY status').all()).toEqual(
    w.store.db.prepare('SELECT status, COUNT(*) AS n FROM requests GROUP BY status ORDER BY status').all(),
  );
  expect(w.store.audit.verify().firstBroken).toBeNull();
}

/**
 * The sync fault mix: 30 % of all calls faulted, every kind the sandbox injects, each rule drawing
 * from its own seeded PRNG. The two Retry-After kinds are 0.4 % of it (they pause every request),
 * the other nine share 29.6 %.
 */
export function faultMix30(): FaultConfig['rules'] {
  const each = 1 - Math.pow(1 - 0.296, 1 / 9);
  return [
    { endpoint: '*', kind: 'rateLimit', rate: 0.002, retryAfterSeconds: 1 },
    { endpoint: '*', kind: 'maintenance', rate: 0.002, retryAfterSeconds: 1 },
    { endpoint: '*', kind: 'error', rate: each, status: 503 },
    { endpoint: '*', kind: 'error', rate: each, status: 502, when: 'after' },
    { endpoint: '*', kind: 'latency', rate: each, ms: 40 },
    { endpoint: '*', kind: 'reset', rate: each },
    { endpoint: '*', kind: 'truncated', rate: each },
    { endpoint: '*', kind: 'malformed', rate: each },
    { endpoint: '*', kind: 'oversized', rate: each, bytes: 1100 * 1024 },
    { endpoint: '*', kind: 'duplicate', rate: each },
    { endpoint: 'submit', kind: 'reset', rate: each, when: 'before' },
  ];
}
