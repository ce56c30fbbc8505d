/**
 * The workstation's data key and the keys derived from it.
 *
 * One random 32-byte data key per generation. From it, with HKDF-SHA256:
 *   - the database key (SQLCipher raw key): info "qabyldau/v1/database";
 *   - the files key (content-cipher.ts):    info "qabyldau/v1/files".
 *
 * The keyring file (`<keyDir>/keyring.json`) holds each generation's data key *sealed* by a
 * KeySealer: Electron's safeStorage (DPAPI on Windows, the OS keyring on Linux) in the Electron
 * shell, or the file's own rights (0600, owned by the service account; checked) in the browser
 * host. It is written by temporary name + fsync + rename, so a crash leaves the old or the new
 * keyring, never half of one. Generations other than `current` are kept while a key rotation is
 * under way (some files are still under the old key) and after an `import-key` (a backup from
 * another workstation); `rotate-key` finishes by dropping every generation but the new one.
 *
 * Secrets beside the keys (the backend client key's password) are sealed the same way.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { ContentKeys } from './content-cipher.js';
import { assertPrivateDir, assertPrivateFile } from './rights.js';

export const KEYRING_FILE = 'keyring.json';
const FORMAT = 'qabyldau.keyring/1';

/** Seals a secret for this OS account (or machine); `kind` is recorded beside each sealed value. */
export interface KeySealer {
  readonly kind: 'file' | 'safeStorage';
  seal(secret: Buffer): Buffer;
  unseal(sealed: Buffer): Buffer;
}

/** The browser host's sealer: the key file's rights protect it (see docs/encryption.md). */
export const fileSealer: KeySealer = {
  kind: 'file',
  seal: (s) => Buffer.from(s),
  unseal: (s) => Buffer.from(s),
};

interface StoredKey {
  id: string;
  createdAt: string;
  sealing: KeySealer['kind'];
  sealed: string;
}

interface KeyringFile {
  format: typeof FORMAT;
  current: string;
  /** A rotation is under way: items may still be under the other keys. */
  rotating?: boolean;
  keys: StoredKey[];
  secrets?: Record<string, { sealing: KeySealer['kind']; sealed: string }>;
}

export interface DataKey {
  id: string;
  createdAt: string;
  key: Buffer;
}

function derive(key: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), Buffer.from(info), 32));
}

export function databaseKeyOf(k: DataKey): Buffer {
  return derive(k.key, 'qabyldau/v1/database');
}

export function filesKeyOf(k: DataKey): Buffer {
  return derive(k.key, 'qabyldau/v1/files');
}

export function newDataKey(now: Date): DataKey {
  return { id: randomBytes(8).toString('hex'), createdAt: now.toISOString(), key: randomBytes(32) };
}

export class Keyring {
  constructor(
    readonly file: string,
    readonly sealer: KeySealer,
    /** Current first. */
    readonly keys: DataKey[],
    private secrets: Record<string, { sealing: KeySealer['kind']; sealed: string }> = {},
    readonly rotating = false,
  ) {
    if (!keys.length) throw new Error('a keyring needs a key');
  }

  get current(): DataKey {
    return this.keys[0]!;
  }

  /** Database keys to try, current first. */
  databaseKeys(): { id: string; key: Buffer }[] {
    return this.keys.map((k) => ({ id: k.id, key: databaseKeyOf(k) }));
  }

  contentKeys(): ContentKeys {
    return { current: this.current.id, keys: Object.fromEntries(this.keys.map((k) => [k.id, filesKeyOf(k)])) };
  }

  secret(name: string): Buffer | null {
    const s = this.secrets[name];
    if (!s) return null;
    return unsealWith(this.sealer, s.sealing, Buffer.from(s.sealed, 'base64'), 'secret');
  }

  /** A copy with `keys` (current first) and the same secrets; not yet saved. */
  withKeys(keys: DataKey[], rotating = this.rotating): Keyring {
    return new Keyring(this.file, this.sealer, keys, { ...this.secrets }, rotating);
  }

