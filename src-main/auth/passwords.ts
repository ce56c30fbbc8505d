/**
 * Password hashing with scrypt (node:crypto): memory-hard, no native dependency (Argon2id, OWASP's
 * first choice, would need one). Cost at OWASP's Password Storage Cheat Sheet minimum for scrypt:
 * N = 2^17, r = 8 (1024-byte blocks), p = 1, i.e. 128 MiB of memory per hash.
 * Stored form: scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>, so parameters can be raised later and
 * old hashes still verify; `needsRehash` tells the log-in to store a stronger hash.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const SCRYPT_LOG_N = 17;
export const SCRYPT_N = 1 << SCRYPT_LOG_N;
export const SCRYPT_R = 8;
export const SCRYPT_P = 1;
const KEYLEN = 32;
/** Hashes at once: each holds 128 MiB while it runs (libuv's pool runs 4 anyway). */
const MAX_PARALLEL = 4;

let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((r) => waiting.push(r));
  running += 1;
  try {
    return await fn();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions & { N: number; r: number }): Promise<Buffer> {
  return slot(
    () =>
      new Promise((resolve, reject) => {
        scryptCb(password.normalize('NFC'), salt, keylen, { ...opts, maxmem: 129 * opts.N * opts.r + 1024 * 1024 }, (err, key) =>
          err ? reject(err) : resolve(key),
        );
      }),
  );
}

/**
 * `logN` below SCRYPT_LOG_N only for the test stack (HostOptions.passwordHashLogN), where hundreds
 * of log-ins at 128 MiB each would swamp a shared CI machine; the app always uses the default.
 */
export async function hashPassword(password: string, logN = SCRYPT_LOG_N): Promise<string> {
  const salt = randomBytes(16);
  const n = 1 << logN;
  const key = await scrypt(password, salt, KEYLEN, { N: n, r: SCRYPT_R, p: SCRYPT_P });
  return ['scrypt', n, SCRYPT_R, SCRYPT_P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0) || n > 1 << 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await scrypt(password, salt, expected.length, { N: n, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** True when a stored hash is weaker than today's parameters (it is replaced at the next log-in). */
export function needsRehash(stored: string, logN = SCRYPT_LOG_N): boolean {
  const [, n, r, p] = stored.split('$').map(Number);
  return !(n! >= 1 << logN && r! >= SCRYPT_R && p! >= SCRYPT_P);
}

/** A hash to compare against when the login does not exist, so both paths take the same time. */
const dummyHashes = new Map<number, Promise<string>>();
export function dummyPasswordHash(logN = SCRYPT_LOG_N): Promise<string> {
  let h = dummyHashes.get(logN);
  if (!h) dummyHashes.set(logN, (h = hashPassword(randomBytes(16).toString('hex'), logN)));
  return h;
}
