/**
 * One process at a time on a data directory: the app, or an administrator's restore/retention.
 *
 * The lock is an OS file lock held through SQLite on a tiny side file (`qabyldau.lock`) opened in
 * EXCLUSIVE locking mode: it works the same on Windows (LockFileEx) and POSIX (fcntl), is released
 * by the OS when the holder dies (no stale lock after a crash or a power cut), and needs nothing
 * beyond better-sqlite3.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../contract/errors.js';
import { mapSqliteError } from './database.js';

export const LOCK_FILE = 'qabyldau.lock';

export interface InstanceLock {
  release(): void;
}

export function acquireInstanceLock(dataDir: string, holder: string): InstanceLock {
  let db: Database.Database;
  try {
    db = new Database(join(dataDir, LOCK_FILE));
  } catch (e) {
    throw mapSqliteError(e);
  }
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = DELETE');
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock; EXCLUSIVE mode keeps it until the connection closes.
    db.exec(`CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), what TEXT, pid INTEGER, since TEXT)`);
    db.prepare('INSERT OR REPLACE INTO holder (id, what, pid, since) VALUES (1, ?, ?, ?)').run(holder, process.pid, new Date().toISOString());
  } catch (e) {
    db.close();
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) throw new AppError('STORAGE_IN_USE', {}, { cause: e });
    throw mapSqliteError(e);
  }
  return {
    release: () => {
      if (db.open) db.close();
    },
  };
}
