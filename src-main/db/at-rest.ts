/**
 * Encryption at rest of everything in the data directory: the keyring, the one-time encryption of
 * an older (clear) workstation's data, and key rotation. docs/encryption.md explains the design.
 *
 * Both the first encryption and a rotation rewrite one item at a time (the database, each backup,
 * each kept damaged database, each stored file) into a temporary file that is complete, checked
 * and fsync'd before it is renamed over the original. A SIGKILL, a power cut or a full disk at
 * any moment leaves every item either as it was or done, each readable with a key the keyring
 * holds (a rotation keeps the old key until the last item is rewritten), and running again
 * finishes the job. Temporary files left by a crash are removed first; they are never read.
 */
import { closeSync, createReadStream, existsSync, openSync, readFileSync, readdirSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../contract/errors.js';
import { HEADER_BYTES, isSealed, MAGIC, readSealedFile, Sealer } from '../crypto/content-cipher.js';
import { createKeyring, type DataKey, type KeySealer, type Keyring, keyringExists, loadKeyring, newDataKey, writeDurably } from '../crypto/keyring.js';
import { ensurePrivateDir } from '../crypto/rights.js';
import { ContentStore } from '../files/content-store.js';
import type { Logger } from '../host/logger-types.js';
import { listBackups } from './backup.js';
import { copyDatabase, CURRENT_SCHEME, isClearSqlite, openKeyed, type CipherScheme, type DbKey } from './cipher.js';
import { DB_FILE } from './database.js';
import { fsyncDirSync } from './fs-durable.js';

export const ENCRYPTED_MARK = 'encrypted-at-rest.json';
const PART = '.rekey-part';

export interface AtRestPaths {
  dataDir: string;
  keyDir: string;
  backupDir: string;
}

export function keyDirOf(dataDir: string, configured?: string | null): string {
  return configured ?? join(dataDir, 'keys');
}

/** Every database file the data folder keeps: the live one, the backups, the damaged ones kept by restore. */
function databaseFiles(p: AtRestPaths): string[] {
  const out = [join(p.dataDir, DB_FILE), ...listBackups(p.backupDir).map((b) => b.file)];
  const damaged = join(p.dataDir, 'damaged');
  for (const stamp of readdirSafe(damaged)) {
    const f = join(damaged, stamp, DB_FILE);
    if (existsSync(f)) out.push(f);
  }
  return out.filter((f) => existsSync(f) && statSync(f).size > 0);
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Temporary files of an interrupted write: removed, never read (some may hold clear bytes). */
function removeLeftovers(p: AtRestPaths): void {
  for (const f of databaseFiles(p)) rmSync(f + PART, { force: true });
  for (const dir of [p.dataDir, p.backupDir]) {
    for (const n of readdirSafe(dir)) if (n.endsWith(PART) || n.endsWith('.sqlite.part') || n.endsWith('.restore-part')) rmSync(join(dir, n), { force: true });
  }
  // Clear page spools of scans and slot PDFs being assembled when the app stopped.
  rmSync(join(p.dataDir, 'scan-spool'), { recursive: true, force: true });
  rmSync(join(p.dataDir, 'files', 'tmp'), { recursive: true, force: true });
}

function anyEncryptedData(p: AtRestPaths, files: string[]): boolean {
  if (databaseFiles(p).some((f) => !isClearSqlite(f))) return true;
  return files.length > 0 && files.some((f) => sealedOnDisk(f));
}

function sealedOnDisk(file: string): boolean {
  try {
    return isSealed(readAt(file, 0, MAGIC.length));
  } catch {
    return false;
  }
}

function readAt(file: string, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    const n = readSync(fd, buf, 0, length, position);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Rewrites one database file (clear, or under an older key) under `dest`, via a temporary file
 * renamed over it. A clear database in WAL mode is first folded into its main file.
 */
function rewriteDatabase(file: string, from: Buffer | null, dest: DbKey, fromScheme: CipherScheme = CURRENT_SCHEME): void {
  const part = file + PART;
  rmSync(part, { force: true });
  foldWal(file, from);
  try {
    copyDatabase(file, from, part, dest.key, fromScheme);
    renameSync(part, file);
    fsyncDirSync(join(file, '..'));
  } catch (e) {
    rmSync(part, { force: true });
    const code = (e as { code?: string }).code ?? '';
    if (code === 'ENOSPC' || code === 'SQLITE_FULL') throw new AppError('STORAGE_DISK_FULL', {}, { cause: e });
    throw e;
  }
  for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true });
}

/** Checkpoints the WAL into the main file and leaves the file in rollback mode (one self-contained file). */
function foldWal(file: string, key: Buffer | null): void {
  if (!existsSync(`${file}-wal`) && (key !== null || !isWalFlagged(file))) return;
  const db = key ? openKeyed(file, [{ id: 'k', key }]).db : new Database(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

/** A clear database whose header says WAL mode (bytes 18 and 19 are 2). */
function isWalFlagged(file: string): boolean {
  const b = readAt(file, 18, 2);
  return b[0] === 2 || b[1] === 2;
}

/** Rewrites one stored file under the current files key (from clear, or from an older key). */
async function resealFile(file: string, store: { keys: ReturnType<Keyring['contentKeys']> }, clear: boolean): Promise<void> {
  const part = file + PART;
  await rm(part, { force: true });
  const sealer = new Sealer(store.keys);
  const fh = await open(part, 'w', 0o600);
  try {
    if (clear) {
      for await (const chunk of createReadStream(file)) {
        const out = sealer.push(chunk as Buffer);
        if (out.length) await fh.write(out);
      }
    } else {
      await fh.write(sealer.push(await readSealedFile(file, store.keys)));
    }
    await fh.write(sealer.finish());
    await fh.sync();
    await fh.close();
    await rename(part, file);
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(part, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new AppError('STORAGE_DISK_FULL', {}, { cause: e });
    throw e;
  }
}

async function storedFiles(dataDir: string): Promise<string[]> {
  const store = new ContentStore(join(dataDir, 'files'));
  return (await store.list()).map((h) => store.pathOf(h));
}

/** The key id in a sealed file's header, or null for a clear file. */
function keyIdOfFile(file: string): string | null {
  const b = readAt(file, 0, HEADER_BYTES);
  if (b.length < HEADER_BYTES || !isSealed(b)) return null;
  return b.subarray(8, 16).toString('hex');
}

/** Brings every item under the keyring's current key (clear ones and older-key ones). */
async function bringUnderCurrentKey(p: AtRestPaths, keyring: Keyring, log: Logger): Promise<{ databases: number; files: number }> {
  const dbKeys = keyring.databaseKeys();
  const current = dbKeys[0]!;
  let databases = 0;
  for (const f of databaseFiles(p)) {
    if (isClearSqlite(f)) {
      rewriteDatabase(f, null, current);
      databases++;
      continue;
    }
    let keyId: string;
    let scheme: CipherScheme;
    try {
      const opened = openKeyed(f, dbKeys, {}, f === join(p.dataDir, DB_FILE) ? 'database' : 'backup');
      opened.db.close();
      keyId = opened.keyId;
      scheme = opened.scheme;
    } catch (e) {
      // The live database must open; a backup under a key this workstation does not hold (copied
      // from another one) is left as it is: restoring it needs that key imported first.
      if ((e as { code?: string }).code === 'STORAGE_KEY_WRONG' && f !== join(p.dataDir, DB_FILE)) {
        log.warn({ file: basename(f) }, 'a backup does not open with this workstation\'s keys: left as it is');
        continue;
      }
      throw e;
    }
    // Under an older key, or in the older page scheme (SQLCipher 4: see cipher.ts): rewritten.
    if (keyId !== current.id || scheme !== CURRENT_SCHEME) {
      rewriteDatabase(f, dbKeys.find((k) => k.id === keyId)!.key, current, scheme);
      databases++;
    }
  }
  const content = { keys: keyring.contentKeys() };
  let files = 0;
  for (const f of await storedFiles(p.dataDir)) {
    const id = keyIdOfFile(f);
    if (id === keyring.current.id) continue;
    await resealFile(f, content, id === null);
    files++;
  }
  if (files) fsyncDirSync(join(p.dataDir, 'files'));
  if (databases || files) log.info({ databases, files }, 'data brought under the current key');
  return { databases, files };
}

/** The page scheme the mark says everything was brought under (none: SQLCipher 4, the first version's). */
function markedScheme(mark: string): string {
  try {
    return (JSON.parse(readFileSync(mark, 'utf8')) as { scheme?: string }).scheme ?? 'sqlcipher';
  } catch {
    return 'unknown';
  }
}

export interface OpenKeysOptions extends AtRestPaths {
  sealer: KeySealer;
  log: Logger;
  now: () => Date;
}

/**
 * Loads the keyring (or makes the first one) and, the first time, encrypts whatever an older
 * version left in clear. Runs with the instance lock held. Never creates a key beside encrypted
 * data: a missing keyring there is STORAGE_KEY_MISSING (an empty database would hide the data).
 */
export async function prepareAtRest(o: OpenKeysOptions): Promise<Keyring> {
  ensurePrivateDir(o.dataDir);
  if (existsSync(o.backupDir)) ensurePrivateDir(o.backupDir);
  removeLeftovers(o);
  let keyring: Keyring;
  if (keyringExists(o.keyDir)) {
    keyring = loadKeyring(o.keyDir, o.sealer);
  } else {
    if (anyEncryptedData(o, await storedFiles(o.dataDir))) throw new AppError('STORAGE_KEY_MISSING', { what: 'keyring' });
    keyring = createKeyring(o.keyDir, o.sealer, o.now());
    o.log.info({ sealing: o.sealer.kind }, 'data key created');
  }
  const mark = join(o.dataDir, ENCRYPTED_MARK);
  const dbFile = join(o.dataDir, DB_FILE);
  if (!existsSync(mark) || isClearSqlite(dbFile) || markedScheme(mark) !== CURRENT_SCHEME) {
    const done = await bringUnderCurrentKey(o, keyring, o.log);
    writeDurably(mark, `${JSON.stringify({ completedAt: o.now().toISOString(), scheme: CURRENT_SCHEME, ...done })}\n`);
  }
  return keyring;
}

/**
 * Key rotation (the app stopped): a new data key becomes current (the old one stays in the
 * keyring, marked rotating), every item is rewritten under it, then the old key is dropped.
 * Interrupted, it is resumed by running it again (the keyring says a rotation is under way).
 */
export async function rotateKey(o: OpenKeysOptions): Promise<{ keyId: string; databases: number; files: number; dropped: string[] }> {
  removeLeftovers(o);
  let keyring = loadKeyring(o.keyDir, o.sealer);
  if (!keyring.rotating) {
    const fresh: DataKey = newDataKey(o.now());
    keyring = keyring.withKeys([fresh, ...keyring.keys], true);
    keyring.save();
    o.log.info({ keyId: fresh.id }, 'key rotation started');
  }
  const done = await bringUnderCurrentKey(o, keyring, o.log);
  const dropped = keyring.keys.slice(1).map((k) => k.id);
  keyring.withKeys([keyring.current], false).save();
  o.log.info({ keyId: keyring.current.id, dropped }, 'key rotation finished');
  return { keyId: keyring.current.id, ...done, dropped };
}

