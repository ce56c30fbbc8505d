/**
 * Trust in a provider-signed result, with real certificates (scripts/make-test-pki.sh) and real
 * signatures made by `openssl cms -sign`: each case is judged by our verifier AND, independently, by
 * `openssl cms -verify` with the same trust (the provider's root only, its CRLs, -purpose smimesign).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignService, type ResultProvider } from '../../../src-main/sign/index.js';
import { PROVIDER_BIN, storeProviderCrls, testResultProviders } from '../../support/sign-config.js';
import { CENTRE_BIN, pkiText, testPki } from '../../support/sign-pki.js';

const SERVICE = 'emission-permit-almaty';
const pki = testPki();
let dir: string;
let cacheDir: string;
const pdf = Buffer.from('%PDF-1.7\n% a permit: the provider signed it\n');

function sign(signer: string, chain: string): Buffer {
  return execFileSync('openssl', [
    'cms', '-sign', '-binary', '-md', 'sha256', '-in', join(dir, 'result.pdf'), '-outform', 'DER', '-nosmimecap',
    '-signer', join(pki, signer + '.pem'), '-inkey', join(pki, signer + '.key.pem'), '-certfile', join(pki, chain),
  ]);
}

/** openssl's own verdict, with the provider's root as the only trust anchor and its CRLs. */
function opensslVerifies(
  cms: Buffer,
  root = 'provider/root.pem',
  crlFiles = ['crl/provider-root.crl.pem', 'crl/provider-intermediate.crl.pem'],
  crlCheck = '-crl_check_all',
): boolean {
  const tag = Math.random().toString(36).slice(2);
  const f = join(dir, `sig-${tag}.der`);
  writeFileSync(f, cms);
  // openssl cms has no -CRLfile: the CRLs go into the -CAfile bundle beside the root.
  const trust = join(dir, `trust-${tag}.pem`);
  writeFileSync(trust, pkiText(pki, root) + crlFiles.map((c) => pkiText(pki, c)).join(''));
  const r = spawnSync('openssl', [
    'cms', '-verify', '-binary', '-inform', 'DER', '-in', f, '-content', join(dir, 'result.pdf'), '-out', '/dev/null',
    '-CAfile', trust, '-purpose', 'smimesign', crlCheck,
  ]);
  return r.status === 0;
}

function service(providers: ResultProvider[] = testResultProviders(pki)): SignService {
  return new SignService(
    {
      provider: 'pkcs12',
      centreBin: CENTRE_BIN,
      trustRoots: [pkiText(pki, 'ca/root.pem')],
      resultProviders: providers,
      revocation: { mode: 'offline', ocsp: false, cacheDir, graceMs: 0, timeoutMs: 1000 },
    },
    { logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => ({}) as never }, now: () => new Date() },
  );
}

