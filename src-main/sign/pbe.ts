/**
 * Password-based decryption and MAC for PKCS#12 (RFC 7292), on Node's crypto.
 *
 * Two families occur in real keystores:
 * - PBES2 (PKCS#5 v2.1: PBKDF2 + AES-CBC or 3DES-CBC): what OpenSSL 3 and recent tools write;
 * - the PKCS#12 legacy PBEs (1.2.840.113549.1.12.1.*: SHA-1 + 3DES or RC2-40/128) with the PKCS#12
 *   key derivation of RFC 7292 Appendix B: what older national-CA files, Java keytool and
 *   `openssl pkcs12 -legacy` write. RC2 is not in Node's default OpenSSL provider (nor in Electron's
 *   BoringSSL), so that one block cipher comes from node-forge.
 *
 * The password is taken as UTF-8 bytes and every derived buffer is zeroed after use.
 */
import { createDecipheriv, createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import forge from 'node-forge';
import { OID } from './oids.js';

export class PbeError extends Error {
  constructor(readonly kind: 'unsupported' | 'decrypt', message: string) {
    super(message);
  }
}

const HASHES: Record<string, { name: string; u: number; v: number }> = {
  [OID.sha1]: { name: 'sha1', u: 20, v: 64 },
  [OID.sha256]: { name: 'sha256', u: 32, v: 64 },
  [OID.sha384]: { name: 'sha384', u: 48, v: 128 },
  [OID.sha512]: { name: 'sha512', u: 64, v: 128 },
};

const PBKDF2_PRFS: Record<string, string> = {
  [OID.hmacWithSha1]: 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const PBES2_CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};

/** PKCS#12 legacy PBE schemes, all with SHA-1 in the key derivation. */
const PKCS12_PBES: Record<string, { cipher: 'des-ede3-cbc' | 'des-ede-cbc' | 'rc2'; keyLength: number; rc2Bits?: number }> = {
  '1.2.840.113549.1.12.1.3': { cipher: 'des-ede3-cbc', keyLength: 24 },
  '1.2.840.113549.1.12.1.4': { cipher: 'des-ede-cbc', keyLength: 16 },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2', keyLength: 16, rc2Bits: 128 },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2', keyLength: 5, rc2Bits: 40 },
};

export function isPkcs12Pbe(oid: string): boolean {
  return oid in PKCS12_PBES;
}

/**
 * The password as a PKCS#12 BMPString: UTF-16BE with a two-byte terminator, decoded from UTF-8 bytes
 * without going through a JS string (which could not be wiped).
 */
export function bmpPassword(utf8: Uint8Array): Buffer {
  const out = Buffer.alloc(utf8.byteLength * 4 + 2);
  let o = 0;
  for (let i = 0; i < utf8.byteLength; ) {
    const b0 = utf8[i] ?? 0;
    let cp: number;
    let len: number;
    if (b0 < 0x80) [cp, len] = [b0, 1];
    else if (b0 >> 5 === 0x6) [cp, len] = [b0 & 0x1f, 2];
    else if (b0 >> 4 === 0xe) [cp, len] = [b0 & 0x0f, 3];
    else [cp, len] = [b0 & 0x07, 4];
    for (let k = 1; k < len; k++) cp = (cp << 6) | ((utf8[i + k] ?? 0) & 0x3f);
    i += len;
    if (cp > 0xffff) {
      const c = cp - 0x10000;
      out.writeUInt16BE(0xd800 + (c >> 10), o);
      out.writeUInt16BE(0xdc00 + (c & 0x3ff), o + 2);
      o += 4;
    } else {
      out.writeUInt16BE(cp, o);
      o += 2;
    }
  }
  o += 2; // the terminating 00 00 (already zero)
  const result = Buffer.from(out.subarray(0, o));
  out.fill(0);
  return result;
}

