/**
 * The sandbox's own SQLite file: the registries (seeded at every start), uploads, submissions
 * and the provider's decisions. WAL with synchronous=FULL: what the sandbox answered survives a
 * kill, so a restarted sandbox still knows every registration and every chunk it confirmed.
 */
import { existsSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { ENTITIES, INDIVIDUALS, POWERS_OF_ATTORNEY, REFUSED_APPLICANTS } from './registry-seed.js';

export type SandboxDb = Database.Database;

/**
 * The sandbox's schema version. The sandbox holds test data only: a file made by an older sandbox
 * is set aside (renamed, not deleted) and a fresh one is made, instead of being migrated.
 */
export const SANDBOX_SCHEMA_VERSION = 2;

export function openSandboxDb(file: string, log: (msg: string) => void = () => {}): SandboxDb {
  let db = new Database(file);
  const version = db.pragma('user_version', { simple: true }) as number;
  const hasTables = (db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n > 0;
  if (hasTables && version !== SANDBOX_SCHEMA_VERSION) {
    db.close();
    const aside = `${file}.v${version}-${Date.now()}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
    }
    log(`the sandbox database was made by an older sandbox (schema ${version}): set aside as ${aside}, starting afresh`);
    db = new Database(file);
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS individuals (iin TEXT PRIMARY KEY, full_name TEXT NOT NULL, birth_date TEXT NOT NULL, status TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS entities (bin TEXT PRIMARY KEY, name TEXT NOT NULL, head TEXT NOT NULL, address TEXT NOT NULL,
      registered_at TEXT NOT NULL, status TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS powers_of_attorney (number TEXT PRIMARY KEY, issued_at TEXT NOT NULL, valid_until TEXT NOT NULL,
      notary TEXT NOT NULL, principal_kind TEXT NOT NULL, principal_number TEXT NOT NULL, principal_name TEXT NOT NULL,
      representative_iin TEXT NOT NULL, representative_name TEXT NOT NULL, powers TEXT NOT NULL, revoked INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS documents (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, chunk_size INTEGER NOT NULL,
      complete INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, completed_at TEXT);
    CREATE TABLE IF NOT EXISTS chunks (sha256 TEXT NOT NULL, idx INTEGER NOT NULL, size INTEGER NOT NULL, chunk_sha256 TEXT NOT NULL,
      PRIMARY KEY (sha256, idx));
    CREATE TABLE IF NOT EXISTS submissions (
      idempotency_key TEXT PRIMARY KEY, registration_number TEXT NOT NULL UNIQUE, content_sha256 TEXT NOT NULL,
      manifest_sha256 TEXT NOT NULL, workstation_id TEXT NOT NULL, client_cert TEXT, centre_bin TEXT NOT NULL,
      service_id TEXT NOT NULL, sub_service_id TEXT, applicant_kind TEXT NOT NULL, applicant_number TEXT NOT NULL,
      applicant_name TEXT NOT NULL, manifest BLOB NOT NULL, cms BLOB NOT NULL, documents_json TEXT NOT NULL,
      received_at TEXT NOT NULL, decide_at TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'registered',
      decided_at TEXT, refusal_json TEXT, result_sha256 TEXT, result_size INTEGER, result_cms BLOB,
      issued_at TEXT, issued_reported_at TEXT, deliveries INTEGER NOT NULL DEFAULT 1);
    CREATE INDEX IF NOT EXISTS submissions_manifest ON submissions (manifest_sha256);
    CREATE INDEX IF NOT EXISTS submissions_pending ON submissions (status, decide_at);
    CREATE TABLE IF NOT EXISTS outcome_rules (applicant_number TEXT PRIMARY KEY, outcome TEXT NOT NULL, reasons_json TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
  `);
  db.pragma(`user_version = ${SANDBOX_SCHEMA_VERSION}`);
  seed(db);
  return db;
}

function seed(db: SandboxDb): void {
  db.transaction(() => {
    const ins = db.prepare('INSERT OR REPLACE INTO individuals VALUES (?, ?, ?, ?)');
    for (const p of INDIVIDUALS) ins.run(p.iin, p.fullName, p.birthDate, p.status);
    const insE = db.prepare('INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?, ?)');
    for (const e of ENTITIES) insE.run(e.bin, e.name, e.head, e.address, e.registeredAt, e.status);
    const insP = db.prepare('INSERT OR REPLACE INTO powers_of_attorney VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const p of POWERS_OF_ATTORNEY) {
      insP.run(p.number, p.issuedAt, p.validUntil, p.notary, p.principal.kind, p.principal.number, p.principal.name,
        p.representative.iin, p.representative.name, p.powers, p.revoked ? 1 : 0);
    }
    const insO = db.prepare("INSERT OR IGNORE INTO outcome_rules VALUES (?, 'refuse', ?)");
    for (const [number, reasons] of Object.entries(REFUSED_APPLICANTS)) insO.run(number, JSON.stringify(reasons));
  })();
}

/** Increments a named counter and returns its new value (inside the caller's transaction, if any). */
export function nextCounter(db: SandboxDb, name: string): number {
  db.prepare('INSERT INTO counters (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING').run(name);
  db.prepare('UPDATE counters SET value = value + 1 WHERE name = ?').run(name);
  return (db.prepare('SELECT value FROM counters WHERE name = ?').get(name) as { value: number }).value;
}
