/**
 * The sync engine against the sandbox over HTTPS with mutual TLS, a real SQLite store and the test
 * PKI: requests signed with the test operator's key, checked by the sandbox with openssl (the
 * signature path end to end), registered, decided, the result verified with the provider's root
 * before it is shown, and the issue acknowledged; offline P3 and P4; workstation-scoped errors
 * that stop the round without blaming a request; Retry-After; the concurrency bound; a result that
 * does not verify; what is uploaded (exactly the signed manifest's documents).
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { QueueStatus } from '../../../src-main/contract/model.js';
import { GatewayClient } from '../../../src-main/gateway/gateway-client.js';
import { ResultService } from '../../../src-main/requests/results.js';
import type { GatewayRig } from '../../support/gateway.js';
import type { SandboxOptions } from '../../../sandbox/server.js';
import { queueRequests, resultVerifier, statusCounts, until, type SyncWorld } from '../../support/sync-fixture.js';
import { syncRigs } from '../../support/sync-rigs.js';

const rigs = syncRigs();

/**
 * For a round whose test looks at requests just registered: the engine asks for a decision one
 * interval after registration, so with rounds an hour apart that is never due within the round,
 * however long a busy machine makes the round take (with the fixture's 1 s it could be, and the
 * sandbox's decision could already be there).
 */
const NO_POLL = { intervalSeconds: 3600 } as const;

/** The sandbox; it checks signatures with openssl only for the test that signs for real (`verify`). */
async function setUp(sandbox: Partial<SandboxOptions> = {}, verify = false): Promise<{ rig: GatewayRig; w: SyncWorld; lines: string[] }> {
  const rig = await rigs.sandbox(verify ? sandbox : { verifySubmission: undefined, ...sandbox });
  const lines: string[] = [];
  // With `verify` the sandbox runs openssl on each submission: on a loaded machine that can outlast
  // the client's 5 s deadline, and a submission that timed out is (rightly) left `sent` for the
  // next round, which the test's one-round assertions do not allow for.
  return { rig, w: await rigs.world(rig, { lines, timeoutMs: verify ? 30_000 : undefined }), lines };
}

const row = (w: SyncWorld, id: string) =>
  w.store.db.prepare('SELECT status, last_error, registration_number, attention_code FROM requests WHERE id = ?').get(id) as {
    status: string;
    last_error: string | null;
    registration_number: string | null;
    attention_code: string | null;
  };
const entry = (w: SyncWorld, id: string) =>
  w.store.db.prepare(`SELECT state, attempts, submitted_at, outcome, last_error FROM outbox WHERE request_id = ? AND kind = 'submit'`).get(id) as {
    state: string;
    attempts: number;
    submitted_at: string | null;
    outcome: string | null;
    last_error: string | null;
  };

