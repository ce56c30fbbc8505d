/**
 * Up-only numbered migrations. The database's version is PRAGMA user_version; every pending
 * migration is applied in ONE transaction at start, so a crash or a failing migration leaves the
 * database at its old version, never half-migrated. Each applied migration is also recorded in
 * schema_migrations (when, which name) for support.
 *
 * Some migrations rebuild a table (SQLite cannot change a column's constraints in place). SQLite's
 * documented procedure for that is: foreign keys OFF outside the transaction, rebuild inside it,
 * `PRAGMA foreign_key_check` before the commit, foreign keys back ON. This function does exactly
 * that around every run, so a rebuild can never leave a dangling reference behind.
 */
import type Database from 'better-sqlite3-multiple-ciphers';

export interface Migration {
  version: number;
  name: string;
  up: (db: Database.Database) => void;
}

export function currentVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function applyMigrations(db: Database.Database, migrations: readonly Migration[], target?: number): number[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration numbering has a gap or duplicate at ${m.name}`);
  });
  const from = currentVersion(db);
  const latest = sorted.at(-1)?.version ?? 0;
  if (from > latest) {
    throw new Error(`the database is at version ${from}, newer than this application (${latest}): install the newer version`);
  }
  const pending = sorted.filter((m) => m.version > from && (target === undefined || m.version <= target));
  if (!pending.length) return [];
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      for (const m of pending) {
        m.up(db);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
          m.version,
          m.name,
          new Date().toISOString(),
        );
        db.pragma(`user_version = ${m.version}`);
      }
      const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
      if (broken.length) {
        const first = broken[0]!;
        throw new Error(`migration left ${broken.length} dangling reference(s), first in ${first.table} → ${first.parent}`);
      }
    })();
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
  return pending.map((m) => m.version);
}
