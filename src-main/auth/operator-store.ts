/**
 * The operators table's owner: every SQL statement on `operators` lives here (accounts, log-in,
 * lockout). The lockout counter is kept by single UPDATE … RETURNING statements, so parallel
 * attempts can never read the same count and both write it back.
 */
import type { Db } from '../db/database.js';
import { prep } from '../db/database.js';
import type { Role } from '../contract/model.js';

export interface OperatorRow {
  id: string;
  login: string;
  full_name: string;
  iin: string | null;
  role: Role;
  password_hash: string;
  failed_logins: number;
  locked_until: string | null;
  disabled: number;
  must_change_password: number;
  created_at: string;
  updated_at: string | null;
}

export class OperatorStore {
  constructor(private readonly db: Db) {}

  count(): number {
    return (prep(this.db, 'SELECT COUNT(*) AS n FROM operators').get() as { n: number }).n;
  }

  byLogin(login: string): OperatorRow | undefined {
    return prep(this.db, 'SELECT * FROM operators WHERE login = ?').get(login) as OperatorRow | undefined;
  }

  byId(id: string): OperatorRow | undefined {
    return prep(this.db, 'SELECT * FROM operators WHERE id = ?').get(id) as OperatorRow | undefined;
  }

  list(): OperatorRow[] {
    return prep(this.db, 'SELECT * FROM operators ORDER BY disabled, role, login').all() as OperatorRow[];
  }

  /** Enabled administrators other than `exceptId`. */
  otherActiveAdministrators(exceptId: string): number {
    return (
      prep(this.db, "SELECT COUNT(*) AS n FROM operators WHERE role = 'administrator' AND disabled = 0 AND id <> ?").get(exceptId) as { n: number }
    ).n;
  }

  insert(r: Pick<OperatorRow, 'id' | 'login' | 'full_name' | 'iin' | 'role' | 'password_hash' | 'must_change_password' | 'created_at'>): void {
    prep(
      this.db,
      `INSERT INTO operators (id, login, full_name, iin, role, password_hash, must_change_password, created_at)
       VALUES (@id, @login, @full_name, @iin, @role, @password_hash, @must_change_password, @created_at)`,
    ).run(r);
  }

  /**
   * Takes one attempt from the account's budget, atomically: counts it as failed up front and
   * answers its number, or null when the account is locked (or the attempts already running use
   * the whole budget). A right password gives it back (`loginSucceeded`).
   */
  reserveAttempt(id: string, nowIso: string, max: number): number | null {
    const row = prep(
      this.db,
      `UPDATE operators SET failed_logins = failed_logins + 1
       WHERE id = ? AND disabled = 0 AND (locked_until IS NULL OR locked_until <= ?) AND failed_logins < ?
       RETURNING failed_logins`,
    ).get(id, nowIso, max) as { failed_logins: number } | undefined;
    return row ? row.failed_logins : null;
  }

  /** Locks the account until `untilIso` and starts a fresh budget for after it. */
  lock(id: string, untilIso: string): void {
    prep(this.db, 'UPDATE operators SET locked_until = ?, failed_logins = 0 WHERE id = ?').run(untilIso, id);
  }

  loginSucceeded(id: string): void {
    prep(this.db, 'UPDATE operators SET failed_logins = 0, locked_until = NULL WHERE id = ?').run(id);
  }

  setPassword(id: string, hash: string, mustChange: boolean, nowIso: string): void {
    prep(
      this.db,
      'UPDATE operators SET password_hash = ?, must_change_password = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?',
    ).run(hash, mustChange ? 1 : 0, nowIso, id);
  }

  /** Replaces the hash only (a stronger one for the same password), nothing else. */
  rehash(id: string, hash: string): void {
    prep(this.db, 'UPDATE operators SET password_hash = ? WHERE id = ?').run(hash, id);
  }

  update(id: string, f: { full_name: string; iin: string | null; role: Role }, nowIso: string): void {
    prep(this.db, 'UPDATE operators SET full_name = ?, iin = ?, role = ?, updated_at = ? WHERE id = ?').run(f.full_name, f.iin, f.role, nowIso, id);
  }

  setDisabled(id: string, disabled: boolean, nowIso: string): void {
    prep(this.db, 'UPDATE operators SET disabled = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?').run(disabled ? 1 : 0, nowIso, id);
  }
}