describe('the sync engine', () => {
  it('sends signed requests (signatures checked by the sandbox), records decisions, verifies results before showing them, acknowledges issue', { timeout: 60_000 }, async () => {
    const { rig, w } = await setUp({ decisionDelayMs: 600 }, true);
    const shared = randomBytes(150 * 1024);
    const ids = await queueRequests(w, {
      count: 4,
      shared,
      documentBytes: 200 * 1024,
      signWith: { file: rig.pki.operatorRsa, password: 'Qwerty12' },
      // The sandbox refuses applicant 010203500018 (its seeded refusal rule).
      applicant: (i) => ({ iin: i === 3 ? '010203500018' : ['900702400457', '950512400017', '880229400013'][i]!, verified: true }),
    });
    const queueEvents: QueueStatus[] = [];
    const changed: string[] = [];
    w.requests.onChange((r) => changed.push(`${r.id}:${r.status}`));
    const engine = w.engine(NO_POLL, (s) => queueEvents.push(s));

    await engine.runOnce();
    for (const id of ids) {
      expect(row(w, id).status).toBe('registered');
      expect(row(w, id).registration_number).toMatch(/^KZ\d{2}SBX\d{8}$/);
      expect(entry(w, id)).toMatchObject({ state: 'done', outcome: 'accepted' });
      expect(entry(w, id).submitted_at).not.toBeNull();
    }
    const stats = await rig.admin.stats();
    // Four own documents and the shared one, uploaded once.
    expect(stats).toMatchObject({ submissions: 4, documents: 5, duplicateRegistrations: 0 });
    expect(queueEvents.at(-1)).toMatchObject({ online: true, problem: null, counts: { queued: 0, sent: 0, registered: 4, needsAttention: 0 } });
    for (const id of ids) expect(changed).toEqual(expect.arrayContaining([`${id}:sent`, `${id}:registered`]));

    // Decisions: three approved (permits signed by the provider), one refused with reasons.
    const poller = w.engine();
    poller.start();
    await until(() => ids.every((id) => ['result_ready', 'refused'].includes(row(w, id).status)), 30_000, () => ids.map((id) => row(w, id)));
    await poller.stop();
    const results = new ResultService(w.requests, () => resultVerifier(rig.pki, w.now), w.now);
    const approved = await results.get(ids[0]!);
    expect(approved).toMatchObject({ status: 'result_ready', refusal: null, result: { verification: 'valid', verificationCode: null } });
    expect(approved.result!.signerCn).toBeTruthy();
    expect(Buffer.from(approved.pdf!.dataBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const refused = await results.get(ids[3]!);
    expect(refused).toMatchObject({ status: 'refused', result: null, pdf: null });
    const reason = refused.refusal!.reasons[0]!;
    expect(reason.code).toBeTruthy();
    for (const lang of ['kk', 'ru', 'en'] as const) expect(reason.text[lang].length).toBeGreaterThan(5);
    expect(w.store.db.prepare(`SELECT COUNT(*) AS n FROM results WHERE verification = 'valid'`).get()).toEqual({ n: 3 });

    // P9: the result and the refusal are handed over; the acknowledgements go out once each.
    const actor = { id: w.operatorId };
    w.requests.issue(actor, ids[0]!, 'applicant');
    w.requests.issue(actor, ids[3]!, 'applicant');
    const e2 = w.engine();
    await e2.runOnce();
    await e2.runOnce();
    expect((await rig.admin.stats()).issued).toBe(2);
    expect(w.store.db.prepare(`SELECT state, outcome FROM outbox WHERE kind = 'issuance_ack'`).all()).toEqual([
      { state: 'done', outcome: 'accepted' },
      { state: 'done', outcome: 'accepted' },
    ]);
    expect((await rig.admin.stats()).submissions).toBe(4);
  });

  it('offline P3: an applicant entered by hand is looked up before sending; P4 ends in needs attention with nothing sent', { timeout: 30_000 }, async () => {
    const { rig, w } = await setUp();
    const [known, absent] = await queueRequests(w, {
      count: 2,
      applicant: (i) => (i === 0 ? { iin: '781201300016', name: 'Сәрсенбаев Нұрлан', verified: false } : { iin: '930815400010', name: 'Белгісіз Адам', verified: false }),
    });
    await w.engine(NO_POLL).runOnce();
    expect(row(w, known!)).toMatchObject({ status: 'registered' });
    expect(w.applicants.get('iin', '781201300016')).toMatchObject({ verified: true, name: 'Сәрсенбаев Нұрлан Жанұлы' });
    expect(row(w, absent!)).toMatchObject({ status: 'needs_attention', last_error: 'APPLICANT_NOT_FOUND' });
    // Never sent (the operator may re-open and cancel it), never dropped.
    expect(entry(w, absent!)).toMatchObject({ state: 'failed', submitted_at: null, outcome: null });
    expect(await rig.admin.stats()).toMatchObject({ submissions: 1, documents: 1 });
  });

  it('stops the round on a workstation-scoped error without blaming or touching a request', { timeout: 30_000 }, async () => {
    const { rig, w } = await setUp();
    const ids = await queueRequests(w, { count: 3 });
    // No client certificate: the gateway refuses the workstation at the probe.
    const noCert = new GatewayClient({ baseUrl: rig.sandbox.url, tls: { ca: (await import('node:fs')).readFileSync(rig.pki.tls.ca, 'utf8') }, timeoutMs: 3000, workstationId: 'W01' });
    const events: QueueStatus[] = [];
    const { SyncEngine } = await import('../../../src-main/sync/sync-engine.js');
    const blocked = new SyncEngine(w.requests, w.applicants, noCert, w.log, { intervalSeconds: 1, workstationId: 'W01', centreBin: '040340001233', now: w.now }, (s) => events.push(s));
    await blocked.runOnce();
    noCert.close();
    expect(events.at(-1)).toMatchObject({ online: false, problem: 'GATEWAY_CLIENT_CERT_REFUSED', counts: { queued: 3, needsAttention: 0 } });
    for (const id of ids) expect(entry(w, id)).toMatchObject({ state: 'pending', attempts: 0, submitted_at: null });

    // A certificate of this Centre submitting for another Centre: refused at the first submission,
    // and the round stops there (one call), leaving every request in the queue.
    const other = w.engine({ centreBin: '150240012347', concurrency: 1 }, (s) => events.push(s));
    await other.runOnce();
    expect(events.at(-1)).toMatchObject({ online: true, problem: 'GATEWAY_WORKSTATION_NOT_AUTHORISED', counts: { needsAttention: 0 } });
    expect((await rig.admin.stats()).submitCalls).toBe(1);
    expect(statusCounts(w)).toEqual({ queued: 2, sent: 1 });
    for (const id of ids) expect(entry(w, id)).toMatchObject({ state: 'pending', attempts: 0 });

    // Fixed (the right Centre): everything goes, and the problem is gone.
    await w.engine(NO_POLL, (s) => events.push(s)).runOnce();
    expect(events.at(-1)).toMatchObject({ problem: null, counts: { registered: 3 } });
    expect((await rig.admin.stats()).submissions).toBe(3);
  });

  it("honours Retry-After: nothing is sent during the backend's maintenance window", { timeout: 30_000 }, async () => {
    const { rig, w } = await setUp();
    const ids = await queueRequests(w, { count: 2 });
    await rig.admin.maintenance(2);
    const t0 = Date.now();
    const engine = w.engine();
    engine.start();
    await new Promise((r) => setTimeout(r, 1200));
    expect((await rig.admin.stats()).submitCalls).toBe(0);
    expect(statusCounts(w)).toEqual({ queued: 2 });
    await until(() => ids.every((id) => row(w, id).status === 'registered'), 15_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    await engine.stop();

    // 429 on a submission: that request waits at least what the server asked.
    const [late] = await queueRequests(w, { count: 1, offset: 600_000 });
    await rig.admin.setFaults({ rules: [{ endpoint: 'submit', kind: 'rateLimit', retryAfterSeconds: 3, times: 1 }] });
    const before = Date.now();
    await w.engine().runOnce();
    const next = w.store.db.prepare(`SELECT next_attempt_at, last_error FROM outbox WHERE request_id = ?`).get(late) as { next_attempt_at: string; last_error: string };
    expect(next.last_error).toBe('GATEWAY_RATE_LIMITED');
    expect(Date.parse(next.next_attempt_at) - before).toBeGreaterThanOrEqual(2900);
  });

  it('keeps at most `concurrency` requests in flight', { timeout: 30_000 }, async () => {
    const { rig, w } = await setUp();
    await queueRequests(w, { count: 8 });
    await rig.admin.setFaults({ rules: [{ endpoint: 'submit', kind: 'latency', ms: 150 }] });
    const client = w.client;
    let inFlight = 0;
    let most = 0;
    const submit = client.submit.bind(client);
    client.submit = async (s) => {
      most = Math.max(most, ++inFlight);
      try {
        return await submit(s);
      } finally {
        inFlight--;
      }
    };
    await w.engine({ ...NO_POLL, concurrency: 3 }).runOnce();
    expect(statusCounts(w)).toEqual({ registered: 8 });
    expect(most).toBe(3);
  });

  it('never shows a result whose provider signature does not verify; shows it once it does', { timeout: 30_000 }, async () => {
    const { rig, w } = await setUp({ decisionDelayMs: 300 });
    const [id] = await queueRequests(w, { count: 1 });
    // Results judged against the wrong roots (the operators' CA, not the providers').
    const wrong = resultVerifier(rig.pki, w.now, rig.pki.trustRoots);
    const engine = w.engine({ verifyResult: wrong });
    engine.start();
    await until(() => row(w, id!).status === 'needs_attention', 15_000, () => row(w, id!));
    await engine.stop();
    expect(row(w, id!)).toMatchObject({ status: 'needs_attention', last_error: 'SYNC_RESULT_SIGNATURE_INVALID' });
    expect(w.store.db.prepare('SELECT verification, verification_code FROM results WHERE request_id = ?').all(id)).toEqual([
      { verification: 'invalid', verification_code: 'SIGN_VERIFY_UNTRUSTED' },
    ]);
    const shown = await new ResultService(w.requests, () => wrong, w.now).get(id!);
    expect(shown).toMatchObject({ status: 'needs_attention', result: { verification: 'invalid' }, pdf: null });
    // Nothing to issue: the request is not result_ready.
    expect(() => w.requests.issue({ id: w.operatorId }, id!, 'applicant')).toThrow(expect.objectContaining({ code: 'REQUEST_STATE' }));

    // The administrator fixes the providers' roots (a restart): the result is checked again.
    await w.engine().runOnce();
    expect(row(w, id!)).toMatchObject({ status: 'result_ready', last_error: null });
    const fixed = await new ResultService(w.requests, () => resultVerifier(rig.pki, w.now), w.now).get(id!);
    expect(fixed).toMatchObject({ result: { verification: 'valid' } });
    expect(fixed.pdf?.size).toBeGreaterThan(1000);
  });

  it("uploads exactly the documents the signed manifest lists, read by hash; a missing one stops that request before it is sent", { timeout: 30_000 }, async () => {
    const { rig, w } = await setUp();
    const [a, b] = await queueRequests(w, { count: 2 });
    // A page added behind the manifest's back is not sent: only what was signed.
    const extra = randomBytes(5000);
    const stored = await w.store.files.put(extra);
    w.store.db
      .prepare(`INSERT INTO pages (id, request_id, slot_id, position, sha256, size, media_type, rotation, source, created_at) VALUES ('extra', ?, 'application', 2, ?, ?, 'image/jpeg', 0, 'import', ?)`)
      .run(a, stored.sha256, stored.size, w.now().toISOString());
    // Request b's document file is gone from the content store.
    const bDoc = (w.store.db.prepare(`SELECT sha256 FROM pages WHERE request_id = ?`).get(b) as { sha256: string }).sha256;
    unlinkSync(w.store.files.pathOf(bDoc));
    await w.engine(NO_POLL).runOnce();
    expect(row(w, a!).status).toBe('registered');
    expect(row(w, b!)).toMatchObject({ status: 'needs_attention', last_error: 'STORAGE_FILE_MISSING' });
    expect(entry(w, b!)).toMatchObject({ submitted_at: null });
    expect(await rig.admin.stats()).toMatchObject({ submissions: 1, documents: 1, submitCalls: 1 });
  });
});
