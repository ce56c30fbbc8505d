/**
 * The sync engine against a misbehaving backend, over real HTTPS with mutual TLS:
 *  - the backend restarted in the middle of an upload: the upload resumes where the server's
 *    durable chunks end and completes; the request is registered once;
 *  - malformed, truncated and oversized answers are rejected with typed errors (never taken for
 *    an answer, never a crash), whatever step they hit; a backend that keeps answering
 *    unreadably is escalated to the operator without giving up the submission's key;
 *  - the workstation's clock an hour ahead or behind changes nothing: the same registrations,
 *    decisions, verified results and acknowledgements (real signatures, checked by the sandbox).
 */
import { describe, expect, it } from 'vitest';
import type { SandboxOptions } from '../../../sandbox/server.js';
import { ResultService } from '../../../src-main/requests/results.js';
import type { GatewayRig } from '../../support/gateway.js';
import { queueRequests, resultVerifier, statusCounts, until } from '../../support/sync-fixture.js';
import { syncRigs } from '../../support/sync-rigs.js';

const rigs = syncRigs();
const world = (r: GatewayRig, lines: string[] = [], skewMs = 0) => rigs.world(r, { lines, skewMs });
/** A sandbox that does not check signatures and decides nothing within a test, unless told. */
const sandbox = (opts: Partial<SandboxOptions> = {}) => rigs.sandbox({ verifySubmission: undefined, decisionDelayMs: 3_600_000, ...opts });

/** The codes the engine met, from its log (warnings carry the typed code). */
const codes = (lines: string[]) => new Set(lines.map((l) => (JSON.parse(l) as { code?: string }).code).filter(Boolean));

describe('the backend restarted mid-upload', () => {
  it('resumes the upload from the chunks the restarted backend kept, and registers once', { timeout: 60_000 }, async () => {
    const r = await sandbox({ faults: { rules: [{ endpoint: 'chunk', kind: 'latency', ms: 40 }] } });
    const w = await world(r);
    const chunks = 64;
    const [id] = await queueRequests(w, { count: 1, documentBytes: chunks * 64 * 1024 });
    const engine = w.engine();
    engine.start();
    await until(async () => (await r.admin.stats()).chunksReceived >= 16, 20_000);
    const firstLife = (await r.admin.stats()).chunksReceived;
    // Down and up again on the same port and data, without the latency.
    await r.restart({ faults: { rules: [] } });
    await until(() => statusCounts(w).registered === 1, 30_000, () => statusCounts(w));
    await engine.stop();
    const after = await r.admin.stats();
    expect(after).toMatchObject({ submissions: 1, documents: 1, duplicateRegistrations: 0 });
    // Only what the first life had not confirmed was sent again (give or take the chunks in flight).
    expect(firstLife + after.chunksReceived).toBeLessThanOrEqual(chunks + 4);
    expect(after.chunksReceived).toBeLessThan(chunks - 10);
    expect(w.store.db.prepare('SELECT chunks_confirmed, complete FROM upload_progress').get()).toEqual({ chunks_confirmed: chunks, complete: 1 });
    expect((w.store.db.prepare('SELECT status FROM requests WHERE id = ?').get(id) as { status: string }).status).toBe('registered');
  });
});

