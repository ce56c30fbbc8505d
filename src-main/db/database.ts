/**
 * The workstation's SQLite database (better-sqlite3), one file in the data directory.
 * (docs/storage.md explains every choice below at more length.)
 *
 * Pragmas:
 * - journal_mode=WAL: readers never block the writer, and a crash leaves a consistent database.
 * - synchronous=FULL: in WAL mode, NORMAL may lose the last commits on a power cut (the WAL is not
 *   synced at each commit). Every commit here acknowledges something to the operator ("saved",
 *   "signed", "queued"), so each must survive a power cut: FULL syncs the WAL on every commit.
 * - foreign_keys=ON, busy_timeout so another process holding a lock is waited for, then reported.
 *
 * One writer: this connection, owned by the main process. The store opens it encrypted (cipher.ts).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../contract/errors.js';
import { openKeyed, type DbKey } from './cipher.js';
import { applyMigrations } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Skip migrations (tests that build a database at an older version). */
  migrate?: boolean;
  busyTimeoutMs?: number;
  /**
   * The database keys to try, current first (db/cipher.ts): the file is encrypted. Without keys the
   * file is clear SQLite (tools and tests that work on a bare schema; the store always passes keys).
   */
  keys?: DbKey[];
}

export const DB_FILE = 'qabyldau.sqlite';

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  let db: Db;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    db = options.keys ? openKeyed(file, options.keys).db : new Database(file);
  } catch (e) {
    throw mapSqliteError(e);
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    if (options.migrate !== false) applyMigrations(db, MIGRATIONS);
  } catch (e) {
    db.close();
    throw mapSqliteError(e);
  }
  return db;
}

/** Maps SQLite failures an operator or administrator can meet to typed errors. */
export function mapSqliteError(e: unknown): unknown {
  if (e instanceof AppError) return e;
  const code = (e as { code?: string } | undefined)?.code ?? '';
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError('STORAGE_LOCKED', {}, { cause: e, retryable: true });
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return new AppError('STORAGE_DISK_FULL', {}, { cause: e });
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES') {
    return new AppError('STORAGE_READ_ONLY', {}, { cause: e });
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new AppError('STORAGE_CORRUPT', {}, { cause: e });
  }
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_CANTOPEN')) return new AppError('STORAGE_CANNOT_OPEN', {}, { cause: e });
  return e;
}

/** Runs `fn` in one write transaction (IMMEDIATE: the write lock is taken at BEGIN), mapping SQLite failures to typed errors. */
export function writeTx<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  try {
    return db.transaction(fn).immediate();
  } catch (e) {
    throw mapSqliteError(e);
  }
}

/**
 * A write transaction whose commit does not wait for the disk (`synchronous = NORMAL` for this one
 * commit): atomic as any other, durable with the next commit that syncs (any other commit does,
 * and a sync of the WAL covers every frame before it), and lost to a power cut before that. Only
 * for a record the workstation can learn again from the backend and that nobody was promised (the
 * sync engine's registration of a submission: still `sent`, it goes again with the same idempotency
 * key and gets the same number). Joins the caller's transaction when there is one.
 */
export function writeTxUnsynced<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  const before = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = NORMAL');
  try {
    return writeTx(db, fn);
  } finally {
    db.pragma(`synchronous = ${before}`);
  }
}

/**
 * A write transaction as durable as any other when the promise resolves, without holding up the
 * event loop for the disk: committed with `synchronous = NORMAL`, then the WAL file fsync'd in
 * libuv's thread pool. That fsync is exactly what `synchronous = FULL` does inside a WAL commit;
 * better-sqlite3 does it on the calling thread, so every socket of the process (the uploads of the
 * other requests in flight) waits meanwhile. Outside WAL mode (or joined to the caller's
 * transaction) it is writeTx. A sync that fails is the disk failing: STORAGE_* like a commit.
 */
export async function writeTxDurable<T>(db: Db, fn: () => T): Promise<T> {
  if (db.inTransaction || db.memory || db.pragma('journal_mode', { simple: true }) !== 'wal') return writeTx(db, fn);
  const out = writeTxUnsynced(db, fn);
  try {
    const fh = await open(`${db.name}-wal`, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw mapSqliteError(e);
  }
  return out;
}

/**
 * Proves the data directory can be written: creates, fsyncs and removes a probe file. An access
 * check is not enough (root passes every permission check; a read-only mount refuses root too).
 */
export function assertWritableDir(dir: string): void {
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fd = openSync(probe, 'w', 0o600);
    try {
      writeSync(fd, 'probe');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    rmSync(probe, { force: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new AppError('STORAGE_DISK_FULL', {}, { cause: e });
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') throw new AppError('STORAGE_READ_ONLY', {}, { cause: e });
    throw e;
  }
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A prepared statement, compiled once per connection and reused (better-sqlite3 compiles on every
 * `prepare`; the store's hot paths run the same few dozen statements on every commit).
 */
export function prep(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql);
    cache.set(sql, s);
  }
  return s;
}
