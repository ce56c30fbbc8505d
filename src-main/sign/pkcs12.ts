/**
 * Opening PKCS#12 keystores (the files the national CA issues), in the main process only.
 *
 * The private key is imported into WebCrypto as a non-extractable CryptoKey and kept in a
 * module-private WeakMap keyed by the Keystore object: nothing outside this module (not even the
 * caller) can read it, and it is never serialised. The decrypted PKCS#8 bytes are zeroed as soon
 * as the key is imported.
 *
 * Password handling: pass the password as bytes (UTF-8) where you can; the buffer you pass is
 * zeroed before openPkcs12 returns (on success and on failure). A JS string cannot be wiped — it
 * lives until the garbage collector reclaims it — so a string is accepted only for convenience
 * (tests, tools); the main process should receive the password from IPC as a Uint8Array.
 */
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createPrivateKey, createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import { AppError } from '../contract/errors.js';
import { Cert, type SignerSummary } from './certs.js';
import { bytesEqual, octets, parseDer, toArrayBuffer } from './der.js';
import { isGostOid } from './gost.js';
import { OID } from './oids.js';
import { bmpPassword, decryptPbes2, decryptPkcs12Pbe, isPkcs12Pbe, PbeError, verifyPkcs12Mac } from './pbe.js';


export type KeyAlgorithm = 'RSA-SHA256' | 'ECDSA-P256-SHA256';

/** An opened keystore: the signer's certificate, the other certificates, and a hidden key handle. */
export class Keystore {
  /** @internal use `openPkcs12` */
  constructor(
    readonly certificate: Cert,
    readonly chain: Cert[],
    readonly algorithm: KeyAlgorithm,
  ) {}

  summary(): SignerSummary {
    return this.certificate.summary();
  }

  /** Drops the key handle: the keystore can no longer sign. */
  close(): void {
    privateKeys.delete(this);
  }
}

const privateKeys = new WeakMap<Keystore, CryptoKey>();

/** @internal for cms.ts: the key that signs for this keystore. */
export function privateKeyOf(ks: Keystore): CryptoKey {
  const key = privateKeys.get(ks);
  if (!key) throw new AppError('SIGN_KEYSTORE_NO_KEY', {}, { detail: 'keystore closed' });
  return key;
}

/** @internal for tests and the NCALayer double: a keystore around a key made elsewhere. */
export function keystoreFromKey(certificate: Cert, chain: Cert[], key: CryptoKey, algorithm: KeyAlgorithm): Keystore {
  const ks = new Keystore(certificate, chain, algorithm);
  privateKeys.set(ks, key);
  return ks;
}

type Decrypt = (alg: pkijs.AlgorithmIdentifier, data: Uint8Array) => Buffer;

const corrupt = (detail: string, cause?: unknown) => new AppError('SIGN_KEYSTORE_CORRUPT', {}, { detail, cause });
const gost = () => new AppError('SIGN_GOST_NEEDS_NCALAYER');

function makeDecrypt(pass: Uint8Array, macVerified: boolean): Decrypt {
  return (alg, data) => {
    const oid = alg.algorithmId;
    if (isGostOid(oid)) throw gost();
    try {
      if (isPkcs12Pbe(oid)) {
        const p = alg.algorithmParams as asn1js.Sequence;
        const [salt, iter] = p.valueBlock.value as [asn1js.OctetString, asn1js.Integer];
        return decryptPkcs12Pbe(oid, pass, octets(salt), iter.valueBlock.valueDec, data);
      }
      if (oid === OID.pbes2) {
        const p = new pkijs.PBES2Params({ schema: alg.algorithmParams });
        if (isGostOid(p.encryptionScheme.algorithmId)) throw gost();
        const kdf = new pkijs.PBKDF2Params({ schema: p.keyDerivationFunc.algorithmParams });
        return decryptPbes2(
          {
            kdfOid: p.keyDerivationFunc.algorithmId,
            salt: octets(kdf.salt as asn1js.OctetString),
            iterations: kdf.iterationCount,
            keyLength: kdf.keyLength,
            prfOid: kdf.prf?.algorithmId,
            cipherOid: p.encryptionScheme.algorithmId,
            iv: octets(p.encryptionScheme.algorithmParams as asn1js.OctetString),
          },
          pass,
          data,
        );
      }
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (e instanceof PbeError && e.kind === 'decrypt') {
        // With a verified MAC the password is right, so the ciphertext itself is damaged.
        throw macVerified ? corrupt('decryption failed', e) : new AppError('SIGN_WRONG_PASSWORD');
      }
      if (e instanceof PbeError) throw new AppError('SIGN_KEYSTORE_UNSUPPORTED', {}, { detail: e.message });
      throw corrupt('bad encryption parameters', e);
    }
    throw new AppError('SIGN_KEYSTORE_UNSUPPORTED', {}, { detail: `encryption ${oid}` });
  };
}

interface Found {
  keys: Buffer[];
  certs: Cert[];
}

function readSafeContents(bytes: Uint8Array, decrypt: Decrypt, found: Found, depth = 0): void {
  if (depth > 4) throw corrupt('nesting too deep');
  const safe = pkijs.SafeContents.fromBER(toArrayBuffer(bytes));
  for (const bag of safe.safeBags) readBag(bag, decrypt, found, depth);
}

