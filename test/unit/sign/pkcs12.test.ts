import { beforeAll, describe, expect, it } from 'vitest';
import { openPkcs12 } from '../../../src-main/sign/index.js';
import { gostKeyP12, gostMacP12, RU_GOST_KEY_OID } from '../../support/gost-fixture.js';
import { CENTRE_BIN, OPERATOR_IIN, PASSWORD, pkiFile, testPki } from '../../support/sign-pki.js';

let pki: string;
beforeAll(() => {
  pki = testPki();
});

const pw = () => new TextEncoder().encode(PASSWORD);
const code = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string }) => e.code);

describe('opening PKCS#12 keystores', () => {
  it.each([
    ['operator/rsa-valid.p12', 'RSA-SHA256'],
    ['operator/ec-valid.p12', 'ECDSA-P256-SHA256'],
    ['operator/rsa-valid-legacy.p12', 'RSA-SHA256'],
    ['operator/ec-valid-legacy.p12', 'ECDSA-P256-SHA256'],
  ])('opens %s and reads whose key it is', async (file, algorithm) => {
    const ks = await openPkcs12(pkiFile(pki, file), pw());
    expect(ks.algorithm).toBe(algorithm);
    const s = ks.summary();
    expect(s.subjectCn).toBe('Омаров Ерлан Серікұлы');
    expect(s.iin).toBe(OPERATOR_IIN);
    expect(s.bin).toBe(CENTRE_BIN);
    expect(s.issuerCn).toBe('Test NCA Intermediate');
    // the chain travels with the key
    expect(ks.chain.map((c) => c.summary().subjectCn).sort()).toEqual(['Test NCA Intermediate', 'Test NCA Root']);
  });

  it('opens the provider signer and the TLS client keystores the other parts use', async () => {
    expect((await openPkcs12(pkiFile(pki, 'provider/signer.p12'), PASSWORD)).summary().subjectCn).toBe('Уәкілетті тұлға');
    expect((await openPkcs12(pkiFile(pki, 'tls/client.p12'), PASSWORD)).algorithm).toBe('ECDSA-P256-SHA256');
  });

  it('says the password is wrong, for modern and for legacy files', async () => {
    expect(await code(openPkcs12(pkiFile(pki, 'operator/rsa-valid.p12'), 'Qwerty13'))).toBe('SIGN_WRONG_PASSWORD');
    expect(await code(openPkcs12(pkiFile(pki, 'operator/ec-valid-legacy.p12'), ''))).toBe('SIGN_WRONG_PASSWORD');
  });

  it('says a damaged or foreign file is corrupt', async () => {
    const good = pkiFile(pki, 'operator/rsa-valid.p12');
    expect(await code(openPkcs12(good.subarray(0, good.length - 40), pw()))).toBe('SIGN_KEYSTORE_CORRUPT');
    expect(await code(openPkcs12(new TextEncoder().encode('%PDF-1.7 not a keystore'), pw()))).toBe('SIGN_KEYSTORE_CORRUPT');
    expect(await code(openPkcs12(pkiFile(pki, 'operator/rsa-valid.pem'), pw()))).toBe('SIGN_KEYSTORE_CORRUPT');
    expect(await code(openPkcs12(new Uint8Array(0), pw()))).toBe('SIGN_KEYSTORE_CORRUPT');
  });

  it('wipes the password bytes it was given, whether the password was right or not', async () => {
    const right = pw();
    await openPkcs12(pkiFile(pki, 'operator/rsa-valid.p12'), right);
    expect(right.every((b) => b === 0)).toBe(true);
    const wrong = new TextEncoder().encode('nope-nope');
    await expect(openPkcs12(pkiFile(pki, 'operator/rsa-valid.p12'), wrong)).rejects.toMatchObject({ code: 'SIGN_WRONG_PASSWORD' });
    expect(wrong.every((b) => b === 0)).toBe(true);
  });

  it('keeps the private key out of reach: nothing enumerable or serialisable holds it', async () => {
    const ks = await openPkcs12(pkiFile(pki, 'operator/ec-valid.p12'), pw());
    const json = JSON.stringify(ks);
    expect(json).not.toMatch(/PRIVATE KEY|privateKey|"d":/);
    expect(Object.values(ks).some((v) => typeof v === 'object' && v !== null && 'type' in v && (v as { type: unknown }).type === 'private')).toBe(false);
  });

  it('recognises GOST keys and GOST-protected files and points to NCALayer', async () => {
    expect(await code(openPkcs12(gostKeyP12(), pw()))).toBe('SIGN_GOST_NEEDS_NCALAYER');
    expect(await code(openPkcs12(gostKeyP12(RU_GOST_KEY_OID), pw()))).toBe('SIGN_GOST_NEEDS_NCALAYER');
    expect(await code(openPkcs12(gostMacP12(), pw()))).toBe('SIGN_GOST_NEEDS_NCALAYER');
  });
});
