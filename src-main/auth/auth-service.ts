/**
 * P1: operator log-in. One session per workstation (one counter, one operator at a time), ended
 * by log-out or after the configured idle time. After maxFailedLogins wrong passwords in a row the
 * account is locked for a few minutes.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../contract/errors.js';
import type { Operator } from '../contract/model.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../host/logger-types.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.js';

export const LOCKOUT_MINUTES = 5;

interface OperatorRow {
  id: string;
  login: string;
  full_name: string;
  iin: string | null;
  role: 'operator' | 'admin';
  password_hash: string;
  failed_logins: number;
  locked_until: string | null;
  disabled: number;
}

export interface Session {
  operator: Operator & { iin: string | null };
  startedAt: number;
  lastActivity: number;
}

export const DEMO_ACCOUNTS = [
  { login: 'operator', password: 'operator123', fullName: 'Омаров Ерлан Серікұлы', iin: '850315300128', role: 'operator' as const },
  { login: 'admin', password: 'admin123', fullName: 'Әкімші', iin: null, role: 'admin' as const },
];

export class AuthService {
  private session: Session | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly opts: { maxFailedLogins: number; idleTimeoutMinutes: number; now: () => Date },
    private readonly onSessionEnded: (reason: 'logout' | 'idle') => void = () => {},
  ) {}

  /** Creates the demo accounts on an empty operators table (development and training only). */
  async seedDemoAccounts(): Promise<boolean> {
    const count = (this.db.prepare('SELECT COUNT(*) AS n FROM operators').get() as { n: number }).n;
    if (count > 0) return false;
    for (const a of DEMO_ACCOUNTS) await this.createOperator(a);
    this.log.warn({ accounts: DEMO_ACCOUNTS.map((a) => a.login) }, 'demo accounts created: disable auth.seedDemoAccounts in production');
    return true;
  }

  async createOperator(a: { login: string; password: string; fullName: string; iin: string | null; role: 'operator' | 'admin' }): Promise<string> {
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO operators (id, login, full_name, iin, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, a.login, a.fullName, a.iin, a.role, await hashPassword(a.password), this.opts.now().toISOString());
    return id;
  }

  /** Checks a login and password; returns the operator or throws a typed error. Does not open a session. */
  async authenticate(login: string, password: string): Promise<Session['operator']> {
    const row = this.db.prepare('SELECT * FROM operators WHERE login = ?').get(login) as OperatorRow | undefined;
    const now = this.opts.now();
    if (!row || row.disabled) {
      await verifyPassword(password, await dummyPasswordHash());
      throw new AppError('AUTH_INVALID_CREDENTIALS');
    }
    if (row.locked_until && new Date(row.locked_until) > now) {
      throw new AppError('AUTH_LOCKED_OUT', { minutes: LOCKOUT_MINUTES });
    }
    if (!(await verifyPassword(password, row.password_hash))) {
      const failed = row.failed_logins + 1;
      const lock = failed >= this.opts.maxFailedLogins ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
      this.db
        .prepare('UPDATE operators SET failed_logins = ?, locked_until = ? WHERE id = ?')
        .run(lock ? 0 : failed, lock, row.id);
      this.log.warn({ operatorId: row.id, failed, locked: Boolean(lock) }, 'login failed');
      if (lock) throw new AppError('AUTH_LOCKED_OUT', { minutes: LOCKOUT_MINUTES });
      throw new AppError('AUTH_INVALID_CREDENTIALS');
    }
    this.db.prepare('UPDATE operators SET failed_logins = 0, locked_until = NULL WHERE id = ?').run(row.id);
    return { id: row.id, login: row.login, fullName: row.full_name, role: row.role, iin: row.iin };
  }

  async login(login: string, password: string): Promise<Session['operator']> {
    const operator = await this.authenticate(login, password);
    const t = this.opts.now().getTime();
    this.session = { operator, startedAt: t, lastActivity: t };
    this.log.info({ operatorId: operator.id }, 'operator logged in');
    return operator;
  }

  logout(reason: 'logout' | 'idle' = 'logout'): void {
    if (!this.session) return;
    this.log.info({ operatorId: this.session.operator.id, reason }, 'operator logged out');
    this.session = null;
    this.onSessionEnded(reason);
  }

  /** The current session, ended first if it has been idle too long. Touches it when `touch`. */
  current(touch = false): Session | null {
    if (!this.session) return null;
    const t = this.opts.now().getTime();
    if (t - this.session.lastActivity > this.opts.idleTimeoutMinutes * 60_000) {
      this.logout('idle');
      return null;
    }
    if (touch) this.session.lastActivity = t;
    return this.session;
  }
}