  withSecret(name: string, value: Buffer | null): Keyring {
    const secrets = { ...this.secrets };
    if (value) secrets[name] = { sealing: this.sealer.kind, sealed: this.sealer.seal(value).toString('base64') };
    else delete secrets[name];
    return new Keyring(this.file, this.sealer, this.keys, secrets, this.rotating);
  }

  /** Writes the keyring durably (temporary name, fsync, rename, fsync of the folder). */
  save(): void {
    const body: KeyringFile = {
      format: FORMAT,
      current: this.current.id,
      ...(this.rotating ? { rotating: true } : {}),
      keys: this.keys.map((k) => ({ id: k.id, createdAt: k.createdAt, sealing: this.sealer.kind, sealed: this.sealer.seal(k.key).toString('base64') })),
      ...(Object.keys(this.secrets).length ? { secrets: this.secrets } : {}),
    };
    writeDurably(this.file, `${JSON.stringify(body, null, 2)}\n`);
  }
}

function unsealWith(sealer: KeySealer, sealing: KeySealer['kind'], sealed: Buffer, what: string): Buffer {
  if (sealing !== sealer.kind) throw new AppError('STORAGE_KEY_UNREADABLE', { what, reason: `sealed-by-${sealing}` });
  try {
    return sealer.unseal(sealed);
  } catch (e) {
    throw new AppError('STORAGE_KEY_UNREADABLE', { what, reason: 'unseal-failed' }, { cause: e });
  }
}

export function keyringPath(keyDir: string): string {
  return join(keyDir, KEYRING_FILE);
}

export function keyringExists(keyDir: string): boolean {
  return existsSync(keyringPath(keyDir));
}

/** Reads the keyring; STORAGE_KEY_MISSING when there is none, STORAGE_KEY_UNREADABLE when it cannot be opened. */
export function loadKeyring(keyDir: string, sealer: KeySealer): Keyring {
  const file = keyringPath(keyDir);
  if (!existsSync(file)) throw new AppError('STORAGE_KEY_MISSING', { what: 'keyring' });
  assertPrivateDir(keyDir);
  assertPrivateFile(file);
  let parsed: KeyringFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as KeyringFile;
  } catch (e) {
    throw new AppError('STORAGE_KEY_UNREADABLE', { what: 'keyring', reason: 'not-json' }, { cause: e });
  }
  if (parsed?.format !== FORMAT || !Array.isArray(parsed.keys) || !parsed.keys.length) {
    throw new AppError('STORAGE_KEY_UNREADABLE', { what: 'keyring', reason: 'format' });
  }
  const keys = parsed.keys.map((k): DataKey => {
    const key = unsealWith(sealer, k.sealing, Buffer.from(k.sealed, 'base64'), 'keyring');
    if (key.length !== 32 || !/^[0-9a-f]{16}$/.test(k.id)) throw new AppError('STORAGE_KEY_UNREADABLE', { what: 'keyring', reason: 'format' });
    return { id: k.id, createdAt: k.createdAt, key };
  });
  keys.sort((a, b) => (a.id === parsed.current ? -1 : b.id === parsed.current ? 1 : 0));
  if (keys[0]!.id !== parsed.current) throw new AppError('STORAGE_KEY_UNREADABLE', { what: 'keyring', reason: 'format' });
  return new Keyring(file, sealer, keys, parsed.secrets ?? {}, parsed.rotating === true);
}

/** A new keyring with one fresh data key, saved. */
export function createKeyring(keyDir: string, sealer: KeySealer, now: Date): Keyring {
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  assertPrivateDir(keyDir);
  const k = new Keyring(keyringPath(keyDir), sealer, [newDataKey(now)]);
  k.save();
  return k;
}

export function writeDurably(file: string, text: string): void {
  const part = `${file}.part`;
  try {
    const fd = openSync(part, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(part, file);
  } catch (e) {
    rmSync(part, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new AppError('STORAGE_DISK_FULL', {}, { cause: e });
    throw e;
  }
  if (process.platform !== 'win32') {
    const fd = openSync(join(file, '..'), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
