/**
 * Opening the workstation's store: the database, the file store, the audit trail, the worker and
 * the backups, with every start-up check an operator or administrator needs to be told about:
 *
 *   1. the data directory can be written (STORAGE_READ_ONLY, STORAGE_DISK_FULL);
 *   2. no other Qabyldau (or admin command) uses it (STORAGE_IN_USE);
 *   3. the database opens with its pragmas (STORAGE_LOCKED when another program holds a lock);
 *   4. PRAGMA quick_check passes, in the worker (STORAGE_CORRUPT, naming the newest backup and the
 *      restore command);
 *   5. pending migrations are applied (one transaction);
 *   6. files and rows are reconciled (in the background: the UI does not wait for it).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import { AuditLog } from '../audit/audit-log.js';
import { ContentStore } from '../files/content-store.js';
import { reconcileFiles, type ReconcileReport } from '../files/reconcile.js';
import type { Logger } from '../host/logger-types.js';
import { BackupScheduler, BackupService, listBackups } from './backup.js';
import { fileSealer, type Keyring, type KeySealer, loadKeyring } from '../crypto/keyring.js';
import { keyDirOf, prepareAtRest } from './at-rest.js';
import { openKeyed, type DbKey } from './cipher.js';
import { assertWritableDir, DB_FILE, mapSqliteError, openDatabase, type Db } from './database.js';
import { acquireInstanceLock, type InstanceLock } from './instance-lock.js';
import { applyMigrations, currentVersion } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { StoreWorker } from './worker-client.js';

export interface StoreOptions {
  dataDir: string;
  log: Logger;
  now?: () => Date;
  backup?: { keep: number; intervalHours: number; dir?: string | null };
  /** Start the backup timer (the app does; tests and admin commands usually do not). */
  scheduleBackups?: boolean;
  /** Reconcile files at start, in the background (default true). */
  reconcile?: boolean;
  busyTimeoutMs?: number;
  /** Who holds the instance lock (shown to a second process). */
  holder?: string;
  /**
   * Open beside a running app (an administrator's read-mostly command: backup, integrity, audit
   * verification): no instance lock, no migrations (the app has applied them).
   */
  shared?: boolean;
  /**
   * How the data key is sealed (crypto/keyring.ts): Electron's safeStorage in the Electron shell,
   * the key file's own rights otherwise (the default).
   */
  sealer?: KeySealer;
  /** Where the keyring lives (default `<dataDir>/keys`). */
  keyDir?: string | null;
}

export interface Store {
  dataDir: string;
  dbFile: string;
  db: Db;
  files: ContentStore;
  audit: AuditLog;
  worker: StoreWorker;
  backups: BackupService;
  /** The data keys (database, files); the database is encrypted with the current one. */
  keyring: Keyring;
  /** The start-up reconciliation (resolves when it is done). */
  reconciled: Promise<ReconcileReport | null>;
  integrity(full: boolean): Promise<{ ok: boolean; messages: string[] }>;
  close(): Promise<void>;
}

export const RESTORE_COMMAND = 'npm run admin -- restore --latest';

/** The typed error for a damaged database, naming the newest backup and how to restore it. */
export function corruptError(dataDir: string, backupDir: string, cause?: unknown): AppError {
  const latest = listBackups(backupDir)[0];
  return new AppError(
    'STORAGE_CORRUPT',
    latest ? { backup: latest.name, backupAt: latest.createdAt, command: RESTORE_COMMAND } : { backup: '', backupAt: '', command: '' },
    { cause, detail: latest ? `newest backup ${latest.name}` : 'no backup' },
  );
}

export function backupDirOf(dataDir: string, configured?: string | null): string {
  return configured ?? join(dataDir, 'backups');
}

/** Below this size quick_check takes a few milliseconds: run it inline instead of starting the worker. */
const INLINE_CHECK_BYTES = 4 * 1024 * 1024;

async function quickCheck(db: Db, dbFile: string, worker: StoreWorker): Promise<{ ok: boolean; messages: string[] }> {
  let size: number;
  try {
    size = statSync(dbFile).size;
  } catch {
    size = 0;
  }
  if (size >= INLINE_CHECK_BYTES) return worker.integrity(dbFile, false);
  const rows = db.pragma('quick_check') as Record<string, string>[];
  const messages = rows.map((r) => Object.values(r)[0] ?? '');
  return { ok: messages.length === 1 && messages[0] === 'ok', messages };
}

/**
 * The database key that opens `dbFile`. None does: the file is under another key, or damaged (an
 * encrypted page that fails its check looks the same). When the newest backup opens with our keys,
 * ours are the right keys and the database is damaged: STORAGE_CORRUPT, naming the backup.
 */
