/**
 * The operator's operations on a real store: pages (delete, reorder, rotate) and the
 * representative before signing, immutability after, cancellation, re-opening after
 * needs_attention with the exactly-once rule, issuance, and search.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestDetail } from '../../../src-main/contract/model.js';
import { AppError } from '../../../src-main/contract/errors.js';
import { OutboxStore } from '../../../src-main/db/repos/outbox.js';
import { GatewayError, isDefinitiveRefusal } from '../../../src-main/gateway/gateway-client.js';
import { recordDecision, recordReceipt, recordResult, recordUnderReview } from '../../../src-main/requests/outcomes.js';
import { signAndQueue } from '../../../src-main/requests/signing.js';
import { signerDouble } from '../../support/signer-double.js';
import { completeDocuments, createRequest, JPEG, makeIin, openFixture, page, signedRequest, type StoreFixture } from '../../support/store-fixture.js';

let fx: StoreFixture;
beforeEach(async () => {
  fx = await openFixture();
});
afterEach(async () => {
  await fx.close();
});

const REP = { iin: '900702400457', name: 'Жұмабаева Әсел Қайратқызы', powerOfAttorney: { number: '№ 0451', date: '2026-10-01', notary: 'Сейітова Г.' } };
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return 'no error';
};

async function needsAttention(fx: StoreFixture, how: 'never-sent' | 'rejected' | 'unknown'): Promise<RequestDetail> {
  const r = await signedRequest(fx);
  const outbox = new OutboxStore(fx.store.db, fx.now);
  const entry = fx.requests.currentSubmission(r.id)!;
  if (how !== 'never-sent') outbox.markSubmitting(entry.id);
  fx.store.db.transaction(() => {
    fx.requests.setStatus(r.id, 'queued', 'needs_attention', 'sync', how === 'unknown' ? 'GATEWAY_RESPONSE_TOO_LARGE' : 'GATEWAY_REJECTED');
    outbox.markFailed(entry.id, 'X', how === 'rejected');
  })();
  return fx.requests.detail(r.id);
}

describe('pages before signing', () => {
  it('deletes, reorders and rotates pages, keeping positions dense and completeness right', async () => {
    let r = await completeDocuments(fx, createRequest(fx));
    expect(r.status).toBe('documents_complete');
    const other = Buffer.concat([JPEG, Buffer.from('second scan')]);
    const third = Buffer.concat([JPEG, Buffer.from('third scan')]);
    await fx.requests.addPage(fx.actor, r.id, 'identity', page(other));
    r = await fx.requests.addPage(fx.actor, r.id, 'identity', page(third));
    const ids = () => fx.requests.detail(r.id).slots.find((s) => s.slotId === 'identity')!.pages.map((p) => [p.id, p.position]);
    const [a, b, c] = ids().map(([id]) => id as string);

    r = fx.requests.reorderPages(fx.actor, r.id, 'identity', [c!, a!, b!]);
    expect(ids()).toEqual([
      [c, 1],
      [a, 2],
      [b, 3],
    ]);
    expect(code(() => fx.requests.reorderPages(fx.actor, r.id, 'identity', [c!, a!]))).toBe('REQUEST_PAGE_ORDER');
    expect(code(() => fx.requests.reorderPages(fx.actor, r.id, 'identity', [c!, a!, a!]))).toBe('REQUEST_PAGE_ORDER');

    r = fx.requests.rotatePage(fx.actor, r.id, a!, 90);
    expect(r.slots.find((s) => s.slotId === 'identity')!.pages.find((p) => p.id === a)!.rotation).toBe(90);

    r = fx.requests.deletePage(fx.actor, r.id, c!);
    expect(ids()).toEqual([
      [a, 1],
      [b, 2],
    ]);
    expect(code(() => fx.requests.deletePage(fx.actor, r.id, c!))).toBe('REQUEST_UNKNOWN_PAGE');
    // The deleted page's file waits for retention (no other row uses it).
    expect(fx.store.db.prepare('SELECT COUNT(*) AS n FROM file_gc').get()).toEqual({ n: 1 });

    // Deleting the only page of a required document makes the request incomplete again.
    const app = r.slots.find((s) => s.slotId === 'application')!.pages[0]!;
    r = fx.requests.deletePage(fx.actor, r.id, app.id);
    expect(r.status).toBe('applicant_unverified');
    const actions = fx.requests.audit.entries(r.id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['pages.reordered', 'pages.rotated', 'pages.deleted']));
  });
});

describe('representative and power of attorney', () => {
  it('is stored, validated, and signed as part of the manifest', async () => {
    const r = createRequest(fx);
    expect(code(() => fx.requests.setRepresentative(fx.actor, r.id, { ...REP, iin: '900702400458' }))).toBe('IDN_CHECKSUM');
    expect(code(() => fx.requests.setRepresentative(fx.actor, r.id, { ...REP, iin: '991231600012' }))).toBe('IIN_DATE_FUTURE');
    expect(code(() => fx.requests.setRepresentative(fx.actor, r.id, { ...REP, powerOfAttorney: { ...REP.powerOfAttorney, date: '2027-01-01' } }))).toBe(
      'REQUEST_REPRESENTATIVE_INVALID',
    );
    expect(code(() => fx.requests.setRepresentative(fx.actor, r.id, { ...REP, iin: makeIin(1) }))).toBe('REQUEST_REPRESENTATIVE_INVALID');
    expect(fx.requests.setRepresentative(fx.actor, r.id, REP).representative).toEqual({ ...REP, verified: false, exception: null });
    await completeDocuments(fx, r);
    const signer = signerDouble(fx.now);
    // Not confirmed in БНАЖ and no exception recorded: signing is refused, and says why.
    await expect(signAndQueue(fx.requests, signer, r.id, 'Qwerty12', fx.signing)).rejects.toMatchObject({ code: 'REPRESENTATIVE_NOT_CONFIRMED' });
    expect(signer.signed).toHaveLength(0);
    fx.requests.markRepresentativeVerified(fx.actor, r.id, { notary: 'Сейітова Г.' });
    await signAndQueue(fx.requests, signer, r.id, 'Qwerty12', fx.signing);
    const manifest = JSON.parse(signer.signed[0]!.toString('utf8')) as { representative: unknown };
    expect(manifest.representative).toEqual({ iin: REP.iin, name: REP.name, powerOfAttorney: { number: '№ 0451', date: '2026-10-01', notary: 'Сейітова Г.' } });
    // The representative's IIN is in the audit trail's personal part only.
    const e = fx.requests.audit.entries(r.id).find((x) => x.action === 'request.representative')!;
    expect(JSON.stringify(e.data)).not.toContain(REP.iin);
    expect(e.personal).toEqual({ representative: REP.iin, powerOfAttorney: '№ 0451' });
  });
});

describe('a power of attorney certified otherwise than by a notary (not in БНАЖ)', () => {
  it('is signed only with the exception recorded and its paper original scanned', async () => {
    const r = createRequest(fx);
    fx.requests.setRepresentative(fx.actor, r.id, { ...REP, powerOfAttorney: { ...REP.powerOfAttorney, notary: null } });
    await completeDocuments(fx, r);
    const signer = signerDouble(fx.now);
    const sign = () => signAndQueue(fx.requests, signer, r.id, 'Qwerty12', fx.signing);
    await expect(sign()).rejects.toMatchObject({ code: 'REPRESENTATIVE_NOT_CONFIRMED' });
    expect(fx.requests.setRepresentativeException(fx.actor, r.id, 'certified_otherwise').representative).toMatchObject({ verified: false, exception: 'certified_otherwise' });
    // The exception needs the paper: presented as the original, scanned.
    await expect(sign()).rejects.toMatchObject({ code: 'REPRESENTATIVE_POA_PAPER_MISSING' });
    fx.requests.setDocument(fx.actor, r.id, 'power-of-attorney', true, false);
    await fx.requests.addPage(fx.actor, r.id, 'power-of-attorney', page());
    await expect(sign()).rejects.toMatchObject({ code: 'REPRESENTATIVE_POA_PAPER_MISSING' }); // a copy is not enough
    fx.requests.setDocument(fx.actor, r.id, 'power-of-attorney', true, true);
    const signed = await sign();
    expect(signed.status).toBe('queued');
    const manifest = JSON.parse(signer.signed[0]!.toString('utf8')) as { form: { counter: { powerOfAttorney: string } } };
    expect(manifest.form.counter.powerOfAttorney).toBe('certified_otherwise');
    expect(fx.requests.audit.entries(r.id).map((e) => e.action)).toContain('request.representative.exception');
  });

  it('is withdrawn when the representative changes', () => {
    const r = createRequest(fx);
    fx.requests.setRepresentative(fx.actor, r.id, REP);
    fx.requests.setRepresentativeException(fx.actor, r.id, 'certified_otherwise');
    expect(fx.requests.setRepresentative(fx.actor, r.id, { ...REP, name: 'Жұмабаева Ә. Қ.' }).representative?.exception).toBeNull();
  });
});

describe('a signed request is immutable', () => {
  it('refuses every change after signing with REQUEST_STATE', async () => {
    const r = await signedRequest(fx);
    const p = r.slots[0]!.pages[0]!;
    for (const change of [
      () => fx.requests.setDocument(fx.actor, r.id, 'application', false, false),
      () => fx.requests.deletePage(fx.actor, r.id, p.id),
      () => fx.requests.rotatePage(fx.actor, r.id, p.id, 180),
      () => fx.requests.reorderPages(fx.actor, r.id, 'application', [p.id]),
      () => fx.requests.setRepresentative(fx.actor, r.id, REP),
      () => fx.requests.cancel(fx.actor, r.id),
    ]) {
      expect(code(change)).toBe('REQUEST_STATE');
    }
    await expect(fx.requests.addPage(fx.actor, r.id, 'application', page())).rejects.toMatchObject({ code: 'REQUEST_STATE' });
  });
});

describe('cancellation', () => {
  it('is allowed before signing only, and recorded', () => {
    const r = createRequest(fx);
    expect(fx.requests.cancel(fx.actor, r.id).status).toBe('cancelled');
    expect(code(() => fx.requests.cancel(fx.actor, r.id))).toBe('REQUEST_STATE');
  });
});

describe('re-opening after needs_attention (exactly once)', () => {
  it('a submission never sent: re-open, re-sign with a NEW key, the old signature and entry kept and superseded', async () => {
    const r = await needsAttention(fx, 'never-sent');
    const oldKey = fx.requests.currentSubmission(r.id)!.idempotency_key;
    let d = fx.requests.reopen(fx.actor, r.id);
    expect(d.status).toBe('documents_complete');
    expect(d.signature).toBeNull();
    // Editable again: the operator fixes it (a better scan), then signs anew.
    const p = d.slots.find((s) => s.slotId === 'identity')!.pages[0]!;
    fx.requests.deletePage(fx.actor, r.id, p.id);
    await fx.requests.addPage(fx.actor, r.id, 'identity', page(Buffer.concat([JPEG, Buffer.from('rescan')])));
    d = await signAndQueue(fx.requests, signerDouble(fx.now), r.id, 'Qwerty12', fx.signing);
    expect(d.status).toBe('queued');
    const sigs = fx.store.db.prepare('SELECT superseded_at, superseded_reason FROM signatures WHERE request_id = ? ORDER BY signed_at, rowid').all(r.id) as {
      superseded_at: string | null;
      superseded_reason: string | null;
    }[];
    expect(sigs).toHaveLength(2);
    expect(sigs[0]!.superseded_reason).toBe('reopened');
    expect(sigs[1]!.superseded_at).toBeNull();
    const entries = fx.store.db.prepare(`SELECT idempotency_key, superseded_at FROM outbox WHERE request_id = ? ORDER BY created_at, rowid`).all(r.id) as {
      idempotency_key: string;
      superseded_at: string | null;
    }[];
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ idempotency_key: oldKey });
    expect(entries[0]!.superseded_at).not.toBeNull();
    expect(entries[1]!.idempotency_key).not.toBe(oldKey);
    expect(new OutboxStore(fx.store.db, fx.now).due().map((e) => e.idempotency_key)).toEqual([entries[1]!.idempotency_key]);
    expect(d.history.map((h) => h.status).slice(-5)).toEqual(['needs_attention', 'documents_complete', 'applicant_unverified', 'documents_complete', 'signed', 'queued'].slice(-5));
  });

  it('a submission the backend refused: may be re-opened and then cancelled (P4 found after signing)', async () => {
    const r = await needsAttention(fx, 'rejected');
    expect(fx.requests.reopen(fx.actor, r.id).status).toBe('documents_complete');
    expect(fx.requests.cancel(fx.actor, r.id).status).toBe('cancelled');
  });

  it('a submission sent with no answer: re-opening is refused; it is sent again with the SAME key', async () => {
    const r = await needsAttention(fx, 'unknown');
    const key = fx.requests.currentSubmission(r.id)!.idempotency_key;
    expect(code(() => fx.requests.reopen(fx.actor, r.id))).toBe('REQUEST_OUTCOME_UNKNOWN');
    expect(fx.requests.detail(r.id).status).toBe('needs_attention');
    expect(fx.requests.requeue(fx.actor, r.id).status).toBe('queued');
    expect(new OutboxStore(fx.store.db, fx.now).due().map((e) => e.idempotency_key)).toEqual([key]);
  });
});

describe('what counts as the backend\'s definitive refusal', () => {
  it('request-scoped answers from the server; not a timeout, an unreadable answer, or an idempotency conflict', () => {
    const answer = (status: number, code: string) => ({ status, code, details: {} });
    expect(isDefinitiveRefusal(new GatewayError('GATEWAY_SIGNATURE_INVALID', {}, answer(422, 'SIGNATURE_INVALID')))).toBe(true);
    expect(isDefinitiveRefusal(new GatewayError('GATEWAY_SIGNER_IIN_MISMATCH', {}, answer(422, 'SIGNER_IIN_MISMATCH')))).toBe(true);
    expect(isDefinitiveRefusal(new GatewayError('GATEWAY_REJECTED', { status: 422, reason: 'X' }, answer(422, 'X')))).toBe(true);
    expect(isDefinitiveRefusal(new GatewayError('GATEWAY_IDEMPOTENCY_CONFLICT', {}, answer(409, 'IDEMPOTENCY_CONFLICT')))).toBe(false);
    expect(isDefinitiveRefusal(new GatewayError('GATEWAY_SERVER_ERROR', { status: 500 }, answer(500, 'INTERNAL')))).toBe(false);
    expect(isDefinitiveRefusal(new GatewayError('GATEWAY_TIMEOUT', { seconds: 15 }, null))).toBe(false);
    expect(isDefinitiveRefusal(new GatewayError('GATEWAY_RESPONSE_TOO_LARGE', { limit: 1 }, null))).toBe(false);
    expect(isDefinitiveRefusal(new GatewayError('GATEWAY_LOCAL_DOCUMENT_CORRUPT', {}, null))).toBe(false);
    expect(isDefinitiveRefusal(new AppError('APPLICANT_NOT_FOUND', {}))).toBe(false);
  });
});

describe('issuance', () => {
  it('hands over a ready result, queues the acknowledgement with its own key, and is final', async () => {
    const r = await signedRequest(fx);
    for (const [from, to] of [
      ['queued', 'sent'],
      ['sent', 'registered'],
      ['registered', 'result_ready'],
    ] as const) {
      fx.requests.setStatus(r.id, from, to, 'sync');
    }
    const d = fx.requests.issue(fx.actor, r.id, 'applicant');
    expect(d.status).toBe('issued');
    expect(new OutboxStore(fx.store.db, fx.now).due(10, 'issuance_ack').map((e) => e.idempotency_key)).toEqual([`${r.id}:issued`]);
    expect(code(() => fx.requests.issue(fx.actor, r.id, 'applicant'))).toBe('REQUEST_STATE');
  });
});

describe('decisions, results and receipts (the places the sync step writes to)', () => {
  it('records a refusal with its reasons, a signed result with its verification outcome, and a receipt', async () => {
    const r = await signedRequest(fx);
    const outbox = new OutboxStore(fx.store.db, fx.now);
    const entry = fx.requests.currentSubmission(r.id)!;
    fx.requests.setStatus(r.id, 'queued', 'sent', 'sync');
    outbox.markSubmitting(entry.id);
    fx.store.db.transaction(() => {
      fx.requests.setStatus(r.id, 'sent', 'registered', 'sync');
      outbox.markAccepted(entry.id);
    })();
    expect(code(() => fx.requests.reopen(fx.actor, r.id))).toBe('REQUEST_STATE');
    recordUnderReview(fx.requests, r.id, 'in_review', fx.now().toISOString());
    const result = await fx.store.files.put(Buffer.from('%PDF-1.7 the permit'));
    const decisionId = recordDecision(fx.requests, { requestId: r.id, kind: 'result_ready', reasons: [], decidedAt: '2026-11-25T10:00:00.000Z' }, fx.now().toISOString());
    expect(code(() => recordDecision(fx.requests, { requestId: r.id, kind: 'refused', reasons: [], decidedAt: '2026-11-25T10:00:00.000Z' }, fx.now().toISOString()))).toBe('REQUEST_STATE');
    recordResult(
      fx.requests,
      { requestId: r.id, decisionId, file: { sha256: result.sha256, size: result.size, mediaType: 'application/pdf' }, cms: Buffer.from([0x30, 0x82]), verification: 'valid', verificationCode: null },
      fx.now().toISOString(),
    );
    recordReceipt(fx.requests, { requestId: r.id, kind: 'issuance', number: 'R-000001', file: null }, fx.now().toISOString());
    expect(fx.requests.issue(fx.actor, r.id, 'applicant').history.map((h) => h.status).slice(-4)).toEqual(['registered', 'under_review', 'result_ready', 'issued']);
    expect(fx.store.db.prepare('SELECT verification, media_type FROM results WHERE request_id = ?').get(r.id)).toEqual({ verification: 'valid', media_type: 'application/pdf' });
    const actions = fx.requests.audit.entries(r.id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['outbox.submitted', 'outbox.accepted', 'request.result', 'request.receipt', 'request.issued']));
  });
});

describe('search', () => {
  it('finds by local number prefix, registration number, full IIN, status and dates', () => {
    const a = createRequest(fx, 1);
    fx.clock.t += 86_400_000;
    const b = createRequest(fx, 2);
    fx.store.db.prepare('UPDATE requests SET registration_number = ? WHERE id = ?').run('KZ26SBX00000042', b.id);
    const ids = (f: Parameters<typeof fx.requests.search>[0]) => fx.requests.search(f).map((x) => x.id);
    expect(ids({})).toEqual([b.id, a.id]);
    expect(ids({ localNumber: a.localNumber })).toEqual([a.id]);
    expect(ids({ localNumber: 'ALM-01-W01-2026-' })).toEqual([b.id, a.id]);
    expect(ids({ registrationNumber: 'KZ26SBX00000042' })).toEqual([b.id]);
    expect(ids({ applicant: { kind: 'iin', number: makeIin(1) } })).toEqual([a.id]);
    expect(ids({ applicant: { kind: 'iin', number: makeIin(3) } })).toEqual([]);
    expect(ids({ status: 'applicant_unverified', createdFrom: '2026-11-24T00:00:00.000Z' })).toEqual([b.id]);
    expect(ids({ createdTo: '2026-11-24T00:00:00.000Z' })).toEqual([a.id]);
    expect(fx.requests.search({})[0]!.applicantNumberMasked).toBe(`${makeIin(2).slice(0, 4)}••••••${makeIin(2).slice(10)}`);
  });

  it('keeps the IIN out of every index: the applicants table is found by a keyed hash', () => {
    createRequest(fx, 5);
    const indexes = fx.store.db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'applicants'`).all() as { name: string }[];
    const columns = indexes.flatMap((i) => (fx.store.db.prepare(`PRAGMA index_info('${i.name}')`).all() as { name: string }[]).map((c) => c.name));
    expect(columns.sort()).toEqual(['id', 'number_hash']);
    const plan = fx.store.db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM applicants WHERE number_hash = ?`).all('x') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX/);
  });
});