function readBag(bag: pkijs.SafeBag, decrypt: Decrypt, found: Found, depth: number): void {
  switch (bag.bagId) {
    case OID.keyBag: {
      const pki = bag.bagValue as pkijs.PrivateKeyInfo;
      if (isGostOid(pki.privateKeyAlgorithm.algorithmId)) throw gost();
      found.keys.push(Buffer.from(pki.toSchema().toBER()));
      return;
    }
    case OID.shroudedKeyBag: {
      const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
      const der = decrypt(shrouded.encryptionAlgorithm, octets(shrouded.encryptedData));
      const parsed = parseDer(der);
      if (!parsed) {
        der.fill(0);
        throw corrupt('decrypted key is not DER');
      }
      const alg = new pkijs.PrivateKeyInfo({ schema: parsed }).privateKeyAlgorithm.algorithmId;
      if (isGostOid(alg)) {
        der.fill(0);
        throw gost();
      }
      found.keys.push(der);
      return;
    }
    case OID.certBag: {
      const cb = bag.bagValue as pkijs.CertBag;
      if (cb.certId !== OID.x509Certificate) return;
      const cert = Cert.tryParse(octets(cb.certValue as asn1js.OctetString));
      if (!cert) throw corrupt('unreadable certificate');
      found.certs.push(cert);
      return;
    }
    case OID.safeContentsBag:
      for (const inner of (bag.bagValue as pkijs.SafeContents).safeBags) readBag(inner, decrypt, found, depth + 1);
      return;
    default:
      return; // CRL and secret bags are not needed
  }
}

function algorithmOf(key: KeyObject): KeyAlgorithm | null {
  if (key.asymmetricKeyType === 'rsa') return 'RSA-SHA256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ECDSA-P256-SHA256';
  return null;
}

/**
 * Opens a PKCS#12 keystore. Errors: SIGN_KEYSTORE_CORRUPT (not a PKCS#12 file or damaged),
 * SIGN_WRONG_PASSWORD, SIGN_GOST_NEEDS_NCALAYER (GOST keys or GOST protection),
 * SIGN_KEYSTORE_UNSUPPORTED (an algorithm we do not implement), SIGN_KEYSTORE_NO_KEY.
 */
export async function openPkcs12(bytes: Uint8Array, password: Uint8Array | string): Promise<Keystore> {
  const pass = typeof password === 'string' ? Buffer.from(password, 'utf8') : Buffer.from(password);
  if (typeof password !== 'string') password.fill(0);
  const found: Found = { keys: [], certs: [] };
  try {
    return await open(bytes, pass, found);
  } finally {
    pass.fill(0);
    for (const k of found.keys) k.fill(0);
  }
}

async function open(bytes: Uint8Array, pass: Buffer, found: Found): Promise<Keystore> {
  const parsed = parseDer(bytes);
  if (!parsed) throw corrupt('not DER');
  let pfx: pkijs.PFX;
  try {
    pfx = new pkijs.PFX({ schema: parsed });
  } catch (e) {
    throw corrupt('not a PFX', e);
  }
  if (pfx.authSafe.contentType !== OID.data) {
    throw new AppError('SIGN_KEYSTORE_UNSUPPORTED', {}, { detail: `authSafe ${pfx.authSafe.contentType}` });
  }
  const authSafeBytes = octets(pfx.authSafe.content as asn1js.OctetString);

  let macVerified = false;
  if (pfx.macData) {
    const hashOid = pfx.macData.mac.digestAlgorithm.algorithmId;
    if (isGostOid(hashOid)) throw gost();
    const bmp = bmpPassword(pass);
    try {
      macVerified = verifyPkcs12Mac(
        hashOid,
        bmp,
        octets(pfx.macData.macSalt),
        pfx.macData.iterations ?? 1,
        authSafeBytes,
        octets(pfx.macData.mac.digest),
      );
    } catch (e) {
      throw e instanceof PbeError ? new AppError('SIGN_KEYSTORE_UNSUPPORTED', {}, { detail: e.message }) : e;
    } finally {
      bmp.fill(0);
    }
    if (!macVerified) throw new AppError('SIGN_WRONG_PASSWORD');
  }

  const decrypt = makeDecrypt(pass, macVerified);
  try {
    const safe = pkijs.AuthenticatedSafe.fromBER(toArrayBuffer(authSafeBytes));
    for (const ci of safe.safeContents) {
      if (ci.contentType === OID.data) {
        readSafeContents(octets(ci.content as asn1js.OctetString), decrypt, found);
      } else if (ci.contentType === OID.encryptedData) {
        const ed = new pkijs.EncryptedData({ schema: ci.content });
        const eci = ed.encryptedContentInfo;
        if (!eci.encryptedContent) continue;
        const plain = decrypt(eci.contentEncryptionAlgorithm, octets(eci.encryptedContent));
        readSafeContents(plain, decrypt, found);
      }
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw corrupt('unreadable contents', e);
  }

  for (const keyDer of found.keys) {
    let keyObject: KeyObject;
    try {
      keyObject = createPrivateKey({ key: keyDer, format: 'der', type: 'pkcs8' });
    } catch (e) {
      throw new AppError('SIGN_KEYSTORE_UNSUPPORTED', {}, { detail: 'private key not readable', cause: e });
    }
    const spki = new Uint8Array(createPublicKey(keyObject).export({ type: 'spki', format: 'der' }));
    const cert = found.certs.find((c) => !c.isGost && bytesEqual(c.spkiDer(), spki));
    if (!cert) continue;
    const algorithm = algorithmOf(keyObject);
    if (!algorithm) throw new AppError('SIGN_KEYSTORE_UNSUPPORTED', {}, { detail: `key ${keyObject.asymmetricKeyType ?? '?'}` });
    const importAlg =
      algorithm === 'RSA-SHA256'
        ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
        : { name: 'ECDSA', namedCurve: 'P-256' };
    const key = await webcrypto.subtle.importKey('pkcs8', keyDer, importAlg, false, ['sign']);
    return keystoreFromKey(cert, found.certs.filter((c) => c !== cert), key, algorithm);
  }
  if (found.certs.some((c) => c.isGost)) throw gost();
  throw new AppError('SIGN_KEYSTORE_NO_KEY');
}
