/**
 * Accounts for a real Centre, through the contract (the browser host's HTTP API, as the settings
 * screen calls it) and through `npm run admin -- users …` on the same data directory: the life
 * cycle of an account, the lockout under parallel wrong passwords, and the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../../scripts/admin.js';
import { prep } from '../../../src-main/db/database.js';
import { startStack, type Stack } from '../../support/stack.js';

const MAX_FAILED = 5;
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ backendDown: true, env: { QABYLDAU_AUTH__MAX_FAILED_LOGINS: String(MAX_FAILED) } });
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

const code = (e: { ok: boolean; error?: { code: string } }) => (e.ok ? 'ok' : e.error!.code);
const audit = (action: string) =>
  prep(stack.host.db, 'SELECT actor, subject, data FROM audit_log WHERE action = ? ORDER BY seq').all(action) as { actor: string; subject: string | null; data: string }[];
const asAdmin = () => stack.ok('auth.login', { login: 'admin', password: 'admin123' });

describe('accounts through the contract', () => {
  it('an administrator creates, edits, disables, re-enables an operator and resets the password; the operator must change it', async () => {
    await asAdmin();
    const base = { login: 'aigerim.s', fullName: 'Сәрсенова Әйгерім', role: 'operator' as const, iin: '850315300128' };
    for (const [password, rule] of [['short-1', 'length'], ['aigerim.s-2026', 'login'], ['Password2026!', 'common']] as const) {
      const e = await stack.api('accounts.create', { ...base, password });
      expect(e).toMatchObject({ ok: false, error: { code: 'AUTH_PASSWORD_POLICY', params: { rule } } });
    }
    expect(code(await stack.api('accounts.create', { ...base, iin: null, password: 'Көктем-жаңбыры-7' }))).toBe('ACCOUNT_IIN_REQUIRED');
    const { account } = await stack.ok('accounts.create', { ...base, password: 'Көктем-жаңбыры-7' });
    expect(account.mustChangePassword).toBe(true);
    expect(code(await stack.api('accounts.create', { ...base, login: 'AIGERIM.S', password: 'Көктем-жаңбыры-7' }))).toBe('ACCOUNT_LOGIN_TAKEN');

    // The new operator logs in, but must choose a password before anything else.
    await stack.ok('auth.logout');
    const first = await stack.ok('auth.login', { login: 'aigerim.s', password: 'Көктем-жаңбыры-7' });
    expect(first.mustChangePassword).toBe(true);
    expect(code(await stack.api('request.list', {}))).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
    expect(code(await stack.api('auth.changePassword', { current: 'Көктем-жаңбыры-7', next: 'qwerty123456' }))).toBe('AUTH_PASSWORD_POLICY');
    await stack.ok('auth.changePassword', { current: 'Көктем-жаңбыры-7', next: 'Жаз-келді-Алатау-9' });
    expect(code(await stack.api('request.list', {}))).toBe('ok');
    expect(code(await stack.api('accounts.list', {}))).toBe('FORBIDDEN');
    await stack.ok('auth.logout');

    // Role change, disable (same answer as an unknown login), re-enable, reset.
    await asAdmin();
    const upd = await stack.ok('accounts.update', { id: account.id, fullName: 'Сәрсенова Әйгерім Болатқызы', role: 'supervisor', iin: '850315300128' });
    expect(upd.account.role).toBe('supervisor');
    await stack.ok('accounts.setDisabled', { id: account.id, disabled: true });
    await stack.ok('auth.logout');
    const disabled = await stack.api('auth.login', { login: 'aigerim.s', password: 'Жаз-келді-Алатау-9' });
    const unknown = await stack.api('auth.login', { login: 'nobody.here', password: 'Жаз-келді-Алатау-9' });
    expect([code(disabled), code(unknown)]).toEqual(['AUTH_INVALID_CREDENTIALS', 'AUTH_INVALID_CREDENTIALS']);
    expect(disabled.ok ? null : disabled.error.params).toEqual(unknown.ok ? null : unknown.error.params);
    await asAdmin();
    await stack.ok('accounts.setDisabled', { id: account.id, disabled: false });
    await stack.ok('accounts.resetPassword', { id: account.id, password: 'Уақытша-құпия-42' });
    const me = await stack.ok('auth.session');
    // The last administrator can neither be disabled nor demoted.
    expect(code(await stack.api('accounts.setDisabled', { id: me.operator!.id, disabled: true }))).toBe('ACCOUNT_SELF');
    expect(code(await stack.api('accounts.update', { id: me.operator!.id, fullName: 'Әкімші', role: 'operator', iin: '850315300128' }))).toBe('ACCOUNT_LAST_ADMINISTRATOR');
    await stack.ok('auth.logout');
    const again = await stack.ok('auth.login', { login: 'aigerim.s', password: 'Уақытша-құпия-42' });
    expect(again.mustChangePassword).toBe(true);
    await stack.ok('auth.logout');

    expect(audit('account.created').map((r) => r.subject)).toEqual([account.id]);
    expect(audit('account.role_changed').map((r) => JSON.parse(r.data) as unknown)).toEqual([{ from: 'operator', to: 'supervisor' }]);
    for (const a of ['account.disabled', 'account.enabled', 'account.password_reset', 'auth.password_changed']) expect(audit(a), a).toHaveLength(1);
    // No password, and no hash, in the audit trail.
    const all = JSON.stringify(prep(stack.host.db, 'SELECT * FROM audit_log').all());
    expect(all).not.toMatch(/Көктем|Жаз-келді|Уақытша|scrypt\$/);
  }, 180_000);

  it(`locks after exactly ${MAX_FAILED} of 20 parallel wrong passwords`, async () => {
    await asAdmin();
    const { account } = await stack.ok('accounts.create', { login: 'daulet.k', fullName: 'Қасымов Дәулет', role: 'operator', iin: '900702400457', password: 'Бастапқы-құпия-17' });
    await stack.ok('auth.logout');
    const answers = await Promise.all(Array.from({ length: 20 }, () => stack.api('auth.login', { login: 'daulet.k', password: 'wrong-password' })));
    expect(new Set(answers.map(code))).toEqual(new Set(['AUTH_INVALID_CREDENTIALS']));
    const mine = (action: string) => audit(action).filter((r) => r.actor === account.id).map((r) => JSON.parse(r.data) as { reason?: string; attempt?: number });
    const checked = mine('auth.login_failed').filter((d) => d.reason === 'password');
    expect(checked.map((d) => d.attempt).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(mine('auth.login_failed').filter((d) => d.reason === 'locked')).toHaveLength(20 - MAX_FAILED);
    expect(mine('auth.lockout')).toHaveLength(1);
    // Locked: even the right password gets the same answer as an unknown login.
    expect(code(await stack.api('auth.login', { login: 'daulet.k', password: 'Бастапқы-құпия-17' }))).toBe('AUTH_INVALID_CREDENTIALS');
    // One fewer than the limit does not lock.
    await asAdmin();
    await stack.ok('accounts.resetPassword', { id: account.id, password: 'Екінші-құпия-сөз-18' });
    await stack.ok('auth.logout');
    await Promise.all(Array.from({ length: MAX_FAILED - 1 }, () => stack.api('auth.login', { login: 'daulet.k', password: 'wrong-password' })));
    expect(code(await stack.api('auth.login', { login: 'daulet.k', password: 'Екінші-құпия-сөз-18' }))).toBe('ok');
    await stack.ok('auth.logout');
  }, 180_000);
});

describe('accounts through the admin command', () => {
  it('lists, creates, edits, disables, enables and resets, with the same rules and audit', async () => {
    const lines: string[] = [];
    const env = { HOME: stack.dir, QABYLDAU_MACHINE_CONFIG: `${stack.dir}/none.json`, QABYLDAU_USER_CONFIG: stack.userConfigFile, QABYLDAU_DATA_DIR: stack.config.dataDir };
    const admin = async (...argv: string[]) => {
      lines.length = 0;
      return runAdmin(['users', ...argv], (l) => lines.push(l), env);
    };
    expect(await admin('create', 'nurlan.b', '--name', 'Бекұлы Нұрлан', '--role', 'operator', '--iin', '620415300015')).toBe(0);
    const temp = /temporary password .*: (\S+)$/.exec(lines.join('\n'))?.[1];
    expect(temp).toMatch(/^[\w]{4}(-[\w]{4}){3}$/);
    await expect(admin('create', 'nurlan.c', '--name', 'Бекұлы Нұрлан', '--role', 'operator')).rejects.toMatchObject({ code: 'ACCOUNT_IIN_REQUIRED' });
    expect(await admin('list')).toBe(0);
    expect(lines.join('\n')).toMatch(/nurlan\.b\s+operator\s+620415300015\s+active\s+\(must change password\)/);
    // The app sees the account at once: log in with the temporary password, must change it.
    expect(await stack.ok('auth.login', { login: 'nurlan.b', password: temp! })).toMatchObject({ mustChangePassword: true });
    await stack.ok('auth.logout');
    expect(await admin('edit', 'nurlan.b', '--role', 'supervisor')).toBe(0);
    expect(await admin('disable', 'nurlan.b')).toBe(0);
    expect(code(await stack.api('auth.login', { login: 'nurlan.b', password: temp! }))).toBe('AUTH_INVALID_CREDENTIALS');
    expect(await admin('enable', 'nurlan.b')).toBe(0);
    expect(await admin('reset-password', 'nurlan.b')).toBe(0);
    const temp2 = /temporary password .*: (\S+)$/.exec(lines.join('\n'))?.[1];
    expect(code(await stack.api('auth.login', { login: 'nurlan.b', password: temp! }))).toBe('AUTH_INVALID_CREDENTIALS');
    expect(code(await stack.api('auth.login', { login: 'nurlan.b', password: temp2! }))).toBe('ok');
    await stack.ok('auth.logout');
    expect(await admin('frobnicate')).toBe(2);
    const roleChanges = audit('account.role_changed').filter((r) => r.actor.startsWith('admin-command:'));
    expect(roleChanges.map((r) => JSON.parse(r.data) as unknown)).toEqual([{ from: 'operator', to: 'supervisor' }]);
  }, 180_000);
});
