/**
 * P1: log-in, the session, and its idle lock. One session per workstation (one counter, one
 * operator at a time).
 *
 * Log-in: every attempt first takes one from the account's budget in one SQL statement
 * (OperatorStore.reserveAttempt), so parallel wrong passwords are counted one by one and exactly
 * `maxFailedLogins` of them lock the account for LOCKOUT_MINUTES; attempts beyond the budget are
 * not even checked. An unknown login, a disabled account, a locked one and a wrong password all
 * get the same answer (AUTH_INVALID_CREDENTIALS) after the same scrypt work, so a login's
 * existence or state cannot be learned from the answer or its time.
 *
 * Idle lock: the main process's own timer locks the session once the operator has given no input
 * for `auth.idleTimeoutMinutes` (`activity()` is called for the operator's input only, never for the
 * screens' background refreshes); the shell covers the screen at once (event session.locked), every
 * call but unlocking is refused while locked, and the same operator's password unlocks it, back to
 * where they were. Wrong unlock passwords count against the same budget.
 *
 * Every security event goes to the audit trail: log-in, failure, lockout, lock, unlock, log-out,
 * password change.
 */
import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.js';
import { AppError } from '../contract/errors.js';
import type { Operator, Role } from '../contract/model.js';
import { writeTx, type Db } from '../db/database.js';
import type { Logger } from '../host/logger-types.js';
import { OperatorStore, type OperatorRow } from './operator-store.js';
import { assertPasswordPolicy } from './password-policy.js';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './passwords.js';

export const LOCKOUT_MINUTES = 5;

export interface SessionOperator extends Operator {
  iin: string | null;
}

export interface Session {
  operator: SessionOperator;
  startedAt: number;
  lastActivity: number;
  /** Locked by the idle timer: only unlocking (or logging out) is allowed. */
  locked: boolean;
  /** After a reset: only changing the password (or logging out) is allowed. */
  mustChangePassword: boolean;
}

export type SessionEnd = 'logout' | 'idle';

export const DEMO_ACCOUNTS = [
  { login: 'operator', password: 'operator123', fullName: 'Омаров Ерлан Серікұлы', iin: '850315300128', role: 'operator' as const },
  { login: 'admin', password: 'admin123', fullName: 'Әкімші', iin: null, role: 'administrator' as const },
  { login: 'supervisor', password: 'supervisor123', fullName: 'Сейітқали Дана Маратқызы', iin: null, role: 'supervisor' as const },
];

export interface AuthOptions {
  maxFailedLogins: number;
  /** auth.idleTimeoutMinutes, in ms (tests use seconds). */
  idleTimeoutMs: number;
  now: () => Date;
  /** log2 of scrypt's N for new hashes (default: OWASP's 17; lower only in the test stack). */
  hashLogN?: number;
}

export interface AuthHooks {
  /** Runs in the log-in's transaction (with its audit entry): the regulation's P1 event. */
  onLoggedIn?: (operatorId: string) => void;
  onSessionEnded?: (reason: SessionEnd) => void;
  onSessionLocked?: () => void;
}

const toOperator = (r: OperatorRow): SessionOperator => ({ id: r.id, login: r.login, fullName: r.full_name, role: r.role, iin: r.iin });

