/**
 * The idle lock in Chromium, with a short idle time: the queue screen is open with an applicant's
 * request on it, sync events keep arriving (and the screen keeps refreshing itself), yet the main
 * process locks the session on time; the screen is covered at once with nothing personal
 * visible, calls are refused while locked, and the operator's password brings back the same
 * screen. Then the accounts section of the settings screen, as an administrator uses it.
 */
import { describe, expect, it } from 'vitest';
import { screenshotter } from '../../support/browser.js';
import { chromiumWorld, signInAsOperator } from '../../support/e2e.js';

const IDLE_MS = 4000;
const world = chromiumWorld({ host: { idleTimeoutMs: IDLE_MS } });
const shot = screenshotter('e2e-idle-lock');
const COMPANY_BIN = '070240022228';

describe('idle lock', () => {
  it('covers the open queue screen on time although sync events keep arriving, and unlocks to the same screen', { timeout: 120_000 }, async () => {
    const { page, stack } = world;
    // A request with an applicant's data, made before the operator sits down.
    await stack.login();
    const { applicant } = await stack.ok('applicant.lookup', { kind: 'bin', number: COMPANY_BIN });
    const request = await stack.ok('request.create', {
      serviceId: 'emission-permit-almaty',
      subServiceId: 'cat-4',
      applicant: { kind: 'bin', number: COMPANY_BIN, manualName: null },
    });
    await stack.ok('auth.logout');

    await signInAsOperator(world);
    await page.getByTestId('nav-queue').click();
    await page.getByTestId('screen-queue').waitFor();
    await expect.poll(() => page.locator('body').innerText()).toContain(request.localNumber);
    const loggedInAt = Date.now();

    // Sync events every 300 ms: the queue screen refreshes itself on each (request.worklist).
    const d = stack.host.requests.detail(request.id);
    const changed = { id: d.id, localNumber: d.localNumber, status: d.status, registrationNumber: d.registrationNumber };
    let refreshes = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/request.worklist')) refreshes += 1;
    });
    const events = setInterval(() => {
      stack.host.events.publish('request.changed', changed);
      stack.host.events.publish('queue.changed', stack.host.sync.status());
    }, 300);
    try {
      await page.getByTestId('screen-locked').waitFor({ timeout: IDLE_MS + 10_000 });
      const lockedAfter = Date.now() - loggedInAt;
      expect(lockedAfter).toBeGreaterThanOrEqual(IDLE_MS - 1000);
      expect(refreshes).toBeGreaterThan(3); // the screen did refresh meanwhile: it did not keep the session open
      await shot(page, 'locked');
      // Covered: nothing of the request on screen, the screen under it hidden.
      const visible = await page.locator('body').innerText();
      for (const secret of [request.localNumber, applicant.name, COMPANY_BIN]) expect(visible).not.toContain(secret);
      expect(await page.getByTestId('screen-queue').isVisible()).toBe(false);
      // Events keep coming; the lock holds, and the main process refuses calls meanwhile.
      await page.waitForTimeout(1500);
      expect(await page.getByTestId('screen-locked').isVisible()).toBe(true);
      expect(await stack.api('request.list', {})).toMatchObject({ ok: false, error: { code: 'AUTH_SESSION_LOCKED' } });
    } finally {
      clearInterval(events);
    }

    // A wrong password keeps it locked; the operator's own unlocks it, back on the queue screen.
    await page.getByTestId('unlock-password').fill('not-my-password');
    await page.getByTestId('unlock-submit').click();
    await expect.poll(() => page.getByTestId('screen-locked').getByTestId('error').getAttribute('data-code')).toBe('AUTH_INVALID_CREDENTIALS');
    await page.getByTestId('unlock-password').fill('operator123');
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('screen-queue').waitFor();
    expect(await page.getByTestId('screen-locked').count()).toBe(0);
    expect(await page.locator('body').innerText()).toContain(request.localNumber);
    expect(await page.getByTestId('screen-queue').getByTestId('error').count()).toBe(0);
    await shot(page, 'unlocked-same-screen');
    await page.getByTestId('logout').click();
  });

  it('an administrator creates an account in the settings screen; the new operator must choose a password', { timeout: 120_000 }, async () => {
    const { page } = world;
    await page.getByTestId('login').fill('admin');
    await page.getByTestId('password').fill('admin123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('accounts').waitFor();
    await page.getByTestId('new-login').fill('asel.t');
    await page.getByTestId('new-name').fill('Тоқтарова Әсел');
    await page.getByTestId('new-role').selectOption('operator');
    await page.getByTestId('new-password').fill('password1234');
    await page.getByTestId('new-submit').click();
    await expect.poll(() => page.getByTestId('accounts').getByTestId('error').getAttribute('data-code')).toBe('ACCOUNT_IIN_REQUIRED');
    await page.getByTestId('new-iin').fill('900702400457');
    await page.getByTestId('new-submit').click();
    await expect.poll(() => page.getByTestId('accounts').getByTestId('error').getAttribute('data-code')).toBe('AUTH_PASSWORD_POLICY');
    await page.getByTestId('new-password').fill('Бастапқы-құпия-17');
    await page.getByTestId('new-submit').click();
    await page.getByTestId('account-asel.t').waitFor();
    await shot(page, 'accounts');
    await page.getByTestId('logout').click();

    await page.getByTestId('login').fill('asel.t');
    await page.getByTestId('password').fill('Бастапқы-құпия-17');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('screen-change-password').waitFor();
    await page.getByTestId('password-current').fill('Бастапқы-құпия-17');
    await page.getByTestId('password-next').fill('Жаңа-көктем-таңы-5');
    await page.getByTestId('password-repeat').fill('Жаңа-көктем-таңы-5');
    await page.getByTestId('password-submit').click();
    await page.getByTestId('nav-queue').waitFor();
    expect(await page.getByTestId('operator-name').innerText()).toContain('Тоқтарова Әсел');
    // The login screen never shows credentials.
    await page.getByTestId('logout').click();
    await page.getByTestId('screen-login').waitFor();
    expect(await page.locator('body').innerText()).not.toMatch(/operator123|admin123/);
  });
});
