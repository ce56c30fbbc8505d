/**
 * Settings in Chromium, NCALayer's certificate: an administrator of a workstation that signs
 * through NCALayer sees the certificate a real local TLS WebSocket server standing in for NCALayer
 * presents (test/support/ncalayer-double.ts), accepts it, and later sees a changed one refused
 * until accepted again. Screenshots in test-results/e2e-ncalayer-trust/.
 */
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { screenshotter } from '../support/browser.js';
import { chromiumWorld } from '../support/e2e.js';
import { startNcaLayerDouble } from '../support/ncalayer-double.js';
import { testPki } from '../support/pki.js';

const pki = testPki();
const stand = await startNcaLayerDouble({ cert: join(pki.dir, 'operator/rsa-valid.pem'), key: join(pki.dir, 'operator/rsa-valid.key.pem'), chain: join(pki.dir, 'ca/chain.pem') });
afterAll(() => stand.close());
const world = chromiumWorld({ signing: true, env: { QABYLDAU_SIGNING__PROVIDER: 'ncalayer', QABYLDAU_SIGNING__NCALAYER__URL: stand.url } });
const shot = screenshotter('e2e-ncalayer-trust');
const colons = (pem: string) => new X509Certificate(pem).fingerprint256;

describe("NCALayer's certificate in Settings", () => {
  it('is accepted by an administrator on first use, and a changed one must be accepted again', { timeout: 90_000 }, async () => {
    const { page, stack } = world;
    await page.goto(stack.web.url);
    await page.getByTestId('login').fill('admin');
    await page.getByTestId('password').fill('admin123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-settings').click();
    const panel = page.getByTestId('ncalayer-trust');
    await expect.poll(() => panel.getAttribute('data-state')).toBe('not_pinned');
    expect((await page.getByTestId('ncalayer-presented').textContent())?.toUpperCase()).toBe(colons(stand.tlsCert));
    expect(await page.getByTestId('ncalayer-trust-state').textContent()).toContain('Әлі қабылданбаған');
    await shot(page, 'not-pinned');
    await page.getByTestId('ncalayer-accept').click();
    await expect.poll(() => panel.getAttribute('data-state')).toBe('pinned');
    expect(await page.getByTestId('ncalayer-accept').count()).toBe(0);

    stand.replaceCertificate();
    await page.getByTestId('ncalayer-refresh').click();
    await expect.poll(() => panel.getAttribute('data-state')).toBe('changed');
    expect((await page.getByTestId('ncalayer-presented').textContent())?.toUpperCase()).toBe(colons(stand.tlsCert));
    expect(await page.getByTestId('ncalayer-pinned').textContent()).not.toBe(await page.getByTestId('ncalayer-presented').textContent());
    await shot(page, 'changed');
    await page.getByTestId('ncalayer-accept').click();
    await expect.poll(() => panel.getAttribute('data-state')).toBe('pinned');
  });
});