describe('bad answers', () => {
  it('rejects malformed, truncated and oversized answers with typed errors at every step, and still registers once', { timeout: 60_000 }, async () => {
    const r = await sandbox({ decisionDelayMs: 200 });
    const lines: string[] = [];
    const w = await world(r, lines);
    const ids = await queueRequests(w, { count: 3 });
    await r.admin.setFaults({
      seed: 3,
      rules: [
        { endpoint: 'uploadStart', kind: 'oversized', times: 1, bytes: 2 * 1024 * 1024 },
        { endpoint: 'chunk', kind: 'truncated', times: 1 },
        // The backend registered it, but the answer is an HTML error page: sent again, same number.
        { endpoint: 'submit', kind: 'malformed', times: 2 },
        { endpoint: 'submit', kind: 'oversized', times: 1 },
        { endpoint: 'statusBatch', kind: 'truncated', times: 1 },
      ],
    });
    const engine = w.engine();
    engine.start();
    await until(() => (statusCounts(w).result_ready ?? 0) === 3, 30_000, () => statusCounts(w));
    await engine.stop();
    expect(codes(lines)).toEqual(new Set(['GATEWAY_RESPONSE_TOO_LARGE', 'GATEWAY_BAD_RESPONSE']));
    const stats = await r.admin.stats();
    expect(stats).toMatchObject({ submissions: 3, duplicateRegistrations: 0 });
    expect(stats.duplicateDeliveries).toBeGreaterThanOrEqual(2);
    for (const id of ids) expect((await new ResultService(w.requests, () => resultVerifier(r.pki, w.now), w.now).get(id)).result?.verification).toBe('valid');
  });

  it('does not take a well-formed answer of the wrong shape for a decision', { timeout: 30_000 }, async () => {
    const r = await sandbox();
    const lines: string[] = [];
    const w = await world(r, lines);
    const [id] = await queueRequests(w, { count: 1 });
    await w.engine().runOnce();
    const number = (w.store.db.prepare('SELECT registration_number AS n FROM requests WHERE id = ?').get(id) as { n: string }).n;
    // "result_ready" without the result, then a status about another registration.
    const status = { registrationNumber: number, idempotencyKey: 'x', receivedAt: new Date().toISOString(), decidedAt: null, refusal: null, issuedAt: null, nextPollSeconds: 1 };
    await r.admin.setFaults({
      rules: [
        { endpoint: 'statusBatch', kind: 'malformed', times: 1, body: JSON.stringify({ items: [{ ...status, status: 'result_ready', result: null }], unknown: [] }) },
        { endpoint: 'statusBatch', kind: 'malformed', times: 1, body: JSON.stringify({ items: [{ ...status, registrationNumber: 'KZ26SBX99999999', status: 'refused', refusal: { reasons: [{ code: 'X', text: { kk: 'x', ru: 'x', en: 'x' } }] }, result: null }], unknown: [] }) },
      ],
    });
    await w.engine().runOnce();
    await w.engine().runOnce();
    expect((w.store.db.prepare('SELECT status FROM requests WHERE id = ?').get(id) as { status: string }).status).toBe('registered');
    expect(w.store.db.prepare('SELECT COUNT(*) AS n FROM decisions').get()).toEqual({ n: 0 });
    expect(lines.filter((l) => l.includes('"code":"GATEWAY_BAD_RESPONSE"') && l.includes('status poll failed'))).toHaveLength(2);
  });

  it('asks the operator after repeated unreadable answers, keeping the key; sent again it registers once', { timeout: 60_000 }, async () => {
    const r = await sandbox();
    const w = await world(r);
    const [id] = await queueRequests(w, { count: 1 });
    await r.admin.setFaults({ rules: [{ endpoint: 'submit', kind: 'malformed' }] });
    const engine = w.engine({ maxBackoffSeconds: 0.1 });
    engine.start();
    await until(() => statusCounts(w).needs_attention === 1, 30_000, () => statusCounts(w));
    await engine.stop();
    const row = () => w.store.db.prepare('SELECT status, last_error FROM requests WHERE id = ?').get(id) as { status: string; last_error: string };
    expect(row()).toEqual({ status: 'needs_attention', last_error: 'SYNC_REPEATED_BAD_RESPONSE' });
    // The backend may hold it (it did register it): no re-opening, only sending again with the same key.
    expect(() => w.requests.reopen({ id: w.operatorId }, id!)).toThrow(expect.objectContaining({ code: 'REQUEST_OUTCOME_UNKNOWN' }));
    await r.admin.clearFaults();
    w.requests.requeue({ id: w.operatorId }, id!);
    await w.engine().runOnce();
    expect(row()).toEqual({ status: 'registered', last_error: null });
    expect(await r.admin.stats()).toMatchObject({ submissions: 1, duplicateRegistrations: 0 });
  });
});

describe('clock skew', () => {
  it('an hour ahead or behind changes nothing: registrations, decisions, verified results, acknowledgements', { timeout: 120_000 }, async () => {
    const r = await rigs.sandbox({ decisionDelayMs: 300 });
    const outcomes: unknown[] = [];
    for (const skewMs of [0, 3_600_000, -3_600_000]) {
      const w = await world(r, [], skewMs);
      // Signed for real by the test operator's key, the signing time by the skewed clock; the
      // sandbox checks each signature with openssl. One applicant is refused, one approved.
      const ids = await queueRequests(w, {
        count: 2,
        signWith: { file: r.pki.operatorRsa, password: 'Qwerty12' },
        applicant: (i) => ({ iin: i === 0 ? '900702400457' : '010203500018', verified: true }),
      });
      const engine = w.engine();
      engine.start();
      await until(() => (statusCounts(w).result_ready ?? 0) + (statusCounts(w).refused ?? 0) === 2, 30_000, () => statusCounts(w));
      for (const id of ids) w.requests.issue({ id: w.operatorId }, id, 'applicant');
      engine.kick();
      await until(() => (w.store.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE kind = 'issuance_ack' AND state = 'done'`).get() as { n: number }).n === 2, 30_000);
      await engine.stop();
      const results = new ResultService(w.requests, () => resultVerifier(r.pki, w.now), w.now);
      const views = await Promise.all(ids.map((id) => results.get(id)));
      outcomes.push({
        statuses: statusCounts(w),
        registered: views.map((v) => /^KZ\d{2}SBX\d{8}$/.test(v.registrationNumber ?? '')),
        results: views.map((v) => v.result?.verification ?? null),
        refusal: views.map((v) => v.refusal?.reasons.map((x) => x.code) ?? null),
        pdfShown: views.map((v) => v.pdf !== null),
        attempts: w.store.db.prepare(`SELECT kind, attempts, outcome FROM outbox ORDER BY kind, created_at`).all(),
      });
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[2]).toEqual(outcomes[0]);
    expect(outcomes[0]).toMatchObject({ statuses: { issued: 2 }, results: ['valid', null], refusal: [null, ['QUALIFICATION']], pdfShown: [true, false] });
    expect(await r.admin.stats()).toMatchObject({ submissions: 6, duplicateRegistrations: 0, issued: 6 });
  });
});