function databaseKeyFor(dbFile: string, keyring: Keyring, backupDir: string): DbKey {
  const keys = keyring.databaseKeys();
  try {
    const probe = openKeyed(dbFile, keys);
    probe.db.close();
    return keys.find((k) => k.id === probe.keyId)!;
  } catch (e) {
    if ((e as { code?: string }).code !== 'STORAGE_KEY_WRONG') throw e;
    const newest = listBackups(backupDir)[0];
    if (newest) {
      try {
        openKeyed(newest.file, keys, { readonly: true, fileMustExist: true }, 'backup').db.close();
      } catch {
        throw e;
      }
      throw new AppError('STORAGE_CORRUPT', {}, { cause: e, detail: 'the database does not open with the key its backups open with' });
    }
    throw e;
  }
}

export async function openStore(o: StoreOptions): Promise<Store> {
  const now = o.now ?? (() => new Date());
  const dbFile = join(o.dataDir, DB_FILE);
  const backupDir = backupDirOf(o.dataDir, o.backup?.dir);
  assertWritableDir(o.dataDir);
  const lock: InstanceLock = o.shared ? { release() {} } : acquireInstanceLock(o.dataDir, o.holder ?? 'app');
  const sealer = o.sealer ?? fileSealer;
  const keyDir = keyDirOf(o.dataDir, o.keyDir);
  let keyring: Keyring;
  try {
    // Beside a running app: only read the keys. Otherwise: make them the first time, and encrypt
    // what an older version left in clear (once; crash-safe: db/at-rest.ts).
    keyring = o.shared ? loadKeyring(keyDir, sealer) : await prepareAtRest({ dataDir: o.dataDir, keyDir, backupDir, sealer, log: o.log, now });
  } catch (e) {
    lock.release();
    throw mapSqliteError(e);
  }
  let worker: StoreWorker | null = null;
  let db: Db | null = null;
  try {
    try {
      // The key that opens it: the current one, or the previous one while a rotation is under way.
      const key = databaseKeyFor(dbFile, keyring, backupDir);
      worker = new StoreWorker(key.key.toString('hex'));
      db = openDatabase(dbFile, { migrate: false, busyTimeoutMs: o.busyTimeoutMs, keys: [key] });
    } catch (e) {
      if ((e as { code?: string }).code === 'STORAGE_CORRUPT') throw corruptError(o.dataDir, backupDir, e);
      throw e;
    }
    const check = await quickCheck(db, dbFile, worker).catch((e: unknown) => {
      const mapped = mapSqliteError(e);
      if ((mapped as { code?: string }).code === 'STORAGE_CORRUPT') return { ok: false, messages: ['not a database'], version: -1 };
      throw mapped;
    });
    if (!check.ok) {
      o.log.error({ messages: check.messages.slice(0, 3) }, 'database failed its integrity check');
      throw corruptError(o.dataDir, backupDir);
    }
    if (o.shared) {
      if (currentVersion(db) !== MIGRATIONS.length) throw new AppError('STORAGE_IN_USE');
    } else {
      try {
        const applied = applyMigrations(db, MIGRATIONS);
        if (applied.length) o.log.info({ applied }, 'database migrated');
      } catch (e) {
        throw mapSqliteError(e);
      }
    }
  } catch (e) {
    db?.close();
    await worker?.close();
    lock.release();
    throw e;
  }
  const files = new ContentStore(join(o.dataDir, 'files'), keyring.contentKeys());
  const audit = new AuditLog(db, now);
  const backups = new BackupService(worker, audit, o.log, { dbFile, dir: backupDir, keep: o.backup?.keep ?? 7, now });
  const scheduler = o.scheduleBackups ? new BackupScheduler(backups, o.log, { intervalHours: o.backup?.intervalHours ?? 24, now }) : null;
  scheduler?.start();
  const opened = db;
  const reconciled =
    o.reconcile === false
      ? Promise.resolve(null)
      : reconcileFiles({ db: opened, dbFile, files, worker, audit, log: o.log, now }).catch((e: unknown) => {
          o.log.error({ code: (e as { code?: string }).code ?? 'INTERNAL' }, 'file reconciliation failed');
          return null;
        });
  return {
    dataDir: o.dataDir,
    dbFile,
    db: opened,
    files,
    audit,
    worker,
    backups,
    keyring,
    reconciled,
    integrity: (full) => worker.integrity(dbFile, full),
    async close() {
      scheduler?.stop();
      await reconciled;
      await worker.close();
      if (opened.open) opened.close();
      lock.release();
    },
  };
}

/**
 * The data folder's database on its own connection, opened with the folder's keyring (tools,
 * tests, and administrator commands that work on the raw tables). No lock, no migration of data.
 */
export function openDataDatabase(dataDir: string, o: { keyDir?: string | null; sealer?: KeySealer; migrate?: boolean } = {}): Db {
  const keyring = loadKeyring(keyDirOf(dataDir, o.keyDir), o.sealer ?? fileSealer);
  return openDatabase(join(dataDir, DB_FILE), { migrate: o.migrate ?? false, keys: keyring.databaseKeys() });
}