export class AuthService {
  private session: Session | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  readonly store: OperatorStore;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly opts: AuthOptions,
    private readonly audit: AuditLog | null,
    private readonly hooks: AuthHooks = {},
  ) {
    this.store = new OperatorStore(db);
  }

  /** Creates the demo accounts on an empty operators table (development and tests only). */
  async seedDemoAccounts(): Promise<boolean> {
    if (this.store.count() > 0) return false;
    for (const a of DEMO_ACCOUNTS) {
      this.store.insert({
        id: randomUUID(),
        login: a.login,
        full_name: a.fullName,
        iin: a.iin,
        role: a.role,
        password_hash: await hashPassword(a.password, this.opts.hashLogN),
        must_change_password: 0,
        created_at: this.opts.now().toISOString(),
      });
    }
    this.log.warn({ accounts: DEMO_ACCOUNTS.map((a) => a.login) }, 'demo accounts created (development and tests only)');
    return true;
  }

  /**
   * Checks a login and password; returns the account or throws AUTH_INVALID_CREDENTIALS (the
   * same for every reason). Does not open a session. Audits failures and the lockout.
   */
  async authenticate(login: string, password: string): Promise<OperatorRow> {
    const row = this.store.byLogin(login);
    const now = this.opts.now();
    const attempt = row && !row.disabled ? this.store.reserveAttempt(row.id, now.toISOString(), this.opts.maxFailedLogins) : null;
    if (!row || attempt === null) {
      // Unknown, disabled or locked: the same work and the same answer as a wrong password.
      await verifyPassword(password, await dummyPasswordHash(this.opts.hashLogN));
      this.audit?.append({
        actor: row?.id ?? 'unknown',
        action: 'auth.login_failed',
        data: { reason: !row ? 'unknown' : row.disabled ? 'disabled' : 'locked' },
        personal: row ? null : { login },
      });
      throw new AppError('AUTH_INVALID_CREDENTIALS');
    }
    if (!(await verifyPassword(password, row.password_hash))) {
      const locked = attempt >= this.opts.maxFailedLogins;
      this.audit?.append({ actor: row.id, action: 'auth.login_failed', data: { reason: 'password', attempt } });
      if (locked) {
        this.store.lock(row.id, new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString());
        this.audit?.append({ actor: row.id, action: 'auth.lockout', data: { attempts: attempt, minutes: LOCKOUT_MINUTES } });
      }
      this.log.warn({ operatorId: row.id, attempt, locked }, 'login failed');
      throw new AppError('AUTH_INVALID_CREDENTIALS');
    }
    this.store.loginSucceeded(row.id);
    if (needsRehash(row.password_hash, this.opts.hashLogN)) this.store.rehash(row.id, await hashPassword(password, this.opts.hashLogN));
    return row;
  }

  async login(login: string, password: string): Promise<Session> {
    const row = await this.authenticate(login, password);
    const t = this.opts.now().getTime();
    if (this.session) this.end('logout');
    // The log-in's audit entry and its step event (P1) commit together, before the session opens.
    writeTx(this.db, () => {
      this.audit?.append({ actor: row.id, action: 'auth.login', data: { role: row.role, mustChangePassword: Boolean(row.must_change_password) } });
      this.hooks.onLoggedIn?.(row.id);
    });
    this.session = { operator: toOperator(row), startedAt: t, lastActivity: t, locked: false, mustChangePassword: Boolean(row.must_change_password) };
    this.log.info({ operatorId: row.id }, 'operator logged in');
    this.armIdleTimer();
    return this.session;
  }

  logout(reason: SessionEnd = 'logout'): void {
    this.end(reason);
  }

  private end(reason: SessionEnd): void {
    const s = this.session;
    if (!s) return;
    this.audit?.append({ actor: s.operator.id, action: 'auth.logout', data: { reason } });
    this.log.info({ operatorId: s.operator.id, reason }, 'operator logged out');
    this.session = null;
    this.clearIdleTimer();
    this.hooks.onSessionEnded?.(reason);
  }

  /** The current session (locked or not); locks it first if its idle time has passed. */
  current(): Session | null {
    this.checkIdle();
    return this.session;
  }

  /** The operator's own input (keys, pointer) in the window: the only thing that keeps a session open. */
  activity(): Session | null {
    const s = this.current();
    if (s && !s.locked) s.lastActivity = this.opts.now().getTime();
    return s;
  }

  /** Locks the session now (idle time passed, or the operator stepped away and asked for it). */
  lock(reason: 'idle' | 'operator'): void {
    const s = this.session;
    if (!s || s.locked) return;
    s.locked = true;
    this.clearIdleTimer();
    this.audit?.append({ actor: s.operator.id, action: 'auth.session_locked', data: { reason } });
    this.log.info({ operatorId: s.operator.id, reason }, 'session locked');
    this.hooks.onSessionLocked?.();
  }

  /** The session's own operator's password unlocks it; a wrong one counts against the lockout budget. */
  async unlock(password: string): Promise<Session> {
    const s = this.session;
    if (!s) throw new AppError('UNAUTHENTICATED');
    if (!s.locked) return s;
    try {
      await this.authenticate(s.operator.login, password);
    } catch (e) {
      // Locked out while the session was locked: the session ends, the next operator logs in.
      const row = this.store.byId(s.operator.id);
      if (row?.locked_until && new Date(row.locked_until) > this.opts.now()) this.end('logout');
      throw e;
    }
    if (this.session !== s) throw new AppError('UNAUTHENTICATED');
    s.locked = false;
    s.lastActivity = this.opts.now().getTime();
    this.audit?.append({ actor: s.operator.id, action: 'auth.session_unlocked', data: {} });
    this.armIdleTimer();
    return s;
  }

  /** The logged-in operator changes their own password (required after a reset). */
  async changePassword(current: string, next: string): Promise<Session> {
    const s = this.session;
    if (!s || s.locked) throw new AppError('UNAUTHENTICATED');
    await this.authenticate(s.operator.login, current);
    assertPasswordPolicy(next, s.operator.login);
    if (current === next) throw new AppError('AUTH_PASSWORD_POLICY', { rule: 'same' });
    this.store.setPassword(s.operator.id, await hashPassword(next, this.opts.hashLogN), false, this.opts.now().toISOString());
    s.mustChangePassword = false;
    this.audit?.append({ actor: s.operator.id, action: 'auth.password_changed', subject: s.operator.id, data: {} });
    return s;
  }

  /** An administrator changed this account: the open session follows (role, name) or ends (disabled). */
  accountChanged(id: string): void {
    const s = this.session;
    if (!s || s.operator.id !== id) return;
    const row = this.store.byId(id);
    if (!row || row.disabled) this.end('logout');
    else s.operator = toOperator(row);
  }

  private checkIdle(): void {
    const s = this.session;
    if (s && !s.locked && this.opts.now().getTime() - s.lastActivity >= this.opts.idleTimeoutMs) this.lock('idle');
  }

  /** The main process's own timer: the lock comes on time, whether or not anything calls. */
  private armIdleTimer(): void {
    this.clearIdleTimer();
    const s = this.session;
    if (!s || s.locked) return;
    const due = s.lastActivity + this.opts.idleTimeoutMs - this.opts.now().getTime();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      this.checkIdle();
      if (this.session && !this.session.locked) this.armIdleTimer();
    }, Math.max(50, Math.min(due + 5, 60_000)));
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  close(): void {
    this.clearIdleTimer();
  }
}

export type { Role };
