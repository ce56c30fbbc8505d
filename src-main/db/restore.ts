/**
 * Restoring the database from a backup, with the app stopped (the instance lock proves it):
 *   1. the backup passes a full integrity_check and is not newer than this application;
 *   2. the current database (and its -wal/-shm) is moved aside to <dataDir>/damaged/<stamp>/,
 *      never deleted;
 *   3. the backup is copied to a temporary name (re-encrypted under the current data key: a backup
 *      made under an older key, or on another workstation whose exported key was imported, is
 *      restored too), fsync'd, renamed into place, the folder fsync'd;
 *   4. the restored database is opened (and migrated if the backup is older), the restore is
 *      written to its audit trail, and files are reconciled (requests created after the backup
 *      leave orphan files, which are reported).
 * Requests sent after the backup was taken are queued again by the restored outbox with the same
 * idempotency keys: the backend answers with the registrations it already gave (no duplicates).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../contract/errors.js';
import type { Logger } from '../host/logger-types.js';
import type { ReconcileReport } from '../files/reconcile.js';
import { createKeyring, fileSealer, type KeySealer, keyringExists, loadKeyring } from '../crypto/keyring.js';
import { keyDirOf } from './at-rest.js';
import { type CipherScheme, copyDatabase, CURRENT_SCHEME, type DbKey, isClearSqlite, openKeyed } from './cipher.js';
import { DB_FILE, mapSqliteError } from './database.js';
import { fileStamp, fsyncDirSync } from './fs-durable.js';
import { acquireInstanceLock } from './instance-lock.js';
import { MIGRATIONS } from './migrations/index.js';
import { openStore } from './store.js';

export interface RestoreReport {
  restoredFrom: string;
  /** Where the replaced database was kept (null when there was none). */
  keptAs: string | null;
  backupVersion: number;
  reconcile: ReconcileReport | null;
}

/**
 * Full integrity check of a backup file, on its own read-only connection, with the first of `keys`
 * that opens it (STORAGE_KEY_WRONG when none does); `keyId` is null for a clear (older) backup.
 */
export function checkBackup(file: string, keys: DbKey[] = []): { version: number; keyId: string | null; scheme: CipherScheme } {
  if (!existsSync(file)) throw new AppError('STORAGE_BACKUP_NOT_FOUND', { file: basename(file) });
  let db: Database.Database | null = null;
  let keyId: string | null = null;
  let scheme: CipherScheme = CURRENT_SCHEME;
  try {
    if (isClearSqlite(file) || !keys.length) {
      db = new Database(file, { readonly: true, fileMustExist: true });
    } else {
      const opened = openKeyed(file, keys, { readonly: true, fileMustExist: true }, 'backup');
      db = opened.db;
      keyId = opened.keyId;
      scheme = opened.scheme;
    }
    const rows = db.pragma('integrity_check') as Record<string, string>[];
    const ok = rows.length === 1 && Object.values(rows[0]!)[0] === 'ok';
    if (!ok) throw new AppError('STORAGE_BACKUP_CORRUPT', { file: basename(file) });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) throw new AppError('STORAGE_BACKUP_TOO_NEW', { file: basename(file), version });
    return { version, keyId, scheme };
  } catch (e) {
    if (e instanceof AppError && e.code !== 'STORAGE_CORRUPT') throw e;
    const mapped = mapSqliteError(e);
    if ((mapped as { code?: string }).code === 'STORAGE_CORRUPT') throw new AppError('STORAGE_BACKUP_CORRUPT', { file: basename(file) }, { cause: e });
    throw mapped;
  } finally {
    db?.close();
  }
}

export async function restoreDatabase(p: {
  dataDir: string;
  backupFile: string;
  log: Logger;
  now?: () => Date;
  actor?: string;
  sealer?: KeySealer;
  keyDir?: string | null;
}): Promise<RestoreReport> {
  const now = p.now ?? (() => new Date());
  const sealer = p.sealer ?? fileSealer;
  const keyDir = keyDirOf(p.dataDir, p.keyDir);
  const keyring = keyringExists(keyDir) ? loadKeyring(keyDir, sealer) : createKeyring(keyDir, sealer, now());
  const keys = keyring.databaseKeys();
  const { version, keyId, scheme } = checkBackup(p.backupFile, keys);
  const lock = acquireInstanceLock(p.dataDir, 'restore');
  const target = join(p.dataDir, DB_FILE);
  let keptAs: string | null = null;
  try {
    if (existsSync(target)) {
      const damagedDir = join(p.dataDir, 'damaged', fileStamp(now()));
      mkdirSync(damagedDir, { recursive: true, mode: 0o700 });
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(target + suffix)) renameSync(target + suffix, join(damagedDir, DB_FILE + suffix));
      }
      fsyncDirSync(damagedDir);
      keptAs = join(damagedDir, DB_FILE);
    }
    const part = `${target}.restore-part`;
    try {
      rmSync(part, { force: true });
      copyDatabase(p.backupFile, keyId === null ? null : keys.find((k) => k.id === keyId)!.key, part, keys[0]!.key, scheme);
      renameSync(part, target);
      fsyncDirSync(p.dataDir);
    } catch (e) {
      rmSync(part, { force: true });
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'SQLITE_FULL') throw new AppError('STORAGE_DISK_FULL', {}, { cause: e });
      throw e;
    }
  } finally {
    lock.release();
  }
  const store = await openStore({ dataDir: p.dataDir, log: p.log, now, holder: 'restore', sealer, keyDir: p.keyDir ?? null });
  try {
    store.audit.append({
      actor: p.actor ?? 'admin',
      action: 'admin.restore',
      data: { from: basename(p.backupFile), backupVersion: version, keptAs: keptAs ? basename(join(keptAs, '..')) : null },
    });
    const reconcile = await store.reconciled;
    p.log.warn({ from: basename(p.backupFile), keptAs: keptAs !== null }, 'database restored from a backup');
    return { restoredFrom: p.backupFile, keptAs, backupVersion: version, reconcile };
  } finally {
    await store.close();
  }
}
