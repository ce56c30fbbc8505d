/**
 * Every signature the module makes verifies with `openssl cms -verify`, a verifier that is not
 * ours; changing one byte of the manifest or of any document breaks it for both verifiers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalManifest, hashFile, openPkcs12, signDetached, verifyDetached, type ManifestInput } from '../../../src-main/sign/index.js';
import { opensslCmsVerify } from '../../support/openssl.js';
import { sampleManifest } from '../../support/sign-fixtures.js';
import { PASSWORD, pkiFile, pkiText, testPki } from '../../support/sign-pki.js';

let pki: string;
let dir: string;
beforeAll(async () => {
  pki = testPki();
  dir = await mkdtemp(join(tmpdir(), 'qab-cms-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const root = () => join(pki, 'ca/root.pem');

/** Writes three document files, and a manifest that references them by hash. */
async function requestWithFiles(tag: string): Promise<{ files: string[]; manifest: () => Promise<Uint8Array> }> {
  const files = [0, 1, 2].map((i) => join(dir, `${tag}-doc${i}.bin`));
  await Promise.all(files.map((f, i) => writeFile(f, Buffer.alloc(50_000 + i * 1000, 0x41 + i))));
  const manifest = async () => {
    const m: ManifestInput = sampleManifest();
    m.documents = await Promise.all(
      files.map(async (f, i) => ({ slot: 'scan', index: i, ...(await hashFile(f)), mediaType: 'image/jpeg' })),
    );
    return canonicalManifest(m);
  };
  return { files, manifest };
}

describe.each([
  ['RSA', 'operator/rsa-valid.p12'],
  ['ECDSA P-256', 'operator/ec-valid.p12'],
  ['RSA from a legacy (3DES/RC2) keystore', 'operator/rsa-valid-legacy.p12'],
])('%s signature', (label, p12) => {
  const tag = label.replace(/\W+/g, '_');

  it('verifies with openssl and with our verifier', async () => {
    const { manifest } = await requestWithFiles(tag);
    const bytes = await manifest();
    const ks = await openPkcs12(pkiFile(pki, p12), PASSWORD);
    const signingTime = new Date();
    const cms = await signDetached(bytes, ks, { signingTime });
    await writeFile(join(dir, `${tag}.json`), bytes);
    await writeFile(join(dir, `${tag}.cms`), cms);

    const r = opensslCmsVerify(join(dir, `${tag}.cms`), join(dir, `${tag}.json`), root());
    expect(r.output).toContain('Verification successful');
    expect(r.ok).toBe(true);

    const v = await verifyDetached(bytes, cms, { trustRoots: [pkiText(pki, 'ca/root.pem')] });
    expect(v.signer.iin).toBe('850315300128');
    expect(v.signingTime?.getTime()).toBe(Math.floor(signingTime.getTime() / 1000) * 1000);

    // openssl sees the attributes the issue asks for, and no embedded content
    const printed = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(dir, `${tag}.cms`)], { encoding: 'utf8' });
    expect(printed).toMatch(/contentType \(1\.2\.840\.113549\.1\.9\.3\)/);
    expect(printed).toMatch(/signingTime \(1\.2\.840\.113549\.1\.9\.5\)/);
    expect(printed).toMatch(/messageDigest \(1\.2\.840\.113549\.1\.9\.4\)/);
    expect(printed).toMatch(/eContent: <ABSENT>/);
  });

  it('fails both verifiers when one byte of the manifest changes', async () => {
    const { manifest } = await requestWithFiles(`${tag}-m`);
    const bytes = await manifest();
    const cms = await signDetached(bytes, await openPkcs12(pkiFile(pki, p12), PASSWORD), { signingTime: new Date() });
    const tampered = Uint8Array.from(bytes);
    const at = Buffer.from(bytes).indexOf('"employees":12') + '"employees":1'.length;
    tampered[at] = '3'.charCodeAt(0); // 12 employees become 13
    await writeFile(join(dir, `${tag}-m.json`), tampered);
    await writeFile(join(dir, `${tag}-m.cms`), cms);
    expect(opensslCmsVerify(join(dir, `${tag}-m.cms`), join(dir, `${tag}-m.json`), root()).ok).toBe(false);
    await expect(verifyDetached(tampered, cms, { trustRoots: [pkiText(pki, 'ca/root.pem')] })).rejects.toMatchObject({ code: 'SIGN_VERIFY_BAD_SIGNATURE' });
  });

  it('fails both verifiers when one byte of a document changes (manifest recomputed from the files)', async () => {
    const { files, manifest } = await requestWithFiles(`${tag}-d`);
    const cms = await signDetached(await manifest(), await openPkcs12(pkiFile(pki, p12), PASSWORD), { signingTime: new Date() });
    const doc = await readFile(files[1]!);
    doc[12_345] = (doc[12_345] ?? 0) ^ 0x01;
    await writeFile(files[1]!, doc);
    const recomputed = await manifest();
    await writeFile(join(dir, `${tag}-d.json`), recomputed);
    await writeFile(join(dir, `${tag}-d.cms`), cms);
    expect(opensslCmsVerify(join(dir, `${tag}-d.cms`), join(dir, `${tag}-d.json`), root()).ok).toBe(false);
    await expect(verifyDetached(recomputed, cms, { trustRoots: [pkiText(pki, 'ca/root.pem')] })).rejects.toMatchObject({ code: 'SIGN_VERIFY_BAD_SIGNATURE' });
  });
});