const verify = (svc: SignService, cms: Buffer, serviceId = SERVICE) => svc.verifyResult(pdf, new Uint8Array(cms), { serviceId });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qab-result-trust-'));
  cacheDir = join(dir, 'crl-cache');
  writeFileSync(join(dir, 'result.pdf'), pdf);
  await storeProviderCrls(pki, cacheDir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a provider-signed result', () => {
  it('is trusted when signed by the provider\'s own signer, chained to its root, not revoked', async () => {
    const cms = sign('provider/signer', 'provider/chain.pem');
    const v = await verify(service(), cms);
    expect(v).toMatchObject({ provider: 'test-provider', signer: { subjectCn: 'Уәкілетті тұлға', bin: PROVIDER_BIN } });
    expect(opensslVerifies(cms)).toBe(true);
  });

  it('is refused when signed under another root the workstation trusts (the operators\' national CA)', async () => {
    const cms = sign('operator/rsa-valid', 'ca/chain.pem');
    await expect(verify(service(), cms)).rejects.toMatchObject({ code: 'SIGN_VERIFY_UNTRUSTED' });
    expect(opensslVerifies(cms)).toBe(false);
    // The signature itself is sound (openssl accepts it under the national root): only the provider's root counts.
    // (-crl_check: the national test root publishes no CRL of its intermediates.)
    expect(opensslVerifies(cms, 'ca/root.pem', ['crl/intermediate.crl.pem'], '-crl_check')).toBe(true);
  });

  it('is refused when signed by another provider (its root is configured, but for other services)', async () => {
    const providers: ResultProvider[] = [
      ...testResultProviders(pki, { services: ['eco-expertise-almaty'] }),
      { id: 'national', services: [SERVICE], trustRoots: [pkiText(pki, 'ca/root.pem')], expect: { bin: PROVIDER_BIN } },
    ];
    const cms = sign('provider/signer', 'provider/chain.pem');
    await expect(verify(service(providers), cms)).rejects.toMatchObject({ code: 'SIGN_VERIFY_UNTRUSTED' });
    await expect(verify(service(providers), cms, 'eco-expertise-almaty')).resolves.toMatchObject({ provider: 'test-provider' });
  });

  it('is refused for a service no provider is configured for', async () => {
    const cms = sign('provider/signer', 'provider/chain.pem');
    await expect(verify(service(), cms, 'no-such-service')).rejects.toMatchObject({ code: 'SIGN_RESULT_PROVIDER_UNKNOWN' });
  });

  it('is refused when the signer is another organisation (wrong subject BIN), though under the provider\'s root', async () => {
    const cms = sign('provider/signer-wrong-bin', 'provider/chain.pem');
    await expect(verify(service(), cms)).rejects.toMatchObject({ code: 'SIGN_RESULT_SIGNER_UNEXPECTED', params: { what: 'bin' } });
    // openssl does not know the provider's BIN: it accepts this one (the check is ours).
    expect(opensslVerifies(cms)).toBe(true);
  });

  it('is refused when the signer\'s key is for another purpose (clientAuth, no signing policy)', async () => {
    const cms = sign('provider/signer-wrong-eku', 'provider/chain.pem');
    await expect(verify(service(), cms)).rejects.toMatchObject({ code: 'SIGN_RESULT_SIGNER_UNEXPECTED', params: { what: 'extendedKeyUsage' } });
    expect(opensslVerifies(cms)).toBe(false); // -purpose smimesign refuses a clientAuth-only key
    const policyOnly = testResultProviders(pki, { expect: { policies: ['1.2.398.3.3.4.1.2'] } });
    await expect(verify(service(policyOnly), cms)).rejects.toMatchObject({ code: 'SIGN_RESULT_SIGNER_UNEXPECTED', params: { what: 'policies' } });
  });

  it('is refused when the signer\'s certificate is revoked', async () => {
    const cms = sign('provider/signer-revoked', 'provider/chain.pem');
    await expect(verify(service(), cms)).rejects.toMatchObject({ code: 'SIGN_RESULT_SIGNER_REVOKED' });
    expect(opensslVerifies(cms)).toBe(false);
  });

  it('is refused when an intermediate CA of its chain is revoked (the signer itself is not)', async () => {
    const cms = sign('provider/signer-under-revoked', 'provider/chain-revoked.pem');
    await expect(verify(service(), cms)).rejects.toMatchObject({ code: 'SIGN_RESULT_INTERMEDIATE_REVOKED' });
    expect(opensslVerifies(cms)).toBe(false);
  });

  it('is not trusted when revocation cannot be checked (no CRL for the chain in an offline cache)', async () => {
    const cms = sign('provider/signer', 'provider/chain.pem');
    const empty = new SignService(
      {
        provider: 'pkcs12',
        centreBin: CENTRE_BIN,
        trustRoots: [pkiText(pki, 'ca/root.pem')],
        resultProviders: testResultProviders(pki),
        revocation: { mode: 'offline', ocsp: false, cacheDir: join(dir, 'empty-cache'), graceMs: 0, timeoutMs: 1000 },
      },
      { logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => ({}) as never }, now: () => new Date() },
    );
    await expect(verify(empty, cms)).rejects.toMatchObject({ code: 'SIGN_CERT_REVOCATION_UNKNOWN' });
  });

  it('is refused when the PDF was changed after signing', async () => {
    const cms = sign('provider/signer', 'provider/chain.pem');
    const changed = Buffer.from(readFileSync(join(dir, 'result.pdf')));
    changed[changed.length - 2]! ^= 1;
    await expect(service().verifyResult(changed, new Uint8Array(cms), { serviceId: SERVICE })).rejects.toMatchObject({ code: 'SIGN_VERIFY_BAD_SIGNATURE' });
  });
});
