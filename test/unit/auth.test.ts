import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthService, LOCKOUT_MINUTES } from '../../src-main/auth/auth-service.js';
import { hashPassword, verifyPassword } from '../../src-main/auth/passwords.js';
import { openDatabase } from '../../src-main/db/database.js';
import { silentLogger } from '../../src-main/host/logger-types.js';

function service(maxFailedLogins = 3, idleTimeoutMinutes = 15) {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'qab-auth-')), 'q.sqlite'));
  let t = Date.parse('2026-11-23T09:00:00Z');
  const ended: string[] = [];
  const auth = new AuthService(db, silentLogger, { maxFailedLogins, idleTimeoutMinutes, now: () => new Date(t) }, (r) => ended.push(r));
  return { db, auth, ended, advance: (min: number) => (t += min * 60_000) };
}

describe('operator log-in', () => {
  it('stores scrypt hashes, never the password, and verifies them', async () => {
    const h = await hashPassword('Сәлем-123');
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(h).not.toContain('Сәлем');
    expect(await verifyPassword('Сәлем-123', h)).toBe(true);
    expect(await verifyPassword('Сәлем-124', h)).toBe(false);
  });

  it('answers the same for an unknown login and a wrong password', async () => {
    const { auth } = service();
    await auth.seedDemoAccounts();
    await expect(auth.login('nobody', 'x')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    await expect(auth.login('operator', 'x')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
  });

  it('locks the account for five minutes after too many wrong passwords, then lets the operator in', async () => {
    const { auth, advance } = service(3);
    await auth.seedDemoAccounts();
    for (let i = 0; i < 2; i++) await expect(auth.login('operator', 'x')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    await expect(auth.login('operator', 'x')).rejects.toMatchObject({ code: 'AUTH_LOCKED_OUT', params: { minutes: LOCKOUT_MINUTES } });
    await expect(auth.login('operator', 'operator123')).rejects.toMatchObject({ code: 'AUTH_LOCKED_OUT' });
    advance(LOCKOUT_MINUTES + 1);
    await expect(auth.login('operator', 'operator123')).resolves.toMatchObject({ login: 'operator', iin: '850315300128' });
  });

  it('ends the session after the idle time, telling the renderer why', async () => {
    const { auth, ended, advance } = service(3, 15);
    await auth.seedDemoAccounts();
    await auth.login('operator', 'operator123');
    advance(10);
    expect(auth.current(true)).not.toBeNull(); // activity resets the idle clock
    advance(10);
    expect(auth.current(false)).not.toBeNull();
    advance(6);
    expect(auth.current(false)).toBeNull();
    expect(ended).toEqual(['idle']);
  });

  it('seeds the demo accounts only into an empty database', async () => {
    const { auth, db } = service();
    expect(await auth.seedDemoAccounts()).toBe(true);
    expect(await auth.seedDemoAccounts()).toBe(false);
    expect((db.prepare('SELECT COUNT(*) AS n FROM operators').get() as { n: number }).n).toBe(2);
  });
});