/** RFC 7292 Appendix B.2 key derivation. `id` 1 = key, 2 = IV, 3 = MAC key. */
export function pkcs12Kdf(hashOid: string, bmpPass: Uint8Array, salt: Uint8Array, iterations: number, id: 1 | 2 | 3, n: number): Buffer {
  const h = HASHES[hashOid];
  if (!h) throw new PbeError('unsupported', `hash ${hashOid}`);
  const { u, v } = h;
  const fill = (src: Uint8Array): Buffer => {
    if (src.byteLength === 0) return Buffer.alloc(0);
    const len = v * Math.ceil(src.byteLength / v);
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.byteLength] ?? 0;
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt), fill(bmpPass)]);
  const result = Buffer.alloc(Math.ceil(n / u) * u);
  for (let block = 0; block * u < n; block++) {
    let A = createHash(h.name).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(h.name).update(A).digest();
    A.copy(result, block * u);
    if ((block + 1) * u >= n) break;
    const B = Buffer.alloc(v);
    for (let i = 0; i < v; i++) B[i] = A[i % u] ?? 0;
    for (let j = 0; j < I.byteLength; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = (I[j + k] ?? 0) + (B[k] ?? 0) + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  I.fill(0);
  const out = Buffer.from(result.subarray(0, n));
  result.fill(0);
  return out;
}

/** Checks the PKCS#12 MAC (HMAC keyed by the password) over the authenticated safe. */
export function verifyPkcs12Mac(
  hashOid: string,
  bmpPass: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  data: Uint8Array,
  expected: Uint8Array,
): boolean {
  const h = HASHES[hashOid];
  if (!h) throw new PbeError('unsupported', `MAC hash ${hashOid}`);
  const key = pkcs12Kdf(hashOid, bmpPass, salt, iterations, 3, h.u);
  try {
    const mac = createHmac(h.name, key).update(data).digest();
    return mac.byteLength === expected.byteLength && timingSafeEqual(mac, expected);
  } finally {
    key.fill(0);
  }
}

function decipher(name: string, key: Buffer, iv: Buffer, data: Uint8Array): Buffer {
  try {
    const d = createDecipheriv(name, key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch (e) {
    throw new PbeError('decrypt', (e as Error).message);
  }
}

function rc2Decrypt(key: Buffer, bits: number, iv: Buffer, data: Uint8Array): Buffer {
  const cipher = forge.rc2.createDecryptionCipher(forge.util.createBuffer(key.toString('binary')), bits);
  cipher.start(forge.util.createBuffer(iv.toString('binary')));
  cipher.update(forge.util.createBuffer(Buffer.from(data).toString('binary')));
  if (!cipher.finish()) throw new PbeError('decrypt', 'bad padding');
  return Buffer.from(cipher.output.getBytes(), 'binary');
}

/** Decrypts with a PKCS#12 legacy PBE (params: salt, iterations). */
export function decryptPkcs12Pbe(oid: string, utf8Pass: Uint8Array, salt: Uint8Array, iterations: number, data: Uint8Array): Buffer {
  const scheme = PKCS12_PBES[oid];
  if (!scheme) throw new PbeError('unsupported', `PBE ${oid}`);
  const bmp = bmpPassword(utf8Pass);
  const key = pkcs12Kdf(OID.sha1, bmp, salt, iterations, 1, scheme.keyLength);
  const iv = pkcs12Kdf(OID.sha1, bmp, salt, iterations, 2, 8);
  bmp.fill(0);
  try {
    if (scheme.cipher === 'rc2') return rc2Decrypt(key, scheme.rc2Bits ?? 128, iv, data);
    return decipher(scheme.cipher, key, iv, data);
  } finally {
    key.fill(0);
  }
}

export interface Pbes2Params {
  kdfOid: string;
  salt: Uint8Array;
  iterations: number;
  keyLength?: number;
  prfOid?: string;
  cipherOid: string;
  iv: Uint8Array;
}

/** Decrypts with PBES2 (PBKDF2 + a CBC cipher). The PBKDF2 password is the raw UTF-8 bytes. */
export function decryptPbes2(p: Pbes2Params, utf8Pass: Uint8Array, data: Uint8Array): Buffer {
  if (p.kdfOid !== OID.pbkdf2) throw new PbeError('unsupported', `KDF ${p.kdfOid}`);
  const prf = PBKDF2_PRFS[p.prfOid ?? OID.hmacWithSha1];
  const cipher = PBES2_CIPHERS[p.cipherOid];
  if (!prf || !cipher) throw new PbeError('unsupported', `PBES2 ${p.prfOid ?? ''} ${p.cipherOid}`);
  const key = pbkdf2Sync(utf8Pass, p.salt, p.iterations, p.keyLength ?? cipher.keyLength, prf);
  try {
    return decipher(cipher.name, key, Buffer.from(p.iv), data);
  } finally {
    key.fill(0);
  }
}
