/**
 * The two commit modes beside writeTx (src-main/db/database.ts), on a real SQLite file in WAL mode:
 * writeTxDurable (committed, then the WAL fsync'd off the event loop) and writeTxUnsynced (one commit
 * that does not wait for the disk). Both leave the connection's synchronous = FULL for every other
 * commit, also when the transaction throws, and join a transaction already open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, writeTx, writeTxDurable, writeTxUnsynced, type Db } from '../../../src-main/db/database.js';

const FULL = 2;
let dir = '';
let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
  rmSync(dir, { recursive: true, force: true });
});

function open(): Db {
  dir = mkdtempSync(join(tmpdir(), 'qab-commit-'));
  db = openDatabase(join(dir, 'q.sqlite'), { migrate: false });
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  return db;
}
const rows = (d: Db) => d.prepare('SELECT k, v FROM t ORDER BY k').all();
const sync = (d: Db) => d.pragma('synchronous', { simple: true });

describe('commit modes', () => {
  it('writeTxDurable commits (a second connection sees it), returns the value, and leaves synchronous = FULL', async () => {
    const d = open();
    expect(d.pragma('journal_mode', { simple: true })).toBe('wal');
    const out = await writeTxDurable(d, () => {
      d.prepare('INSERT INTO t VALUES (1, ?)').run('a');
      return 'done';
    });
    expect(out).toBe('done');
    expect(sync(d)).toBe(FULL);
    const other = openDatabase(join(dir, 'q.sqlite'), { migrate: false });
    try {
      expect(rows(other)).toEqual([{ k: 1, v: 'a' }]);
    } finally {
      other.close();
    }
  });

  it('a transaction that throws commits nothing and still restores synchronous = FULL (both modes)', async () => {
    const d = open();
    await expect(
      writeTxDurable(d, () => {
        d.prepare('INSERT INTO t VALUES (1, ?)').run('a');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(() =>
      writeTxUnsynced(d, () => {
        d.prepare('INSERT INTO t VALUES (2, ?)').run('b');
        d.prepare('INSERT INTO t VALUES (2, ?)').run('again');
      }),
    ).toThrow(/UNIQUE/);
    expect(rows(d)).toEqual([]);
    expect(sync(d)).toBe(FULL);
  });

  it('joins the caller’s transaction: its rollback takes them back', () => {
    const d = open();
    expect(() =>
      writeTx(d, () => {
        writeTxUnsynced(d, () => d.prepare('INSERT INTO t VALUES (1, ?)').run('a'));
        throw new Error('outer fails');
      }),
    ).toThrow('outer fails');
    expect(rows(d)).toEqual([]);
    writeTxUnsynced(d, () => d.prepare('INSERT INTO t VALUES (3, ?)').run('c'));
    expect(rows(d)).toEqual([{ k: 3, v: 'c' }]);
    expect(sync(d)).toBe(FULL);
  });
});
