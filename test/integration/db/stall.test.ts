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

// A real stall happens on every run; a run where another test file (a Chromium walk) takes both
// cores can see the main loop late without any stall in the code. Such a run is repeated, at most
// twice: every assertion below still has to hold in one whole run.
it('no operation the UI triggers stalls the event loop over 50 ms on 100,000 requests', { timeout: 120_000, retry: 2 }, async () => {
  const controlMaxBefore = await control(1000);
  const h = monitorEventLoopDelay({ resolution: 5 });
  const tick = () => new Promise<void>((r) => setImmediate(r));
  const perOp: Record<string, number[]> = {};
  const measure = async (name: string, fn: () => unknown) => {
    const t0 = performance.now();
    await fn();
    (perOp[name] ??= []).push(performance.now() - t0);
    await tick();
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  h.enable();
  for (let round = 0; round < 7; round++) {
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
  // Heavy work in the worker while the UI keeps going: how late the main loop's ticks are during
  // each run (its own histogram), three runs each.
  const lateDuring: Record<string, number[]> = {};
  const during = async (name: string, fn: () => Promise<unknown>) => {
    const own = monitorEventLoopDelay({ resolution: 5 });
    own.enable();
    // The histogram's first tick only sets its baseline: let it pass before the job starts.
    await new Promise<void>((r) => setTimeout(r, 15));
    await fn();
    // Let a tick that the job held up fire (and be counted) before the histogram stops.
    await new Promise<void>((r) => setTimeout(r, 20));
    own.disable();
    (lateDuring[name] ??= []).push(own.count ? own.max / 1e6 : 0);
  };
  // A whole request through the store's commits (the biggest UI transaction is sign-and-queue).
  // It awaits the papers worker (one PDF per slot), so its wall time is not a stall: what
  // counts is how late the main loop's ticks are while it runs.
  for (let i = 0; i < 3; i++) {
    const r = await completeDocuments(fx, createRequest(fx, 1 + i));
    await during('sign and queue', () => signAndQueue(fx.requests, signerDouble(fx.now), r.id, 'Qwerty12', fx.signing));
  }
  for (let i = 0; i < 3; i++) {
    fx.clock.t += 1000;
    await during('backup', () => fx.store.backups.backupNow('manual'));
    await during('integrity check', () => fx.store.integrity(true));
    await during('reconcile', () =>
      reconcileFiles({ db: fx.store.db, dbFile: fx.store.dbFile, files: fx.store.files, worker: fx.store.worker, audit: fx.store.audit, log: fx.signing.log, now: fx.now }),
    );
  }
  h.disable();

  const controlMax = Math.max(controlMaxBefore, await control(1000));
  const maxMs = h.max / 1e6;
  const p99 = h.percentile(99) / 1e6;
  console.log(
    `event-loop delay over ${h.count} samples: p50 ${(h.percentile(50) / 1e6).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${maxMs.toFixed(1)} ms (no database work: max ${controlMax.toFixed(1)} ms)`,
  );
  console.log(`median duration per synchronous operation (ms): ${JSON.stringify(Object.fromEntries(Object.entries(perOp).map(([k, v]) => [k, Math.round(median(v))])))}`);
  console.log(`median of the main loop's max delay during each worker job (ms): ${JSON.stringify(Object.fromEntries(Object.entries(lateDuring).map(([k, v]) => [k, Math.round(median(v))])))}`);
  expect(h.count).toBeGreaterThan(20);
  // Each synchronous database call the UI makes (that time IS the stall it causes) returns within
  // 50 ms. The median over the rounds: a call that stalls does so every time; a round where the
  // process was descheduled (two cores shared with other test files) does not count against it.
  for (const op of ['list', 'list by status', 'search local number', 'search local prefix', 'search registration', 'search applicant', 'search dates + status', 'status counts', 'queue counts', 'detail']) {
    expect(median(perOp[op]!), op).toBeLessThan(50);
  }
  // The worker's jobs (a second each here) leave the main loop free: its ticks are never 50 ms late
  // during them (the median of three runs, for the same reason as above).
  for (const [op, lates] of Object.entries(lateDuring)) expect(median(lates), op).toBeLessThan(50);
  // Over the whole run the histogram of how late each 5 ms tick fired: fewer than 1 % of ticks are
  // 50 ms late (the max is printed beside the machine's own, measured with no database work).
  expect(p99).toBeLessThan(50);
});
