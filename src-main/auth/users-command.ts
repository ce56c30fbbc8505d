/**
 * `npm run admin -- users …`: the administrator's account commands, through the same
 * AccountService as the settings screen (same rules, same audit entries; the actor is recorded
 * as "admin-command:<OS user>").
 *
 *   users list
 *   users create <login> --name "<full name>" --role operator|supervisor|administrator [--iin <IIN>]
 *   users edit <login> [--name "<full name>"] [--role <role>] [--iin <IIN> | --no-iin]
 *   users disable <login> | users enable <login>
 *   users reset-password <login>
 *
 * `create` and `reset-password` print a temporary password once (never logged); the owner must
 * change it at the first log-in. Passwords are never taken on the command line (shell history,
 * the process list).
 */
import { randomInt } from 'node:crypto';
import { userInfo } from 'node:os';
import { AppError } from '../contract/errors.js';
import { Role } from '../contract/model.js';
import { accountView, type AccountService, type AccountView } from './accounts.js';
import type { OperatorStore } from './operator-store.js';

export interface UsersArgs {
  name?: string | undefined;
  role?: string | undefined;
  iin?: string | undefined;
  'no-iin'?: boolean | undefined;
}

export const USERS_USAGE =
  'users list | users create <login> --name "<full name>" --role operator|supervisor|administrator [--iin <IIN>] | users edit <login> [--name …] [--role …] [--iin …|--no-iin] | users disable|enable|reset-password <login>';

/** A temporary password: 4 groups of 4 unambiguous characters (about 95 bits). */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const group = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}

function actor(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry: keep "unknown"
  }
  return `admin-command:${user}`;
}

const line = (a: AccountView) =>
  [a.login.padEnd(16), a.role.padEnd(13), (a.iin ?? '-').padEnd(12), a.disabled ? 'disabled' : a.lockedUntil ? `locked until ${a.lockedUntil}` : 'active', a.mustChangePassword ? '(must change password)' : '', a.fullName]
    .filter(Boolean)
    .join('  ');

export async function runUsersCommand(
  accounts: AccountService,
  store: OperatorStore,
  args: string[],
  opts: UsersArgs,
  out: (l: string) => void,
): Promise<number> {
  const [sub, login] = args;
  const byLogin = () => {
    const row = login ? store.byLogin(login) : undefined;
    if (!row) throw new AppError('NOT_FOUND', { login: login ?? '' });
    return accountView(row);
  };
  const role = (fallback?: Role): Role => {
    const r = Role.safeParse(opts.role ?? fallback);
    if (!r.success) throw new AppError('VALIDATION', { field: 'role' });
    return r.data;
  };
  switch (sub) {
    case 'list': {
      const all = accounts.list();
      if (!all.length) out('no accounts yet: create the first administrator with `users create <login> --name … --role administrator`');
      for (const a of all) out(line(a));
      return 0;
    }
    case 'create': {
      if (!login || !opts.name) break;
      const password = temporaryPassword();
      const a = await accounts.create(actor(), { login, fullName: opts.name, role: role(), iin: opts.iin ?? null, password });
      out(`created: ${line(a)}`);
      out(`temporary password (shown once; must be changed at the first log-in): ${password}`);
      return 0;
    }
    case 'edit': {
      const a = byLogin();
      const iin = opts['no-iin'] ? null : (opts.iin ?? a.iin);
      out(`changed: ${line(accounts.update(actor(), a.id, { fullName: opts.name ?? a.fullName, role: role(a.role), iin }))}`);
      return 0;
    }
    case 'disable':
    case 'enable':
      out(`${sub}d: ${line(accounts.setDisabled(actor(), byLogin().id, sub === 'disable'))}`);
      return 0;
    case 'reset-password': {
      const password = temporaryPassword();
      const a = await accounts.resetPassword(actor(), byLogin().id, password);
      out(`password reset: ${line(a)}`);
      out(`temporary password (shown once; must be changed at the next log-in): ${password}`);
      return 0;
    }
  }
  out(`usage: ${USERS_USAGE}`);
  return 2;
}
