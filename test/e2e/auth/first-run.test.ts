/**
 * The first start of a real installation in Chromium: no account exists, so the app asks for the
 * one-time code and the first administrator. Two different new passwords are refused on the
 * screen (nothing is created); once they match, the administrator exists and signs in with the
 * password chosen here, without being asked to change it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../../../src-main/host/paths.js';
import { chromiumWorld } from '../../support/e2e.js';

const world = chromiumWorld({ backendDown: true, env: { QABYLDAU_AUTH__SEED_DEMO_ACCOUNTS: 'false' } });
const words = (ns: string) => JSON.parse(readFileSync(join(appRoot(), 'src-renderer', 'i18n', 'kk', `${ns}.json`), 'utf8')) as Record<string, string>;
const kk = { ...words('common'), ...words('accounts') };

describe('first run', () => {
  it('creates the first administrator with the one-time code, refusing two different passwords first', { timeout: 90_000 }, async () => {
    const { page, stack } = world;
    const token = stack.host.bootstrapToken;
    expect(token).toBeTruthy();
    await page.goto(stack.web.url);
    await page.getByTestId('screen-first-run').waitFor();

    await page.getByTestId('bootstrap-token').fill(token ?? '');
    await page.getByTestId('bootstrap-login').fill('admin1');
    await page.getByTestId('bootstrap-name').fill('Әкімші Бірінші');
    await page.getByLabel(kk['password.next'] ?? '', { exact: true }).fill('Көктемгі-таң-атар-17');
    await page.getByTestId('bootstrap-repeat').fill('Көктемгі-таң-атар-18');
    await page.getByTestId('bootstrap-submit').click();
    await expect.poll(() => page.getByTestId('screen-first-run').innerText()).toContain(kk['password.mismatch']);
    expect((await stack.api('auth.login', { login: 'admin1', password: 'Көктемгі-таң-атар-17' })).ok).toBe(false);

    await page.getByTestId('bootstrap-repeat').fill('Көктемгі-таң-атар-17');
    await page.getByTestId('bootstrap-submit').click();
    await page.getByTestId('screen-login').waitFor();
    expect(await page.getByTestId('screen-first-run').count()).toBe(0);

    await page.getByTestId('login').fill('admin1');
    // The password fields keep their labels (the label wraps the input).
    await page.getByLabel(kk['login.password'] ?? '', { exact: true }).fill('Көктемгі-таң-атар-17');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('screen-login').waitFor({ state: 'detached' });
    expect(await page.getByTestId('screen-change-password').count()).toBe(0);
  });
});
