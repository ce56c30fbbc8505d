/**
 * A day offline on a slow line, shortened (issue 18): signed requests of several scanner-sized
 * pages (an A4 300 dpi gray JPEG is about 193 KB, docs/scanning.md) drained through a
 * bandwidth- and latency-limited proxy (test/support/slow-link.ts) to the sandbox over mutual TLS:
 *  - the line dropping every 2.5 s: every request registered exactly once, and the bytes the
 *    workstation put on the line stay within 1.1× the documents' size (only chunks in flight are
 *    ever sent twice: uploads resume where the server says they stopped, chunks shrink to what
 *    the line carries between drops);
 *  - the existing fault mix (30 % of calls faulted, every kind the sandbox injects, seeded) on the
 *    same slow line: exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { FaultConfig } from '../../../sandbox/faults.js';
import { silentLogger } from '../../../src-main/host/logger-types.js';
import { startSlowLink, type SlowLink } from '../../support/slow-link.js';
import { openSyncWorld, queueRequests, statusCounts, until, type SyncWorld } from '../../support/sync-fixture.js';
import { expectExactlyOnce, faultMix30, syncRigs } from '../../support/sync-rigs.js';

const PAGE = 193 * 1024;
const rigs = syncRigs();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function slowWorld(faults?: FaultConfig): Promise<{ rig: Awaited<ReturnType<typeof rigs.sandbox>>; link: SlowLink; w: SyncWorld }> {
  const rig = await rigs.sandbox({ verifySubmission: undefined, decisionDelayMs: 3_600_000, ...(faults ? { faults } : {}) });
  const link = await startSlowLink({ target: { host: '127.0.0.1', port: rig.sandbox.port }, rateBitsPerSecond: 8e6, rttMs: 80 });
  const dir = await mkdtemp(join(tmpdir(), 'qab-slow-'));
  const w = await openSyncWorld({ dataDir: join(dir, 'data'), pki: rig.pki, sandboxUrl: link.url, log: silentLogger, timeoutMs: 15_000 });
  cleanup.push(async () => {
    await w.close();
    await link.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { rig, link, w };
}

it('drains through a line that drops every 2.5 s: exactly once, bytes sent within 1.1× the documents', { timeout: 180_000 }, async () => {
  const { rig, link, w } = await slowWorld();
  const count = 6;
  const pages = 8;
  const ids = await queueRequests(w, { count, pages, documentBytes: PAGE, offset: 810_000 });
  const engine = w.engine({ intervalSeconds: 1, uploadChunkBytes: 1024 * 1024 });
  const stopDrops = link.dropEvery(2500);
  engine.start();
  await until(() => (statusCounts(w).registered ?? 0) === count, 150_000, () => ({ ...statusCounts(w), drops: link.drops }));
  stopDrops();
  await engine.stop();
  expect(link.drops).toBeGreaterThan(0);
  await expectExactlyOnce(w, rig.admin, ids);
  const documents = count * pages * PAGE;
  const st = await rig.admin.stats();
  console.log(`slow line with drops: ${link.drops} connections cut, bytes sent / documents = ${(link.bytesUp / documents).toFixed(3)}, delivered ${(link.bytesDelivered / documents).toFixed(3)}, chunks ${st.chunksReceived}, submitCalls ${st.submitCalls}`);
  expect(link.bytesUp / documents).toBeLessThanOrEqual(1.1);
  expect((await rig.admin.stats()).documents).toBe(count * pages);
});

it('drains exactly once on a slow line under the existing fault mix (30 % of calls, every kind)', { timeout: 240_000 }, async () => {
  // The fault mix of exactly-once.test.ts.
  const { rig, link, w } = await slowWorld({ seed: 18, rules: faultMix30() });
  const count = 6;
  const pages = 6;
  const ids = await queueRequests(w, { count, pages, documentBytes: PAGE, offset: 820_000 });
  const engine = w.engine({ intervalSeconds: 1, uploadChunkBytes: 1024 * 1024 });
  engine.start();
  await until(() => (statusCounts(w).registered ?? 0) === count, 220_000, () => statusCounts(w));
  await engine.stop();
  const stats = await rig.admin.stats();
  expect(Object.values(stats.faultsInjected).reduce((a, b) => a + b, 0)).toBeGreaterThan(count);
  await expectExactlyOnce(w, rig.admin, ids);
  expect(statusCounts(w)).toEqual({ registered: count });
  expect(link.bytesUp).toBeGreaterThan(count * pages * PAGE);
});
