/**
 * What the backend refuses, and how the client types it: bad operator signatures and certificates
 * (checked by openssl at the sandbox) are permanent errors of the request; a wrong or missing
 * client certificate, or an untrusted server, are permanent errors of the workstation. Nothing
 * refused is ever registered.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayClient, gatewayErrorScope } from '../../../src-main/gateway/gateway-client.js';
import { loadTlsCredentials } from '../../../src-main/gateway/tls.js';
import { caught, signedRequest, startGatewayRig, uploadAll, type GatewayRig } from '../../support/gateway.js';

let rig: GatewayRig;
let other: string;

beforeAll(async () => {
  rig = await startGatewayRig();
  // A CA nobody trusts, with a client certificate of its own.
  other = mkdtempSync(join(tmpdir(), 'qab-otherca-'));
  const o = (f: string) => join(other, f);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', o('ca.key'), '-out', o('ca.pem'), '-subj', '/CN=Other CA', '-days', '30');
  ssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', o('client.key'), '-out', o('client.csr'), '-subj', '/CN=Workstation 040340001233-99');
  writeFileSync(o('ext.cnf'), 'extendedKeyUsage = clientAuth\n');
  ssl('x509', '-req', '-in', o('client.csr'), '-CA', o('ca.pem'), '-CAkey', o('ca.key'), '-CAcreateserial', '-out', o('client.pem'), '-days', '30', '-extfile', o('ext.cnf'));
  writeFileSync(o('p12.pass'), 'Qwerty12\n');
  writeFileSync(o('wrong.pass'), 'not-the-password\n');
});
afterAll(async () => {
  await rig?.close();
});

const tlsOf = (c: { ca?: string | null; cert?: string | null; key?: string | null; p12?: string | null; pass?: string | null }) =>
  loadTlsCredentials({ caFile: c.ca ?? null, clientCertFile: c.cert ?? null, clientKeyFile: c.key ?? null, clientPkcs12File: c.p12 ?? null, clientKeyPasswordFile: c.pass ?? null });

describe('operator signature checks at the backend', () => {
  const cases: [string, (p: GatewayRig['pki']) => Parameters<typeof signedRequest>[1], string][] = [
    ['a manifest changed after signing', () => ({ tamper: (m) => Buffer.from(m.toString('utf8').replace('Қазандық', 'Қазандықтар')) }), 'GATEWAY_SIGNATURE_INVALID'],
    ['a signer from an unknown CA (the provider chain)', (p) => ({ keystore: p.provider.cert.replace('signer.pem', 'signer.p12') }), 'GATEWAY_SIGNER_UNTRUSTED'],
    ["someone else's key (another IIN)", (p) => ({ keystore: join(p.dir, 'operator', 'rsa-wrong-iin.p12') }), 'GATEWAY_SIGNER_IIN_MISMATCH'],
    ['an expired certificate', (p) => ({ keystore: join(p.dir, 'operator', 'rsa-expired.p12'), signingTime: new Date('2020-06-01T00:00:00Z') }), 'GATEWAY_SIGNER_CERT_INVALID'],
    ['a certificate not meant for signing', (p) => ({ keystore: join(p.dir, 'operator', 'ec-wrong-ku.p12') }), 'GATEWAY_SIGNER_CERT_INVALID'],
  ];
  for (const [what, opts, code] of cases) {
    it(`refuses ${what} as a permanent error of the request (${code})`, async () => {
      const client = rig.client();
      const before = (await rig.admin.stats()).submissions;
      const { submission, documents } = await signedRequest(rig.pki, opts(rig.pki));
      await uploadAll(client, documents);
      const e = await caught(client.submit(submission));
      expect(e).toMatchObject({ code, retryable: false });
      expect(gatewayErrorScope(e)).toBe('request');
      expect((await rig.admin.stats()).submissions).toBe(before);
    });
  }

  it('refuses a workstation submitting for another Centre than its certificate names', async () => {
    const client = rig.client();
    const { submission, documents } = await signedRequest(rig.pki, { centreBin: '150240012347' });
    await uploadAll(client, documents);
    const e = await caught(client.submit(submission));
    expect(e).toMatchObject({ code: 'GATEWAY_WORKSTATION_NOT_AUTHORISED', retryable: false });
    expect(gatewayErrorScope(e)).toBe('workstation');
  });
});

describe('mutual TLS', () => {
  it('works with the client certificate as PEM or as PKCS#12 with a password file', async () => {
    const p12 = new GatewayClient({ baseUrl: rig.sandbox.url, tls: tlsOf({ ca: rig.pki.tls.ca, p12: rig.pki.tls.clientP12, pass: join(other, 'p12.pass') }), timeoutMs: 5000, workstationId: 'W01' });
    expect(await p12.lookupIndividual('900702400457')).toMatchObject({ status: 'active' });
    p12.close();
  });

  it('refuses a client without a certificate, and one with a certificate from another CA', async () => {
    for (const tls of [tlsOf({ ca: rig.pki.tls.ca }), tlsOf({ ca: rig.pki.tls.ca, cert: join(other, 'client.pem'), key: join(other, 'client.key') })]) {
      const c = new GatewayClient({ baseUrl: rig.sandbox.url, tls, timeoutMs: 5000, workstationId: 'W01' });
      const e = await caught(c.lookupIndividual('900702400457'));
      expect(e).toMatchObject({ code: 'GATEWAY_CLIENT_CERT_REFUSED', retryable: false });
      expect(gatewayErrorScope(e)).toBe('workstation');
      expect(await caught(c.health())).toMatchObject({ code: 'GATEWAY_CLIENT_CERT_REFUSED' });
      c.close();
    }
  });

  it('refuses a server whose certificate the configured CA did not sign', async () => {
    const c = new GatewayClient({ baseUrl: rig.sandbox.url, tls: tlsOf({ ca: join(other, 'ca.pem'), cert: rig.pki.tls.clientCert, key: rig.pki.tls.clientKey }), timeoutMs: 5000, workstationId: 'W01' });
    const e = await caught(c.health());
    expect(e).toMatchObject({ code: 'GATEWAY_TLS', retryable: false });
    expect(gatewayErrorScope(e)).toBe('workstation');
    c.close();
  });

  it('says which setting is wrong for unusable credentials, without their contents', () => {
    const bad = [
      [() => tlsOf({ p12: rig.pki.tls.clientP12, pass: join(other, 'wrong.pass') }), 'backend.clientPkcs12File'],
      [() => tlsOf({ cert: rig.pki.tls.clientCert, key: join(other, 'client.key') }), 'backend.clientKeyFile'],
      [() => tlsOf({ cert: rig.pki.tls.clientCert }), 'backend.clientKeyFile'],
      [() => tlsOf({ ca: join(other, 'missing.pem') }), 'backend.caFile'],
    ] as const;
    for (const [load, key] of bad) {
      let e: { code?: string; params?: { key?: string }; message?: string } = {};
      try {
        load();
      } catch (x) {
        e = x as typeof e;
      }
      expect(e).toMatchObject({ code: 'GATEWAY_CLIENT_CERT_INVALID', params: { key } });
      expect(e.message).not.toMatch(/BEGIN|PRIVATE|Qwerty12|not-the-password/);
    }
  });
});