describe('verifying provider-signed results', () => {
  const pdf = Buffer.from('%PDF-1.7\n% licence no. 123 for ЖШС «Темір-Сервис»\n%%EOF\n');
  const providerSign = async (name: string, extra: string[] = []) => {
    const dataFile = join(dir, `${name}.pdf`);
    await writeFile(dataFile, pdf);
    return new Uint8Array(
      execFileSync('openssl', [
        'cms', '-sign', '-binary', '-md', 'sha256', '-in', dataFile, '-outform', 'DER',
        '-signer', join(pki, 'provider/signer.pem'), '-inkey', join(pki, 'provider/signer.key.pem'),
        '-certfile', join(pki, 'provider/chain.pem'), ...extra,
      ]),
    );
  };

  it('accepts a result signed by the provider (by openssl, not by us) when the chain holds', async () => {
    const cms = await providerSign('ok');
    const v = await verifyDetached(pdf, cms, { trustRoots: [pkiText(pki, 'provider/root.pem')] });
    expect(v.signer.subjectCn).toBe('Уәкілетті тұлға');
    expect(v.chain).toEqual(['Уәкілетті тұлға', 'Test Provider Intermediate', 'Test Provider Root']);
  });

  it('rejects a result whose bytes changed after signing', async () => {
    const cms = await providerSign('changed');
    const changed = Buffer.from(pdf);
    changed[20] = (changed[20] ?? 0) ^ 0x20;
    await expect(verifyDetached(changed, cms, { trustRoots: [pkiText(pki, 'provider/root.pem')] })).rejects.toMatchObject({ code: 'SIGN_VERIFY_BAD_SIGNATURE' });
  });

  it('rejects a result whose signer does not chain to the configured roots', async () => {
    const cms = await providerSign('untrusted');
    await expect(verifyDetached(pdf, cms, { trustRoots: [pkiText(pki, 'ca/root.pem')] })).rejects.toMatchObject({ code: 'SIGN_VERIFY_UNTRUSTED' });
  });

  it('rejects a signature made when the signer certificate was not valid', async () => {
    // An expired operator key still produces a well-formed signature; its signing time is outside the
    // certificate's validity, so the signature proves nothing.
    const ks = await openPkcs12(pkiFile(pki, 'operator/ec-expired.p12'), PASSWORD);
    const cms = await signDetached(pdf, ks, { signingTime: new Date() });
    await expect(verifyDetached(pdf, cms, { trustRoots: [pkiText(pki, 'ca/root.pem')] })).rejects.toMatchObject({
      code: 'SIGN_VERIFY_CERT_NOT_VALID_AT_SIGNING_TIME',
    });
  });

  it('says an unreadable signature is malformed', async () => {
    await expect(verifyDetached(pdf, new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), { trustRoots: [pkiText(pki, 'provider/root.pem')] })).rejects.toMatchObject({
      code: 'SIGN_VERIFY_MALFORMED',
    });
  });
});
