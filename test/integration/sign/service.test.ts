/** SignService with PKCS#12 keystores: what the host will call. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignService, type ManifestToSign } from '../../../src-main/sign/index.js';
import { captureLogger } from '../../support/capture-logger.js';
import { opensslCmsVerify } from '../../support/openssl.js';
import { crlIssuedAt, offlineSignConfig } from '../../support/sign-config.js';
import { sampleManifest } from '../../support/sign-fixtures.js';
import { OPERATOR_IIN, PASSWORD, pkiFile, testPki } from '../../support/sign-pki.js';

let pki: string;
let dir: string;
let now: Date;
beforeAll(async () => {
  pki = testPki();
  dir = await mkdtemp(join(tmpdir(), 'qab-svc-'));
  now = new Date(crlIssuedAt(pki).getTime() + 3600_000);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const toSign = (): ManifestToSign => {
  const { times, ...rest } = sampleManifest();
  return { ...rest, createdAt: times.createdAt };
};
const secret = (file: string, password = PASSWORD) => ({ bytes: pkiFile(pki, file), password: new TextEncoder().encode(password) });

async function service(lines: string[] = []) {
  const config = await offlineSignConfig(pki, join(dir, `cache-${Math.random().toString(36).slice(2)}`));
  return new SignService(config, { logger: captureLogger(lines), now: () => now });
}

describe('SignService with a PKCS#12 keystore', () => {
  it('signs the request manifest; openssl verifies what it returns', async () => {
    const lines: string[] = [];
    const svc = await service(lines);
    const s = secret('operator/ec-valid.p12');
    const out = await svc.signRequest(toSign(), s);
    expect(out.provider).toBe('pkcs12');
    expect(out.signer).toMatchObject({ subjectCn: 'Омаров Ерлан Серікұлы', iin: OPERATOR_IIN, bin: '040340001233' });
    const manifest = JSON.parse(new TextDecoder().decode(out.manifest)) as { times: { signedAt: string } };
    expect(manifest.times.signedAt).toBe(out.signingTime);
    expect(out.signingTime).toBe(new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString());
    await writeFile(join(dir, 'req.json'), out.manifest);
    await writeFile(join(dir, 'req.cms'), out.cms);
    // openssl's own notion of "now" is the real clock; the test PKI is valid for years around it
    expect(opensslCmsVerify(join(dir, 'req.cms'), join(dir, 'req.json'), join(pki, 'ca/root.pem')).ok).toBe(true);
    expect(s.password.every((b) => b === 0)).toBe(true);

    // nothing personal or secret in the log
    const log = lines.join('\n');
    expect(log).toContain('request signed');
    for (const secretOrPersonal of [OPERATOR_IIN, '040340001233', 'Омаров', PASSWORD, '150240012347', 'Темір']) expect(log).not.toContain(secretOrPersonal);
  });

  it('refuses a keystore that is someone else’s and still wipes the password', async () => {
    const svc = await service();
    const s = secret('operator/rsa-wrong-iin.p12');
    await expect(svc.signRequest(toSign(), s)).rejects.toMatchObject({ code: 'SIGN_CERT_IIN_MISMATCH' });
    expect(s.password.every((b) => b === 0)).toBe(true);
  });

  it('refuses a wrong password', async () => {
    const svc = await service();
    await expect(svc.signRequest(toSign(), secret('operator/rsa-valid.p12', 'qwerty12'))).rejects.toMatchObject({ code: 'SIGN_WRONG_PASSWORD' });
  });

  it('refuses a manifest that names another Centre', async () => {
    const svc = await service();
    const m = toSign();
    m.centre = { ...m.centre, bin: '990540000110' };
    await expect(svc.signRequest(m, secret('operator/rsa-valid.p12'))).rejects.toMatchObject({ code: 'SIGN_MANIFEST_INVALID', params: { field: 'centre.bin' } });
  });

  it('tells whose key a keystore holds, after the checks, without signing', async () => {
    const svc = await service();
    const info = await svc.keystoreInfo(secret('operator/rsa-valid-legacy.p12'), OPERATOR_IIN);
    expect(info).toEqual({
      signer: expect.objectContaining({ subjectCn: 'Омаров Ерлан Серікұлы', iin: OPERATOR_IIN }) as unknown,
      revocation: 'crl-cache',
    });
    await expect(svc.keystoreInfo(secret('operator/ec-expired.p12'), OPERATOR_IIN)).rejects.toMatchObject({ code: 'SIGN_CERT_EXPIRED' });
  });

  it('verifies a provider-signed result against the result trust roots', async () => {
    const svc = await service();
    const pdf = Buffer.from('%PDF-1.7 result');
    await writeFile(join(dir, 'result.pdf'), pdf);
    const cms = execFileSync('openssl', [
      'cms', '-sign', '-binary', '-md', 'sha256', '-in', join(dir, 'result.pdf'), '-outform', 'DER',
      '-signer', join(pki, 'provider/signer.pem'), '-inkey', join(pki, 'provider/signer.key.pem'), '-certfile', join(pki, 'provider/chain.pem'),
    ]);
    expect((await svc.verifyResult(pdf, new Uint8Array(cms), { serviceId: 'emission-permit-almaty' })).signer.subjectCn).toBe('Уәкілетті тұлға');
  });
});
