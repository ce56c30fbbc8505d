import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src-main/audit/audit-log.js';
import { AuthService, LOCKOUT_MINUTES } from '../../../src-main/auth/auth-service.js';
import { passwordProblem } from '../../../src-main/auth/password-policy.js';
import { hashPassword, needsRehash, verifyPassword } from '../../../src-main/auth/passwords.js';
import { openDatabase, prep } from '../../../src-main/db/database.js';
import { silentLogger } from '../../../src-main/host/logger-types.js';

function service(maxFailedLogins = 3, idleMinutes = 15) {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'qab-auth-')), 'q.sqlite'));
  let t = Date.parse('2026-11-23T09:00:00Z');
  const now = () => new Date(t);
  const events: string[] = [];
  const audit = new AuditLog(db, now);
  const auth = new AuthService(db, silentLogger, { maxFailedLogins, idleTimeoutMs: idleMinutes * 60_000, now, hashLogN: 10 }, audit, {
    onSessionEnded: (r) => events.push(`ended:${r}`),
    onSessionLocked: () => events.push('locked'),
  });
  const actions = () => (prep(db, 'SELECT action FROM audit_log ORDER BY seq').all() as { action: string }[]).map((r) => r.action);
  return { db, auth, events, actions, advance: (min: number) => (t += min * 60_000) };
}

describe('passwords', () => {
  it("stores scrypt hashes at OWASP's cost (N=2^17, r=8, p=1), never the password, and verifies them", async () => {
    const h = await hashPassword('Сәлем-123');
    expect(h).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(h).not.toContain('Сәлем');
    expect(await verifyPassword('Сәлем-123', h)).toBe(true);
    expect(await verifyPassword('Сәлем-124', h)).toBe(false);
    expect(needsRehash(h)).toBe(false);
    expect(needsRehash('scrypt$32768$8$1$AAAA$AAAA')).toBe(true);
  });

  it('refuses short passwords, the login, and common ones (also with digits and symbols added)', () => {
    expect(passwordProblem('Short-1', 'aigerim')).toBe('length');
    expect(passwordProblem('aigerim-2026-kz', 'aigerim')).toBe('login');
    for (const p of ['Password2026!', 'qwertyuiop12', '123456789012', 'iloveyou1234', 'Қабылдау2026!', 'aaaaaaaaaaaa']) expect(passwordProblem(p, 'x'), p).toBe('common');
    expect(passwordProblem('Көктем-жаңбыры-7', 'aigerim')).toBeNull();
  });
});

describe('log-in and sessions', () => {
  it('answers the same for an unknown login, a wrong password, a disabled and a locked account', async () => {
    const { auth, db, advance } = service(2);
    await auth.seedDemoAccounts();
    await expect(auth.login('nobody', 'x')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    await expect(auth.login('operator', 'x')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    await expect(auth.login('operator', 'x')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' }); // this one locks
    await expect(auth.login('operator', 'operator123')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    advance(LOCKOUT_MINUTES + 1);
    await expect(auth.login('operator', 'operator123')).resolves.toMatchObject({ operator: { login: 'operator', iin: '850315300128' } });
    prep(db, "UPDATE operators SET disabled = 1 WHERE login = 'admin'").run();
    await expect(auth.login('admin', 'admin123')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
  });

  it('replaces a weaker stored hash at the next log-in', async () => {
    const { auth, db } = service();
    await auth.seedDemoAccounts();
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const old = ['scrypt', 256, 8, 1, salt.toString('base64'), scryptSync('operator123', salt, 32, { N: 256, r: 8, p: 1 }).toString('base64')].join('$');
    prep(db, "UPDATE operators SET password_hash = ? WHERE login = 'operator'").run(old);
    await auth.login('operator', 'operator123');
    const now = (prep(db, "SELECT password_hash AS h FROM operators WHERE login = 'operator'").get() as { h: string }).h;
    expect(now).toMatch(/^scrypt\$1024\$/); // this service's cost (the test's); the app's is 2^17
  });

  it('locks the session after the idle time by its own timer; calls do not count as activity, input does', async () => {
    const { auth, events, advance, actions } = service(3, 15);
    await auth.seedDemoAccounts();
    await auth.login('operator', 'operator123');
    advance(10);
    expect(auth.activity()?.locked).toBe(false); // the operator typed
    advance(10);
    expect(auth.current()?.locked).toBe(false); // a background call: not activity
    advance(6);
    expect(auth.current()?.locked).toBe(true);
    expect(events).toEqual(['locked']);
    expect(auth.activity()?.locked).toBe(true); // input on the lock screen does not unlock
    await expect(auth.unlock('wrong')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    expect((await auth.unlock('operator123')).locked).toBe(false);
    expect(actions()).toEqual(expect.arrayContaining(['auth.login', 'auth.session_locked', 'auth.login_failed', 'auth.session_unlocked']));
  });

  it('ends a locked session when its account gets locked out on the lock screen', async () => {
    const { auth, events } = service(2, 1);
    await auth.seedDemoAccounts();
    await auth.login('operator', 'operator123');
    auth.lock('operator');
    await expect(auth.unlock('bad')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    await expect(auth.unlock('bad')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    expect(auth.current()).toBeNull();
    expect(events).toEqual(['locked', 'ended:logout']);
  });

  it('seeds the demo accounts only into an empty database', async () => {
    const { auth, db } = service();
    expect(await auth.seedDemoAccounts()).toBe(true);
    expect(await auth.seedDemoAccounts()).toBe(false);
    expect(prep(db, 'SELECT login, role FROM operators ORDER BY login').all()).toEqual([
      { login: 'admin', role: 'administrator' },
      { login: 'operator', role: 'operator' },
      { login: 'supervisor', role: 'supervisor' },
    ]);
  });
});
