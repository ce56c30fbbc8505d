/**
 * Diagram 3 through the contract over real HTTP, against the sandbox backend, a real SQLite file,
 * the test PKI and the SANE test device: the happy path, and what happens when things go wrong
 * (registry down, backend down while queued, an applicant the registry does not know, inactive
 * applicants, a service not accepted at the Centre). Nothing accepted is lost or sent twice, and
 * the log holds no personal data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestDetail } from '../../../src-main/contract/model.js';
import { FIXTURES, presentRequiredDocuments, startStack, type Stack } from '../../support/stack.js';

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const JPEG = readFileSync(join(FIXTURES, 'page-gray.jpg')).toString('base64');
const SERVICE = { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4' };

const completeDocuments = (s: Stack, r: RequestDetail) => presentRequiredDocuments(s, r, (slotId) => slotId === 'application');

async function stats(s: Stack): Promise<{ submissions: number; documents: number }> {
  const { submissions, documents } = await s.admin.stats();
  return { submissions, documents };
}

function logText(s: Stack): string {
  const dir = join(s.config.dataDir, 'logs');
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

describe('Diagram 3 over the contract', () => {
  it('accepts, signs, queues and registers a request exactly once; the sandbox verified the signature', async () => {
    stack = await startStack({ signing: true });
    await stack.login();
    const { applicant } = await stack.ok('applicant.lookup', { kind: 'iin', number: '900702400457' });
    expect(applicant).toMatchObject({ name: 'Жұмабаева Әсел Қайратқызы', verified: true });
    let r = await stack.ok('request.create', { ...SERVICE, applicant: { kind: 'iin', number: '900702400457', manualName: null } });
    expect(r.status).toBe('applicant_verified');

    // Signing before the documents are complete is refused with the count of what is missing.
    const early = await stack.api('request.sign', { requestId: r.id, password: 'Qwerty12' });
    expect(early.ok ? null : early.error).toMatchObject({ code: 'REQUEST_INCOMPLETE', params: { missing: 5 } });

    r = await completeDocuments(stack, r);
    // One page from the real SANE test device, through our binding in the scanner worker.
    const s = stack;
    const job = await s.ok('scan.start', { requestId: r.id, slotId: 'identity', deviceId: null, profileId: 'flatbed-300-gray', maxPages: 1 });
    await expect.poll(async () => (await s.ok('scan.job', { jobId: job.jobId })).state, { timeout: 30_000 }).toBe('completed');
    r = await stack.ok('request.get', { id: r.id });
    expect(r.slots.find((s) => s.slotId === 'identity')!.pages).toHaveLength(2);
    expect(r.status).toBe('documents_complete');

    r = await stack.ok('request.sign', { requestId: r.id, password: 'Qwerty12' });
    expect(r.status).toBe('queued');
    expect(r.signature).toMatchObject({ signerName: 'Омаров Ерлан Серікұлы', algorithm: 'RSA-SHA256' });

    // A signed request cannot be changed.
    const late = await stack.api('pages.import', { requestId: r.id, slotId: 'application', fileName: 'p.jpg', dataBase64: JPEG });
    expect(late.ok ? null : late.error.code).toBe('REQUEST_STATE');

    await stack.host.sync.runOnce();
    r = await stack.ok('request.get', { id: r.id });
    expect(r.status).toBe('registered');
    expect(r.registrationNumber).toMatch(/^KZ\d{2}SBX\d{8}$/);
    expect(r.history.map((h) => h.status)).toEqual(['draft', 'applicant_verified', 'documents_complete', 'signed', 'queued', 'sent', 'registered']);
    expect(r.history.map((h) => h.step)).toEqual(['P2', 'P3', 'P5', 'P5', 'P6', 'P6', 'P7']);

    // Another round sends nothing again. The documents travel as one PDF per presented slot.
    await stack.host.sync.runOnce();
    const slotsWithPages = r.slots.filter((s) => s.presented && s.pages.length > 0).length;
    expect(slotsWithPages).toBe(5);
    expect(await stats(stack)).toEqual({ submissions: 1, documents: slotsWithPages });

    // The log has call ids and codes, never the applicant's IIN, name, or any password.
    const log = logText(stack);
    expect(log).toContain('"callId"');
    for (const secret of ['900702400457', 'Жұмабаева', 'Qwerty12', 'operator123', '850315300128']) expect(log).not.toContain(secret);
  });

  it('keeps working offline: manual applicant, signed and queued, sent when the backend is back', async () => {
    stack = await startStack({ signing: true, backendDown: true });
    await stack.login();
    const lookup = await stack.api('applicant.lookup', { kind: 'iin', number: '781201300016' });
    expect(lookup.ok ? null : lookup.error).toMatchObject({ code: 'REGISTRY_UNAVAILABLE', retryable: true });

    // Without a look-up or a hand-typed name, no request.
    const bare = await stack.api('request.create', { ...SERVICE, applicant: { kind: 'iin', number: '781201300016', manualName: null } });
    expect(bare.ok ? null : bare.error.code).toBe('APPLICANT_NOT_LOOKED_UP');

    let r = await stack.ok('request.create', { ...SERVICE, applicant: { kind: 'iin', number: '781201300016', manualName: 'Сәрсенбаев Нұрлан' } });
    expect(r.status).toBe('applicant_unverified');
    expect(r.applicant.verified).toBe(false);
    r = await completeDocuments(stack, r);
    r = await stack.ok('request.sign', { requestId: r.id, password: 'Qwerty12' });
    expect(r.status).toBe('queued');

    await stack.host.sync.runOnce();
    expect((await stack.ok('queue.status')).online).toBe(false);
    expect((await stack.ok('request.get', { id: r.id })).status).toBe('queued');

    // The backend comes up: the applicant is looked up first, then the request is registered.
    await stack.startSandbox();
    await stack.host.sync.runOnce();
    r = await stack.ok('request.get', { id: r.id });
    expect(r.status).toBe('registered');
    expect(r.applicant).toMatchObject({ verified: true, name: 'Сәрсенбаев Нұрлан Жанұлы' });
    expect((await stats(stack)).submissions).toBe(1);
  });

  it('P4: an applicant the registry does not know, queued offline, ends in needs-attention and is never sent', async () => {
    stack = await startStack({ signing: true, backendDown: true });
    await stack.login();
    let r = await stack.ok('request.create', { ...SERVICE, applicant: { kind: 'iin', number: '930815400010', manualName: 'Белгісіз Адам' } });
    r = await completeDocuments(stack, r);
    await stack.ok('request.sign', { requestId: r.id, password: 'Qwerty12' });
    await stack.startSandbox();
    await stack.host.sync.runOnce();
    r = await stack.ok('request.get', { id: r.id });
    expect(r.status).toBe('needs_attention');
    expect(r.lastError).toBe('APPLICANT_NOT_FOUND');
    expect((await stats(stack)).submissions).toBe(0);
    // Online, P4 is answered at once.
    const online = await stack.api('applicant.lookup', { kind: 'iin', number: '930815400010' });
    expect(online.ok ? null : online.error.code).toBe('APPLICANT_NOT_FOUND');
  });

  it('refuses what a Centre may not accept: inactive applicants, services without a Centre channel, wrong kinds', async () => {
    stack = await startStack();
    await stack.login();
    for (const [kind, number] of [
      ['iin', '620415300015'],
      ['bin', '990540000110'],
    ] as const) {
      const { applicant } = await stack.ok('applicant.lookup', { kind, number });
      expect(['deceased', 'liquidated']).toContain(applicant.registryStatus);
      const e = await stack.api('request.create', { ...SERVICE, applicant: { kind, number, manualName: null } });
      expect(e.ok ? null : e.error.code).toBe('APPLICANT_INACTIVE');
    }
    await stack.ok('applicant.lookup', { kind: 'iin', number: '900702400457' });
    const notAtCentre = await stack.api('request.create', {
      serviceId: 'eco-expertise-aktobe',
      subServiceId: 'issue',
      applicant: { kind: 'iin', number: '900702400457', manualName: null },
    });
    expect(notAtCentre.ok ? null : notAtCentre.error.code).toBe('CATALOG_NOT_AT_CENTRE');
    const bad = await stack.api('applicant.lookup', { kind: 'bin', number: '040340001234' });
    expect(bad.ok ? null : bad.error).toMatchObject({ code: 'IDN_CHECKSUM', fields: ['number'] });
  });

  it('locks an account after repeated wrong passwords, even against the right one, answering as for an unknown login', async () => {
    stack = await startStack({ env: { QABYLDAU_AUTH__MAX_FAILED_LOGINS: '3' } });
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const e = await stack.api('auth.login', { login: 'operator', password: 'nope' });
      codes.push(e.ok ? 'ok' : e.error.code);
    }
    expect(codes).toEqual(Array(4).fill('AUTH_INVALID_CREDENTIALS'));
    const right = await stack.api('auth.login', { login: 'operator', password: 'operator123' });
    expect(right.ok ? null : right.error.code).toBe('AUTH_INVALID_CREDENTIALS');
    expect((stack.host.db.prepare("SELECT locked_until FROM operators WHERE login = 'operator'").get() as { locked_until: string | null }).locked_until).not.toBeNull();
  });

  it('closes the application only for an administrator (kiosk mode)', async () => {
    let quits = 0;
    stack = await startStack({ env: { QABYLDAU_KIOSK: 'true' }, host: { onQuit: () => (quits += 1) } });
    expect((await stack.ok('app.info')).kiosk).toBe(true);
    const asOperator = await stack.api('admin.quit', { login: 'operator', password: 'operator123' });
    expect(asOperator.ok ? null : asOperator.error.code).toBe('FORBIDDEN');
    const wrong = await stack.api('admin.quit', { login: 'admin', password: 'nope' });
    expect(wrong.ok ? null : wrong.error.code).toBe('AUTH_INVALID_CREDENTIALS');
    await new Promise((r) => setTimeout(r, 100));
    expect(quits).toBe(0);
    expect((await stack.api('admin.quit', { login: 'admin', password: 'admin123' })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(quits).toBe(1);
  });
});
