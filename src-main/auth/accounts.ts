/**
 * Accounts, as a Centre's administrator manages them: create, edit (name, role, IIN), disable and
 * re-enable, reset a password (the account must change it at its next log-in). The settings
 * screen (through the contract) and `npm run admin -- users …` both call this service, so the
 * rules are written once:
 * - an operator's account carries the IIN their signing certificate must match (checked when
 *   signing: SIGN_CERT_IIN_MISMATCH); a supervisor's or administrator's IIN is optional;
 * - the last enabled administrator cannot be disabled or lose the role;
 * - passwords follow the policy (password-policy.ts);
 * - every change is in the audit trail with the actor (role changes as their own entries).
 *
 * First start of a real installation: no accounts. `firstAdministrator` creates the first
 * administrator with a one-time bootstrap token that only someone at the machine can read (a file
 * in the data directory, readable by the app's account only, and printed by the shell on start);
 * the token is deleted when used. The admin command needs no token (whoever runs it can open the
 * data directory anyway).
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditLog } from '../audit/audit-log.js';
import { AppError } from '../contract/errors.js';
import { isValidIdn } from '../contract/idn.js';
import type { Role } from '../contract/model.js';
import type { OperatorRow, OperatorStore } from './operator-store.js';
import { assertPasswordPolicy } from './password-policy.js';
import { hashPassword } from './passwords.js';

export const BOOTSTRAP_TOKEN_FILE = 'first-administrator.token';

export interface AccountView {
  id: string;
  login: string;
  fullName: string;
  role: Role;
  iin: string | null;
  disabled: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string | null;
}

export interface NewAccount {
  login: string;
  fullName: string;
  role: Role;
  iin: string | null;
  password: string;
}

export interface AccountEdit {
  fullName: string;
  role: Role;
  iin: string | null;
}

const LOGIN = /^[A-Za-z0-9._-]{3,64}$/;

export function accountView(r: OperatorRow): AccountView {
  return {
    id: r.id,
    login: r.login,
    fullName: r.full_name,
    role: r.role,
    iin: r.iin,
    disabled: Boolean(r.disabled),
    mustChangePassword: Boolean(r.must_change_password),
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class AccountService {
  constructor(
    private readonly store: OperatorStore,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
    /** Told when an account changed, so an open session follows it (AuthService.accountChanged). */
    private readonly onChanged: (id: string) => void = () => {},
    /** log2 of scrypt's N (default OWASP's; lower only in the test stack). */
    private readonly hashLogN?: number,
  ) {}

  list(): AccountView[] {
    return this.store.list().map(accountView);
  }

  get(id: string): AccountView {
    return accountView(this.row(id));
  }

  /** True while the workstation has no account at all (first start of a real installation). */
  needsFirstAdministrator(): boolean {
    return this.store.count() === 0;
  }

  /** Creates an account. The password is the initial one; `mustChange` (default) makes the owner choose their own. */
  async create(actor: string, a: NewAccount, mustChange = true): Promise<AccountView> {
    if (!LOGIN.test(a.login)) throw new AppError('ACCOUNT_LOGIN_INVALID');
    const fields = this.checked(a);
    assertPasswordPolicy(a.password, a.login);
    if (this.store.byLogin(a.login)) throw new AppError('ACCOUNT_LOGIN_TAKEN');
    const id = randomUUID();
    const hash = await hashPassword(a.password, this.hashLogN);
    if (this.store.byLogin(a.login)) throw new AppError('ACCOUNT_LOGIN_TAKEN');
    this.store.insert({ id, login: a.login, ...fields, password_hash: hash, must_change_password: mustChange ? 1 : 0, created_at: this.now().toISOString() });
    this.audit.append({ actor, action: 'account.created', subject: id, data: { role: a.role, hasIin: a.iin !== null, mustChange } });
    return this.get(id);
  }

  /** Name, role and IIN. A role change is audited as its own entry. */
  update(actor: string, id: string, edit: AccountEdit): AccountView {
    const before = this.row(id);
    const fields = this.checked({ ...edit, login: before.login });
    if (before.role === 'administrator' && edit.role !== 'administrator' && !before.disabled) this.keepAnAdministrator(id);
    this.store.update(id, fields, this.now().toISOString());
    this.audit.append({ actor, action: 'account.updated', subject: id, data: { nameChanged: before.full_name !== edit.fullName, iinChanged: before.iin !== edit.iin } });
    if (before.role !== edit.role) this.audit.append({ actor, action: 'account.role_changed', subject: id, data: { from: before.role, to: edit.role } });
    this.onChanged(id);
    return this.get(id);
  }

  setDisabled(actor: string, id: string, disabled: boolean): AccountView {
    const before = this.row(id);
    if (disabled && actor === id) throw new AppError('ACCOUNT_SELF');
    if (disabled && before.role === 'administrator') this.keepAnAdministrator(id);
    this.store.setDisabled(id, disabled, this.now().toISOString());
    this.audit.append({ actor, action: disabled ? 'account.disabled' : 'account.enabled', subject: id, data: {} });
    this.onChanged(id);
    return this.get(id);
  }

  /** Sets a temporary password (policy-checked), lifts a lockout; the owner must change it at the next log-in. */
  async resetPassword(actor: string, id: string, password: string): Promise<AccountView> {
    const row = this.row(id);
    assertPasswordPolicy(password, row.login);
    this.store.setPassword(id, await hashPassword(password, this.hashLogN), true, this.now().toISOString());
    this.audit.append({ actor, action: 'account.password_reset', subject: id, data: {} });
    return this.get(id);
  }

  /** A one-time token for the first administrator, written for the machine's administrators only. */
  issueBootstrapToken(dataDir: string): { token: string; file: string } | null {
    if (!this.needsFirstAdministrator()) {
      rmSync(join(dataDir, BOOTSTRAP_TOKEN_FILE), { force: true });
      return null;
    }
    const file = join(dataDir, BOOTSTRAP_TOKEN_FILE);
    let token: string;
    try {
      token = readFileSync(file, 'utf8').trim();
      if (!/^[A-Z2-7]{8}(-[A-Z2-7]{8}){2}$/.test(token)) throw new Error('malformed');
    } catch {
      token = bootstrapToken();
      writeFileSync(file, token + '\n', { mode: 0o600 });
    }
    chmodSync(file, 0o600);
    return { token, file };
  }

  /** Creates the first administrator with the bootstrap token (only while there is no account). */
  async firstAdministrator(dataDir: string, token: string, a: Omit<NewAccount, 'role'>): Promise<AccountView> {
    const file = join(dataDir, BOOTSTRAP_TOKEN_FILE);
    let expected = '';
    try {
      expected = readFileSync(file, 'utf8').trim();
    } catch {
      // no token file: nothing to match
    }
    const given = Buffer.from(token.trim().toUpperCase());
    const ok = expected.length > 0 && given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
    if (!ok || !this.needsFirstAdministrator()) {
      this.audit.append({ actor: 'unknown', action: 'account.bootstrap_refused', data: {} });
      throw new AppError('ACCOUNT_BOOTSTRAP_REFUSED');
    }
    const view = await this.create('bootstrap', { ...a, role: 'administrator' }, false);
    rmSync(file, { force: true });
    this.audit.append({ actor: view.id, action: 'account.bootstrap', subject: view.id, data: {} });
    return view;
  }

  private checked(a: { login: string; fullName: string; role: Role; iin: string | null }): { full_name: string; iin: string | null; role: Role } {
    const fullName = a.fullName.trim();
    if (fullName.length < 2 || fullName.length > 200) throw new AppError('ACCOUNT_NAME_INVALID');
    if (a.iin !== null && !isValidIdn('iin', a.iin)) throw new AppError('ACCOUNT_IIN_INVALID');
    if (a.role === 'operator' && a.iin === null) throw new AppError('ACCOUNT_IIN_REQUIRED');
    return { full_name: fullName, iin: a.iin, role: a.role };
  }

  private keepAnAdministrator(id: string): void {
    if (this.store.otherActiveAdministrators(id) === 0) throw new AppError('ACCOUNT_LAST_ADMINISTRATOR');
  }

  private row(id: string): OperatorRow {
    const r = this.store.byId(id);
    if (!r) throw new AppError('NOT_FOUND');
    return r;
  }
}

/** 24 characters of base32 in three groups: easy to read off a screen and type. */
function bootstrapToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(24);
  const chars = [...bytes].map((b) => alphabet[b & 31]).join('');
  return `${chars.slice(0, 8)}-${chars.slice(8, 16)}-${chars.slice(16, 24)}`;
}
