/**
 * The database's encryption: SQLite3 Multiple Ciphers (better-sqlite3-multiple-ciphers, the
 * better-sqlite3 API over an SQLite built with page encryption) in its AEGIS-256 scheme: an
 * authenticated cipher (a 256-bit nonce and a 128-bit tag per page: a changed byte makes the page
 * unreadable, never silently different) that runs on the CPU's AES instructions. The key is a raw
 * 32-byte key (no passphrase KDF: it is already random), derived from the workstation's data key
 * (crypto/keyring.ts).
 *
 * Databases of the version before were written in the SQLCipher 4 scheme (AES-256-CBC and an
 * HMAC-SHA512 per page: the HMAC, computed in software, cost a commit ~1.2-1.6x a clear one; see
 * docs/encryption.md "Cost"). They still open (openKeyed tries both), and the first start of this
 * version rewrites them in AEGIS the crash-safe way key rotation does (db/at-rest.ts).
 *
 * `copyDatabase` writes a database into a new file under another key (or from a clear file): the
 * one-time encryption of an older workstation's database and key rotation use it, always into a
 * temporary file that is renamed over the original only once it is complete, checked and fsync'd.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../contract/errors.js';
import { fsyncFile } from './fs-durable.js';

export type SqliteDb = Database.Database;

/** A database key: 32 raw bytes (and which data-key generation it came from). */
export interface DbKey {
  id: string;
  key: Buffer;
}

/** The page encryption schemes: the current one first. */
export type CipherScheme = 'aegis' | 'sqlcipher';
export const CURRENT_SCHEME: CipherScheme = 'aegis';
const SCHEME_PRAGMAS: Record<CipherScheme, string[]> = {
  aegis: [`cipher = 'aegis'`, `algorithm = 'aegis-256'`],
  sqlcipher: [`cipher = 'sqlcipher'`, 'legacy = 4'],
};

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** True when the file is a clear (unencrypted) SQLite database. */
export function isClearSqlite(file: string): boolean {
  if (!existsSync(file)) return false;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    return n === 16 && head.equals(SQLITE_MAGIC);
  } finally {
    closeSync(fd);
  }
}

function keyLiteral(key: Buffer): string {
  if (key.length !== 32) throw new Error('a database key is 32 bytes');
  return `"x'${key.toString('hex')}'"`;
}

/** Sets the cipher and the key on a fresh connection (before anything else reads the file). */
export function applyKey(db: SqliteDb, key: Buffer, scheme: CipherScheme = CURRENT_SCHEME): void {
  for (const p of SCHEME_PRAGMAS[scheme]) db.pragma(p);
  db.pragma(`key = ${keyLiteral(key)}`);
}

function readable(db: SqliteDb): boolean {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return true;
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return false;
    throw e;
  }
}

/**
 * Opens `file` with the first of `keys` that reads it (current key first; an older one while a
 * rotation is under way). A new file gets the first key. None reads it: STORAGE_KEY_WRONG.
 */
export function openKeyed(
  file: string,
  keys: DbKey[],
  options: Database.Options = {},
  what: 'database' | 'backup' = 'database',
): { db: SqliteDb; keyId: string; scheme: CipherScheme } {
  const fresh = !existsSync(file);
  for (const scheme of fresh ? [CURRENT_SCHEME] : (['aegis', 'sqlcipher'] as const)) {
    for (const k of keys) {
      const db = new Database(file, options);
      try {
        applyKey(db, k.key, scheme);
        if (readable(db)) return { db, keyId: k.id, scheme };
      } catch (e) {
        db.close();
        throw e;
      }
      db.close();
    }
  }
  // An encrypted database's first page is ciphertext (near-uniform bytes); anything else was never
  // one of ours under any key: damaged, not a database.
  if (!looksEncrypted(file)) throw new AppError('STORAGE_CORRUPT', {}, { detail: `${basename(file)} is not an encrypted database` });
  throw new AppError('STORAGE_KEY_WRONG', { what, file: basename(file) });
}

/** True when the file's first page looks like ciphertext (at least 1 KiB, most byte values present). */
export function looksEncrypted(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    if (n < 1024) return false;
    return new Set(head.subarray(0, n)).size >= 128;
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies every table, index, view and trigger (and user_version) of `source` (clear when
 * `sourceKey` is null) into the new file `dest` encrypted with `destKey`, in one transaction,
 * then checks the copy (quick_check, row counts) and fsyncs it. The caller renames it into place.
 * A database copied this way never exists in clear on disk.
 */
export function copyDatabase(source: string, sourceKey: Buffer | null, dest: string, destKey: Buffer, sourceScheme: CipherScheme = CURRENT_SCHEME): void {
  if (existsSync(dest)) throw new Error(`${basename(dest)} exists`);
  const out = new Database(dest);
  try {
    applyKey(out, destKey);
    out.pragma('foreign_keys = OFF');
    // The cipher settings in force when a database is attached are the ones it is read with.
    if (sourceKey) for (const p of SCHEME_PRAGMAS[sourceScheme]) out.pragma(p);
    out.exec(`ATTACH DATABASE ${quote(source)} AS src KEY ${sourceKey ? keyLiteral(sourceKey) : "''"}`);
    const objects = out
      .prepare(`SELECT type, name, sql FROM src.sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid`)
      .all() as { type: string; name: string; sql: string }[];
    const tables = objects.filter((o) => o.type === 'table');
    const counts = new Map<string, number>();
    out.transaction(() => {
      for (const t of tables) out.exec(t.sql);
      for (const t of tables) {
        out.exec(`INSERT INTO main.${ident(t.name)} SELECT * FROM src.${ident(t.name)}`);
        counts.set(t.name, (out.prepare(`SELECT count(*) AS n FROM src.${ident(t.name)}`).get() as { n: number }).n);
      }
      const hasSeq = out.prepare(`SELECT 1 FROM src.sqlite_master WHERE name = 'sqlite_sequence'`).get();
      if (hasSeq) {
        out.exec('DELETE FROM main.sqlite_sequence');
        out.exec('INSERT INTO main.sqlite_sequence SELECT * FROM src.sqlite_sequence');
      }
      for (const o of objects) if (o.type !== 'table') out.exec(o.sql);
      const version = out.pragma('src.user_version', { simple: true }) as number;
      out.pragma(`main.user_version = ${Number(version)}`);
      const appId = out.pragma('src.application_id', { simple: true }) as number;
      out.pragma(`main.application_id = ${Number(appId)}`);
    })();
    out.exec('DETACH DATABASE src');
    const check = out.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new AppError('STORAGE_CORRUPT', {}, { detail: `copy failed its check: ${String(check)}` });
    for (const [name, n] of counts) {
      const got = (out.prepare(`SELECT count(*) AS n FROM main.${ident(name)}`).get() as { n: number }).n;
      if (got !== n) throw new AppError('STORAGE_CORRUPT', {}, { detail: `copy of ${name} has ${got} rows, not ${n}` });
    }
  } finally {
    out.close();
  }
  fsyncFile(dest);
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function ident(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}
