/**
 * NCALayer's TLS certificate pinned on first use by an administrator, through the real host and
 * contract, against a real local TLS WebSocket server standing in for NCALayer (the stand-in in
 * test/support/ncalayer-double.ts: NCALayer's protocol, a self-signed certificate, signatures made
 * by openssl with the test operator's key). Until an administrator accepts the certificate nothing
 * is sent to it; a different certificate later is refused until an administrator accepts it.
 */
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNcaLayerDouble, type NcaLayerDouble } from '../../support/ncalayer-double.js';
import { testPki } from '../../support/pki.js';
import { presentRequiredDocuments, startStack, type Stack } from '../../support/stack.js';

const pki = testPki();
let stand: NcaLayerDouble;
let stack: Stack;
const sha256Of = (pem: string) => new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();

beforeAll(async () => {
  stand = await startNcaLayerDouble({ cert: join(pki.dir, 'operator/rsa-valid.pem'), key: join(pki.dir, 'operator/rsa-valid.key.pem'), chain: join(pki.dir, 'ca/chain.pem') });
  stack = await startStack({ signing: true, env: { QABYLDAU_SIGNING__PROVIDER: 'ncalayer', QABYLDAU_SIGNING__NCALAYER__URL: stand.url } });
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await stand?.close();
});

async function as(login: 'operator' | 'admin') {
  await stack.raw('auth.logout', {});
  await stack.ok('auth.login', { login, password: login === 'admin' ? 'admin123' : 'operator123' });
}

async function signedRequest(): Promise<{ ok: true } | { ok: false; code: string }> {
  await stack.ok('applicant.lookup', { kind: 'iin', number: '900702400457' });
  let r = await stack.ok('request.create', { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4', applicant: { kind: 'iin', number: '900702400457', manualName: null } });
  r = await presentRequiredDocuments(stack, r);
  const e = await stack.raw('request.sign', { requestId: r.id, password: 'ncalayer' });
  return e.ok ? { ok: true } : { ok: false, code: e.error.code };
}

describe('NCALayer pinned on first use', () => {
  it('refuses to sign until an administrator accepts the certificate, then signs; a changed one is refused until accepted', { timeout: 120_000 }, async () => {
    await as('operator');
    expect(await signedRequest()).toEqual({ ok: false, code: 'SIGN_NCALAYER_NOT_PINNED' });
    expect(stand.requests).toHaveLength(0); // nothing was sent to an unaccepted certificate
    expect(await stack.raw('settings.trustNcalayerCertificate', { sha256: sha256Of(stand.tlsCert) })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    await as('admin');
    const first = await stack.ok('settings.ncalayerCertificate');
    expect(first).toMatchObject({ url: stand.url, state: 'not_pinned', pinned: null, presented: { sha256: sha256Of(stand.tlsCert), subject: 'CN=127.0.0.1' } });
    // What is pinned is what the administrator was shown, never whatever answers at that moment.
    expect(await stack.raw('settings.trustNcalayerCertificate', { sha256: 'a'.repeat(64) })).toMatchObject({ ok: false, error: { code: 'SIGN_NCALAYER_CERT_CHANGED' } });
    await stack.ok('settings.trustNcalayerCertificate', { sha256: first.presented!.sha256 });
    expect(await stack.ok('settings.ncalayerCertificate')).toMatchObject({ state: 'pinned', pinned: { sha256: sha256Of(stand.tlsCert), pinnedBy: 'admin' } });

    await as('operator');
    expect(await signedRequest()).toEqual({ ok: true });
    expect(stand.requests).toHaveLength(1);

    // NCALayer reinstalled, or another program answering on its port: another certificate.
    const old = sha256Of(stand.tlsCert);
    const next = sha256Of(stand.replaceCertificate());
    expect(await signedRequest()).toEqual({ ok: false, code: 'SIGN_NCALAYER_CERT_CHANGED' });
    expect(stand.requests).toHaveLength(1);

    await as('admin');
    expect(await stack.ok('settings.ncalayerCertificate')).toMatchObject({ state: 'changed', pinned: { sha256: old }, presented: { sha256: next } });
    await stack.ok('settings.trustNcalayerCertificate', { sha256: next });
    await as('operator');
    expect(await signedRequest()).toEqual({ ok: true });
    expect(stand.requests).toHaveLength(2);
  });

  it('tells the administrator when NCALayer is not running', async () => {
    await as('admin');
    await stand.close();
    expect(await stack.ok('settings.ncalayerCertificate')).toMatchObject({ state: 'not_running', presented: null });
  });
});
