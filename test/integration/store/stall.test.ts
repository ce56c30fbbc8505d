/**
 * "Database work must never freeze the UI": over a store of 100,000 requests, the operations the
 * UI triggers (list, filter, search, detail, counts, create, sign-and-queue, and the background
 * backup, integrity check and reconciliation, which run in the store's worker thread) must not
 * delay the main event loop by more than 50 ms. Measured with perf_hooks' event-loop delay
 * histogram while they run, not with wall time.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reconcileFiles } from '../../../src-main/files/reconcile.js';
import { signAndQueue } from '../../../src-main/requests/signing.js';
import { bulkFill, type BulkInfo } from '../../support/bulk.js';
import { signerDouble } from '../../support/signer-double.js';
import { completeDocuments, createRequest, openFixture, type StoreFixture } from '../../support/store-fixture.js';

let fx: StoreFixture;
let info: BulkInfo;
beforeAll(async () => {
  fx = await openFixture();
  info = bulkFill(fx.store.db, 100_000, fx.actor.id);
}, 120_000);
afterAll(async () => {
  await fx.close();
});

/** The event-loop delay with no database work at all, for the same time: what the machine itself adds. */
async function control(ms: number): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const end = Date.now() + ms;
  while (Date.now() < end) await new Promise<void>((r) => setTimeout(r, 1));
  h.disable();
  return h.max / 1e6;
}

it('no operation the UI triggers stalls the event loop over 50 ms on 100,000 requests', { timeout: 120_000 }, async () => {
  const controlMaxBefore = await control(1000);
  const h = monitorEventLoopDelay({ resolution: 5 });
  const tick = () => new Promise<void>((r) => setImmediate(r));
  const perOp: Record<string, number> = {};
  const measure = async (name: string, fn: () => unknown) => {
    const t0 = performance.now();
    await fn();
    perOp[name] = Math.max(perOp[name] ?? 0, performance.now() - t0);
    await tick();
  };
  h.enable();
  for (let round = 0; round < 5; round++) {
    const s = info.samples[round % info.samples.length]!;
    await measure('list', () => fx.requests.list(null, 50));
    await measure('list by status', () => fx.requests.list('queued', 50));
    await measure('search local number', () => fx.requests.search({ localNumber: s.localNumber }));
    await measure('search local prefix', () => fx.requests.search({ localNumber: 'ALM-01-W09-2026-0001' }));
    await measure('search registration', () => fx.requests.search({ registrationNumber: s.registrationNumber }));
    await measure('search applicant', () => fx.requests.search({ applicant: { kind: 'iin', number: s.iin } }));
    await measure('search dates + status', () => fx.requests.search({ status: 'registered', createdFrom: '2026-03-01T00:00:00.000Z', createdTo: '2026-04-01T00:00:00.000Z' }));
    await measure('status counts', () => fx.requests.statusCounts());
    await measure('queue counts', () =>
      ['signed,queued', 'sent', 'registered,under_review', 'needs_attention'].map((g) => {
        const list = g.split(',');
        return fx.store.db.prepare(`SELECT COUNT(*) AS n FROM requests WHERE status IN (${list.map(() => '?').join(',')})`).get(...list);
      }),
    );
    await measure('detail', () => fx.requests.detail(s.id));
  }
  // A whole request through the store's commits (the biggest UI transaction is sign-and-queue).
  const r = await completeDocuments(fx, createRequest(fx, 1));
  await measure('sign and queue', () => signAndQueue(fx.requests, signerDouble(fx.now), r.id, 'Qwerty12', fx.signing));
  // Heavy work in the worker while the UI keeps going.
  await measure('backup', () => fx.store.backups.backupNow('manual'));
  await measure('integrity check', () => fx.store.integrity(true));
  await measure('reconcile', () => reconcileFiles({ db: fx.store.db, dbFile: fx.store.dbFile, files: fx.store.files, worker: fx.store.worker, audit: fx.store.audit, log: fx.signing.log, now: fx.now }));
  h.disable();

  const controlMax = Math.max(controlMaxBefore, await control(1000));
  const maxMs = h.max / 1e6;
  const p99 = h.percentile(99) / 1e6;
  console.log(
    `event-loop delay over ${h.count} samples: p50 ${(h.percentile(50) / 1e6).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${maxMs.toFixed(1)} ms (no database work: max ${controlMax.toFixed(1)} ms)`,
  );
  console.log(`duration per operation (ms; the async ones run in the worker): ${JSON.stringify(Object.fromEntries(Object.entries(perOp).map(([k, v]) => [k, Math.round(v)])))}`);
  expect(h.count).toBeGreaterThan(20);
  // Every synchronous database call the UI makes returns within 50 ms (that time IS the stall).
  for (const op of ['list', 'list by status', 'search local number', 'search local prefix', 'search registration', 'search applicant', 'search dates + status', 'status counts', 'queue counts', 'detail']) {
    expect(perOp[op], op).toBeLessThan(50);
  }
  // The histogram counts how late each 5 ms timer tick fired. No tick is 50 ms late, unless the
  // machine alone (the same wait with no database work, other test files on the 2 cores) is too.
  expect(p99).toBeLessThan(50);
  if (controlMax < 50) expect(maxMs).toBeLessThan(50);
  else expect(maxMs).toBeLessThan(controlMax * 1.5);
});
