/**
 * axe on the screens the keyboard walk does not pass (issue 14): the settings screen with its
 * panels (accounts, reads, NCALayer trust, scanners) as the administrator sees it, the supervisor's
 * dashboard, and the lock screen; in Kazakh, Russian and English, failing on any serious or
 * critical violation. Reports in test-results/axe/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeScreen, type AxeFinding } from '../support/axe.js';
import { chromiumWorld } from '../support/e2e.js';

const world = chromiumWorld();

async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.getByTestId('login').waitFor();
  await page.getByTestId('login').fill(login);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('login-submit').click();
}

describe('axe on settings, dashboard and lock', () => {
  it('finds no serious or critical violation in kk, ru or en', { timeout: 240_000 }, async () => {
    const { stack } = world;
    // A page of its own context: axe opens a helper page beside it in the same context.
    const page = await (await world.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const findings: AxeFinding[] = [];
    await page.goto(stack.web.url);
    await signIn(page, 'admin', 'admin123');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('scanner-status').waitFor();
    findings.push(...(await axeScreen(page, 'settings-admin')));

    // The lock screen over the administrator's session.
    await page.evaluate(() => fetch('/api/auth.lock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
    await page.getByTestId('screen-locked').waitFor();
    findings.push(...(await axeScreen(page, 'lock')));
    await page.getByTestId('unlock-password').fill('admin123');
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('screen-locked').waitFor({ state: 'detached' });

    // The supervisor: the dashboard first, then their settings (the reads panel).
    await page.evaluate(() => fetch('/api/auth.logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
    await page.reload();
    await signIn(page, 'supervisor', 'supervisor123');
    await page.getByTestId('nav-dashboard').waitFor();
    await page.waitForLoadState('networkidle');
    findings.push(...(await axeScreen(page, 'dashboard')));
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('screen-settings').waitFor();
    await page.waitForLoadState('networkidle');
    findings.push(...(await axeScreen(page, 'settings-supervisor')));
    expect(findings).toEqual([]);
  });
});
