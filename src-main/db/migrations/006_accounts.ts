import type { Migration } from '../migrate.js';

/**
 * Accounts for a real Centre: three roles (operator, supervisor, administrator; the old 'admin'
 * becomes 'administrator'), a forced password change after a reset, and when an account was last
 * changed. The table is rebuilt because SQLite cannot change a CHECK constraint in place
 * (migrate.ts runs the rebuild with foreign keys off and checks them before the commit).
 */
export const migration006: Migration = {
  version: 6,
  name: 'accounts',
  up(db) {
    db.exec(`
      CREATE TABLE operators_new (
        id TEXT PRIMARY KEY,
        login TEXT NOT NULL UNIQUE COLLATE NOCASE,
        full_name TEXT NOT NULL,
        iin TEXT,
        role TEXT NOT NULL CHECK (role IN ('operator', 'supervisor', 'administrator')),
        password_hash TEXT NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
        locked_until TEXT,
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT
      );
      INSERT INTO operators_new (id, login, full_name, iin, role, password_hash, failed_logins, locked_until, disabled, created_at)
        SELECT id, login, full_name, iin, CASE role WHEN 'admin' THEN 'administrator' ELSE role END,
               password_hash, failed_logins, locked_until, disabled, created_at
        FROM operators;
      DROP TABLE operators;
      ALTER TABLE operators_new RENAME TO operators;
    `);
  },
};
