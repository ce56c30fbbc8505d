/**
 * Every protocol v1 message between the gateway client and the sandbox, over real HTTPS with
 * mutual TLS: registry look-ups (individual, entity, power of attorney), the resumable upload,
 * submission with its idempotency key, status and decision, the signed result, and the
 * acknowledgement of issue.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayErrorScope, type GatewayClient, type SubmissionStatus } from '../../../src-main/gateway/gateway-client.js';
import { caught, rawRequest, sha256, signedRequest, startGatewayRig, uploadAll, type GatewayRig } from '../../support/gateway.js';

let rig: GatewayRig;
let client: GatewayClient;

beforeAll(async () => {
  rig = await startGatewayRig();
  client = rig.client();
});
afterAll(async () => {
  await rig?.close();
});

async function until(registrationNumber: string, want: SubmissionStatus['status'][]): Promise<SubmissionStatus> {
  for (let i = 0; i < 100; i++) {
    const s = await client.status(registrationNumber);
    if (want.includes(s.status)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`status never became ${want.join('|')}`);
}

describe('protocol v1 over mutual TLS', () => {
  it('health: the server says its protocol versions and its own time', async () => {
    const h = await client.health();
    expect(h).toMatchObject({ ok: true, protocol: 1, supported: [1] });
    expect(Math.abs(Date.parse(h.serverTime) - Date.now())).toBeLessThan(60_000);
  });

  it('registry: individuals and legal entities, found, inactive, or absent (P4)', async () => {
    expect(await client.lookupIndividual('900702400457')).toMatchObject({ fullName: 'Жұмабаева Әсел Қайратқызы', birthDate: '1990-07-02', status: 'active' });
    expect(await client.lookupIndividual('620415300015')).toMatchObject({ status: 'deceased' });
    expect(await client.lookupIndividual('930815400010')).toBeNull();
    expect(await client.lookupEntity('070240022228')).toMatchObject({
      name: '"Алатау Экология" ЖШС',
      head: 'Серікбаев Даулет Маратұлы',
      address: 'Алматы қ., Абай даңғ., 52',
      registeredAt: '2007-02-14',
      status: 'active',
    });
    expect(await client.lookupEntity('990540000110')).toMatchObject({ status: 'liquidated' });
    expect(await client.lookupEntity('120340000014')).toBeNull();
    // A number with a wrong check digit is the client's mistake: permanent.
    const bad = await caught(client.lookupIndividual('900702400458'));
    expect(bad).toMatchObject({ code: 'GATEWAY_BAD_REQUEST', retryable: false, params: { field: 'iin' } });
  });

  it('notarial registry: a power of attorney by number, principal and representative; expiry judged by the registry', async () => {
    const ok = await client.lookupPowerOfAttorney({ number: 'NT-2025-0001451', principal: { kind: 'bin', number: '150240012347' }, representativeIin: '781201300016' });
    expect(ok).toMatchObject({ status: 'active', principal: { name: '"Жетісу Мақта Қоймасы" АҚ' }, representative: { name: 'Сәрсенбаев Нұрлан Жанұлы' }, validUntil: '2035-03-10' });
    expect(await client.lookupPowerOfAttorney({ number: 'NT-2024-0000877', principal: { kind: 'iin', number: '900702400457' }, representativeIin: '950512400017' })).toMatchObject({ status: 'expired' });
    expect(await client.lookupPowerOfAttorney({ number: 'NT-2025-0002210', principal: { kind: 'bin', number: '070240022228' }, representativeIin: '010203500018' })).toMatchObject({ status: 'revoked' });
    // The right number with someone else as representative is not confirmed.
    expect(await client.lookupPowerOfAttorney({ number: 'NT-2025-0001451', principal: { kind: 'bin', number: '150240012347' }, representativeIin: '900702400457' })).toBeNull();
    expect(await client.lookupPowerOfAttorney({ number: 'NT-1999-0000001', principal: { kind: 'bin', number: '150240012347' }, representativeIin: '781201300016' })).toBeNull();
  });

  it('submission: registered once per idempotency key; the same key again is a duplicate with the same number', async () => {
    const { submission, documents } = await signedRequest(rig.pki, { documents: [Buffer.alloc(150_000, 7), Buffer.from('second page')] });
    // Before the documents are there: retryable, naming how many are missing.
    const early = await caught(client.submit(submission));
    expect(early).toMatchObject({ code: 'GATEWAY_DOCUMENT_MISSING', retryable: true, params: { count: 2 } });
    await uploadAll(client, documents);
    const first = await client.submit(submission);
    expect(first).toMatchObject({ status: 'registered', duplicate: false, idempotencyKey: submission.idempotencyKey });
    expect(first.registrationNumber).toMatch(/^KZ\d{2}SBX\d{8}$/);
    const again = await client.submit(submission);
    expect(again).toMatchObject({ registrationNumber: first.registrationNumber, duplicate: true, receivedAt: first.receivedAt });
    // The same key with other content is refused for good: it is a workstation bug, not a retry.
    const other = await signedRequest(rig.pki, { documents });
    const conflict = await caught(client.submit({ ...other.submission, idempotencyKey: submission.idempotencyKey }));
    expect(conflict).toMatchObject({ code: 'GATEWAY_IDEMPOTENCY_CONFLICT', retryable: false });
    expect(gatewayErrorScope(conflict)).toBe('request');
    const mine = (await rig.admin.submissions()).filter((s) => s.idempotencyKey === submission.idempotencyKey);
    expect(mine).toEqual([expect.objectContaining({ registrationNumber: first.registrationNumber, deliveries: 2 })]);
  });

  it('status, decision and result: registered → under_review → result_ready, a provider-signed permit PDF', async () => {
    const { submission, documents } = await signedRequest(rig.pki);
    await uploadAll(client, documents);
    const { registrationNumber } = await client.submit(submission);
    const pending = await client.status(registrationNumber);
    expect(['registered', 'under_review']).toContain(pending.status);
    expect(pending.nextPollSeconds).toBeGreaterThanOrEqual(1);
    expect(pending.result).toBeNull();
    const early = await caught(client.downloadResult(registrationNumber, { sha256: '0'.repeat(64), size: 1 }));
    expect(early).toMatchObject({ code: 'GATEWAY_RESULT_NOT_READY', retryable: true });

    const ready = await until(registrationNumber, ['result_ready']);
    expect(ready).toMatchObject({ status: 'result_ready', refusal: null, nextPollSeconds: null });
    const result = await client.downloadResult(registrationNumber, ready.result!);
    expect(result.sha256).toBe(ready.result!.sha256);
    expect(result.pdf.subarray(0, 5).toString()).toBe('%PDF-');

    // The PDF says the registration number and the service in Kazakh; openssl verifies the CMS
    // against the provider's root (not the operators' CA).
    const dir = mkdtempSync(join(tmpdir(), 'qab-result-'));
    writeFileSync(join(dir, 'r.pdf'), result.pdf);
    writeFileSync(join(dir, 'r.p7s'), result.cms);
    const text = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain(registrationNumber);
    expect(text).toContain('қоршаған ортаға эмиссияға рұқсат');
    expect(text).toContain('Жұмабаева Әсел Қайратқызы');
    execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'r.p7s'), '-content', join(dir, 'r.pdf'), '-CAfile', rig.pki.provider.root, '-purpose', 'any', '-out', '/dev/null'], { stdio: 'pipe' });
    expect(() =>
      execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'r.p7s'), '-content', join(dir, 'r.pdf'), '-CAfile', rig.pki.trustRoots, '-purpose', 'any', '-out', '/dev/null'], { stdio: 'pipe' }),
    ).toThrow();

    // A PDF that is not the one the status announced is refused (retryable: download again).
    const wrong = await caught(client.downloadResult(registrationNumber, { sha256: sha256(Buffer.from('x')), size: ready.result!.size }));
    expect(wrong).toMatchObject({ code: 'GATEWAY_RESULT_HASH_MISMATCH', retryable: true });

    // Batch status: several at once, unknown numbers listed apart.
    const batch = await client.statuses([registrationNumber, 'KZ99SBX99999999']);
    expect(batch.items.map((i) => i.registrationNumber)).toEqual([registrationNumber]);
    expect(batch.unknown).toEqual(['KZ99SBX99999999']);
  });

  it('refusal (P8) with reasons in three languages; no result to download', async () => {
    await rig.admin.setOutcome('781201300016', 'refuse', ['QUALIFICATION', 'DOCUMENTS']);
    const { submission, documents } = await signedRequest(rig.pki, { applicant: { kind: 'iin', number: '781201300016', name: 'Сәрсенбаев Нұрлан Жанұлы' } });
    await uploadAll(client, documents);
    const { registrationNumber } = await client.submit(submission);
    const refused = await until(registrationNumber, ['refused']);
    expect(refused.result).toBeNull();
    expect(refused.refusal!.reasons.map((r) => r.code)).toEqual(['QUALIFICATION', 'DOCUMENTS']);
    expect(refused.refusal!.reasons[0]!.text.kk).toBe('Өтініш беруші біліктілік талаптарына сәйкес келмейді');
    expect(await caught(client.downloadResult(registrationNumber, { sha256: '0'.repeat(64), size: 1 }))).toMatchObject({ code: 'GATEWAY_NO_RESULT', retryable: false });
    // The reasoned refusal is handed over too.
    expect(await client.acknowledgeIssued(registrationNumber)).toMatchObject({ status: 'issued', duplicate: false });
  });

  it('acknowledgement of issue: refused before the decision, recorded once after it', async () => {
    await rig.admin.setDecisionDelay(60_000);
    const { submission, documents } = await signedRequest(rig.pki);
    await uploadAll(client, documents);
    const { registrationNumber } = await client.submit(submission);
    await rig.admin.setDecisionDelay(400);
    const tooEarly = await caught(client.acknowledgeIssued(registrationNumber));
    expect(tooEarly).toMatchObject({ code: 'GATEWAY_NOT_ISSUABLE', retryable: false });
    await rig.admin.decide(registrationNumber, 'approve');
    const ack = await client.acknowledgeIssued(registrationNumber);
    expect(ack).toMatchObject({ registrationNumber, status: 'issued', duplicate: false });
    expect(await client.acknowledgeIssued(registrationNumber)).toMatchObject({ issuedAt: ack.issuedAt, duplicate: true });
    expect((await client.status(registrationNumber)).status).toBe('issued');
    expect(await caught(client.status('KZ00SBX00000000'))).toMatchObject({ code: 'GATEWAY_UNKNOWN_SUBMISSION', retryable: false });
  });

  it('versioning: a request without the protocol header, or for an unknown version, is refused (health excepted)', async () => {
    const none = await rawRequest(rig, 'GET', '/v1/registry/individuals/900702400457');
    expect(none).toMatchObject({ status: 400, json: { error: { code: 'PROTOCOL_UNSUPPORTED', retryable: false, supported: [1] } } });
    const v2 = await rawRequest(rig, 'GET', '/v1/registry/individuals/900702400457', { 'x-qabyldau-protocol': '2' });
    expect(v2.json.error?.code).toBe('PROTOCOL_UNSUPPORTED');
    expect((await rawRequest(rig, 'GET', '/v2/health')).json.error?.code).toBe('NO_SUCH_ENDPOINT');
    expect((await rawRequest(rig, 'GET', '/v1/health')).status).toBe(200);
  });

  it('a chunk whose bytes do not match its declared hash is refused as retryable', async () => {
    const doc = Buffer.alloc(70_000, 3);
    await client.startUpload({ sha256: sha256(doc), size: doc.byteLength, chunkSize: 64 * 1024 });
    const chunk = doc.subarray(0, 64 * 1024);
    const damaged = Buffer.from(chunk);
    damaged[100] = damaged[100]! ^ 0xff;
    const r = await rawRequest(rig, 'PUT', `/v1/documents/${sha256(doc)}/chunks/0`, { 'x-qabyldau-protocol': '1', 'x-qabyldau-chunk-sha256': sha256(chunk) }, damaged);
    expect(r).toMatchObject({ status: 422, json: { error: { code: 'CHUNK_HASH_MISMATCH', retryable: true } } });
    expect((await client.uploadState(sha256(doc)))!.receivedChunks).toEqual([]);
  });
});
