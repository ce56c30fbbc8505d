/**
 * A password-protected copy of the workstation's data keys, for restoring a backup on another
 * workstation (or under another OS account, whose safeStorage cannot unseal this one's keyring).
 *
 *   { format: "qabyldau.key-export/1", kdf: { name: "scrypt", N, r, p, salt }, iv, tag, data }
 *
 * data = AES-256-GCM(scrypt(password), JSON [{ id, createdAt, key }]), the header fields bound as
 * associated data. A wrong password or a changed file fails the tag: STORAGE_KEY_EXPORT_PASSWORD.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { AppError } from '../contract/errors.js';
import type { DataKey } from './keyring.js';

const FORMAT = 'qabyldau.key-export/1';
const N = 2 ** 17;
const R = 8;
const P = 1;
export const MIN_PASSWORD_LENGTH = 12;

interface ExportFile {
  format: typeof FORMAT;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  iv: string;
  tag: string;
  data: string;
}

function kek(password: Buffer, kdf: ExportFile['kdf']): Buffer {
  return scryptSync(password, Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 });
}

function aadOf(f: Pick<ExportFile, 'format' | 'kdf'>): Buffer {
  return Buffer.from(JSON.stringify([f.format, f.kdf]));
}

export function exportKeys(keys: DataKey[], password: Buffer): string {
  if (password.length < MIN_PASSWORD_LENGTH) throw new AppError('STORAGE_KEY_EXPORT_PASSWORD', { reason: 'too-short', min: MIN_PASSWORD_LENGTH });
  const kdf = { name: 'scrypt' as const, N, r: R, p: P, salt: randomBytes(16).toString('base64') };
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek(password, kdf), iv);
  c.setAAD(aadOf({ format: FORMAT, kdf }));
  const plain = Buffer.from(JSON.stringify(keys.map((k) => ({ id: k.id, createdAt: k.createdAt, key: k.key.toString('base64') }))));
  const data = Buffer.concat([c.update(plain), c.final()]);
  plain.fill(0);
  const out: ExportFile = { format: FORMAT, kdf, iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function importKeys(text: string, password: Buffer): DataKey[] {
  let f: ExportFile;
  try {
    f = JSON.parse(text) as ExportFile;
  } catch (e) {
    throw new AppError('STORAGE_KEY_EXPORT_PASSWORD', { reason: 'not-an-export' }, { cause: e });
  }
  if (f?.format !== FORMAT || f.kdf?.name !== 'scrypt' || f.kdf.N > 2 ** 20 || f.kdf.r > 32 || f.kdf.p > 16) {
    throw new AppError('STORAGE_KEY_EXPORT_PASSWORD', { reason: 'not-an-export' });
  }
  const d = createDecipheriv('aes-256-gcm', kek(password, f.kdf), Buffer.from(f.iv, 'base64'));
  d.setAAD(aadOf(f));
  d.setAuthTag(Buffer.from(f.tag, 'base64'));
  let plain: Buffer;
  try {
    plain = Buffer.concat([d.update(Buffer.from(f.data, 'base64')), d.final()]);
  } catch (e) {
    throw new AppError('STORAGE_KEY_EXPORT_PASSWORD', { reason: 'wrong-password' }, { cause: e });
  }
  const list = JSON.parse(plain.toString('utf8')) as { id: string; createdAt: string; key: string }[];
  plain.fill(0);
  return list.map((k) => ({ id: k.id, createdAt: k.createdAt, key: Buffer.from(k.key, 'base64') }));
}
