/**
 * Settings in Chromium: the operator checks the key before a shift (all certificate checks, no
 * signature), sees the scanner's state; an administrator switches the workstation to NCALayer,
 * which is written to the per-user configuration file and applies at once.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { screenshotter } from '../support/browser.js';
import { chromiumWorld } from '../support/e2e.js';

const world = chromiumWorld({ signing: true });
const shot = screenshotter('e2e-settings');

async function login(user: string, password: string) {
  const { page } = world;
  await page.getByTestId('login').fill(user);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('screen-service').waitFor();
}

describe('settings', () => {
  it('lets the operator check the key, and an administrator choose NCALayer', async () => {
    const { page, stack } = world;
    await page.goto(stack.web.url);
    await page.getByTestId('screen-login').waitFor();
    await login('operator', 'operator123');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('screen-settings').waitFor();
    expect(await page.getByTestId('provider-ncalayer').isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId('scanner-status').getAttribute('data-sane')).toBe('available');
    expect(await page.getByTestId('scanner-status').textContent()).toContain('SANE');
    await expect.poll(() => page.getByTestId('scanner-devices').textContent()).toContain('test:0');

    await page.getByTestId('check-key-password').fill('wrong');
    await page.getByTestId('check-key').click();
    await expect.poll(() => page.getByTestId('error').getAttribute('data-code')).toBe('SIGN_WRONG_PASSWORD');
    await page.getByTestId('check-key-password').fill('Qwerty12');
    await page.getByTestId('check-key').click();
    await page.getByTestId('key-info').waitFor();
    expect(await page.getByTestId('key-info').textContent()).toContain('Омаров Ерлан Серікұлы');
    await shot(page, 'key-checked');

    await page.getByTestId('logout').click();
    await login('admin', 'admin123');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('provider-ncalayer').check();
    await expect.poll(() => page.getByTestId('provider-ncalayer').isChecked()).toBe(true);
    await shot(page, 'admin-ncalayer');
    const userFile = JSON.parse(readFileSync(stack.userConfigFile, 'utf8')) as { signing: { provider: string } };
    expect(userFile.signing.provider).toBe('ncalayer');
    const settings = await stack.ok('settings.get');
    expect(settings.signing.provider).toBe('ncalayer');
  });
});
