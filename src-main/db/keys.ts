/**
 * Keyed hashes that let the database find a record by a personal number without keeping that
 * number in clear in an index.
 *
 * `applicants.number_hash` is HMAC-SHA256(search key, "<kind>:<number>"). The search key is 32
 * random bytes made once per database (table `meta`, key `search_key`). The IIN itself is kept in
 * one column of one table (it must be sent to the registry and the backend) and in no index: the
 * unique index and every look-up by IIN/BIN use the hash. This is pseudonymisation for the indexes,
 * not encryption: someone who holds the whole file holds the key too (see docs/storage.md).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';

const keys = new WeakMap<Database.Database, Buffer>();

/** Creates the search key if the database has none (migration 002 calls this). */
export function ensureSearchKey(db: Database.Database): Buffer {
  db.prepare(`INSERT INTO meta (key, value) VALUES ('search_key', ?) ON CONFLICT (key) DO NOTHING`).run(randomBytes(32).toString('hex'));
  return searchKey(db);
}

export function searchKey(db: Database.Database): Buffer {
  let k = keys.get(db);
  if (!k) {
    const row = db.prepare(`SELECT value FROM meta WHERE key = 'search_key'`).get() as { value: string } | undefined;
    if (!row) throw new Error('the database has no search key (migration 002 not applied)');
    k = Buffer.from(row.value, 'hex');
    keys.set(db, k);
  }
  return k;
}

/** The hash an applicant is found by. `kind` is 'iin' or 'bin'; `number` the 12 digits. */
export function applicantNumberHash(db: Database.Database, kind: string, number: string): string {
  return createHmac('sha256', searchKey(db)).update(`${kind}:${number}`).digest('hex');
}

/** A fact about this workstation kept in `meta` (JSON), e.g. the NCALayer certificate an administrator accepted. */
export function readMeta<T>(db: Database.Database, key: string): T | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : null;
}

export function writeMeta(db: Database.Database, key: string, value: unknown): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
}
