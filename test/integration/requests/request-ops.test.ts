/**
 * The operator's corrections before and after sending, through the contract against the sandbox:
 * a representative's power of attorney checked in the notarial system (found, expired, revoked,
 * absent), and a request that needs attention sent again or re-opened.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestDetail } from '../../../src-main/contract/model.js';
import { presentRequiredDocuments, startStack, type Stack } from '../../support/stack.js';

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

async function open(s: Stack, kind: 'iin' | 'bin', number: string): Promise<RequestDetail> {
  await s.ok('applicant.lookup', { kind, number });
  return s.ok('request.create', { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4', applicant: { kind, number, manualName: null } });
}

const rep = (iin: string, name: string, number: string, date: string) => ({ iin, name, powerOfAttorney: { number, date, notary: null } });

describe('representatives', () => {
  it('confirms a valid power of attorney in the notarial system, and refuses expired, revoked or absent ones', async () => {
    stack = await startStack();
    await stack.login();
    let r = await open(stack, 'bin', '150240012347');
    r = await stack.ok('request.setRepresentative', { requestId: r.id, representative: rep('781201300016', 'Сәрсенбаев Нұрлан Жанұлы', 'NT-2025-0001451', '2025-03-11') });
    expect(r.representative).toMatchObject({ iin: '781201300016', verified: false });
    r = await stack.ok('request.verifyRepresentative', { requestId: r.id });
    expect(r.representative?.verified).toBe(true);

    const cases: [kind: 'iin' | 'bin', applicant: string, iin: string, poa: string, code: string][] = [
      ['iin', '900702400457', '950512400017', 'NT-2024-0000877', 'REPRESENTATIVE_POA_EXPIRED'],
      ['bin', '070240022228', '010203500018', 'NT-2025-0002210', 'REPRESENTATIVE_POA_REVOKED'],
      ['iin', '900702400457', '781201300016', 'NT-2099-0000000', 'REPRESENTATIVE_POA_NOT_FOUND'],
    ];
    for (const [kind, applicant, iin, poa, code] of cases) {
      const x = await open(stack, kind, applicant);
      await stack.ok('request.setRepresentative', { requestId: x.id, representative: rep(iin, 'Өкіл', poa, '2024-01-15') });
      const e = await stack.api('request.verifyRepresentative', { requestId: x.id });
      expect([poa, e.ok ? 'ok' : e.error.code]).toEqual([poa, code]);
    }
  });

  it('says the registry is unavailable when the backend is down (the operator may go on, unverified)', async () => {
    stack = await startStack({ backendDown: true });
    await stack.login();
    const r = await stack.ok('request.create', {
      serviceId: 'emission-permit-almaty',
      subServiceId: 'cat-4',
      applicant: { kind: 'bin', number: '150240012347', manualName: '"Жетісу Мақта Қоймасы" АҚ' },
    });
    await stack.ok('request.setRepresentative', { requestId: r.id, representative: rep('781201300016', 'Сәрсенбаев Нұрлан', 'NT-2025-0001451', '2025-03-11') });
    const e = await stack.api('request.verifyRepresentative', { requestId: r.id });
    expect(e.ok ? null : e.error).toMatchObject({ code: 'REGISTRY_UNAVAILABLE', retryable: true });
  });
});

describe('requests that need attention', () => {
  it('re-opens a request the registry refused (P4) so it can be fixed, and sends a re-queued one once', async () => {
    stack = await startStack({ signing: true, backendDown: true });
    await stack.login();
    let r = await stack.ok('request.create', {
      serviceId: 'emission-permit-almaty',
      subServiceId: 'cat-4',
      applicant: { kind: 'iin', number: '930815400010', manualName: 'Белгісіз Адам' },
    });
    r = await presentRequiredDocuments(stack, r, () => false);
    await stack.ok('request.sign', { requestId: r.id, password: 'Qwerty12' });
    await stack.startSandbox();
    await stack.host.sync.runOnce();
    r = await stack.ok('request.get', { id: r.id });
    expect(r.status).toBe('needs_attention');
    // Sending it again as it is cannot help here, but it is allowed (nothing was ever accepted)...
    r = await stack.ok('request.requeue', { requestId: r.id });
    expect(r.status).toBe('queued');
    await stack.host.sync.runOnce();
    r = await stack.ok('request.get', { id: r.id });
    expect(r.status).toBe('needs_attention');
    // ...re-opening it lets the operator fix it; the old signature is kept, superseded.
    r = await stack.ok('request.reopen', { requestId: r.id });
    expect(['applicant_unverified', 'documents_complete']).toContain(r.status);
    expect(r.signature).toBeNull();
    expect((await stack.admin.stats()).submissions).toBe(0);
  });
});
