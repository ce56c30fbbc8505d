/**
 * A representative in Chromium: signing is refused while the power of attorney is neither
 * confirmed in БНАЖ nor recorded as certified otherwise, with a sentence saying why (Kazakh and
 * Russian screenshots); with the exception recorded, the original scanned, the request is signed.
 * Screenshots go to test-results/e2e-representative/.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshotter } from '../support/browser.js';
import { chromiumWorld, signInAsOperator } from '../support/e2e.js';
import { newCompanyRequest } from '../support/e2e-walks.js';
import { FIXTURES } from '../support/stack.js';

const world = chromiumWorld({ signing: true, host: { startSync: false } });
const shot = screenshotter('e2e-representative');

describe('a representative without a confirmed power of attorney', () => {
  it('is refused at signing, says why, and is signed once the exception is recorded with the original scanned', { timeout: 120_000 }, async () => {
    const { page } = world;
    await signInAsOperator(world);
    await newCompanyRequest(world);

    // A representative whose power of attorney was certified by the employer, not a notary.
    await page.getByTestId('rep-add').click();
    await page.getByTestId('rep-iin').fill('781201300016');
    await page.getByTestId('rep-name').fill('Сәрсенбаев Нұрлан Жанұлы');
    await page.getByTestId('rep-poa-number').fill('17-К');
    await page.getByTestId('rep-poa-date').fill('2026-01-12');
    await page.getByTestId('rep-save').click();
    await expect.poll(() => page.getByTestId('rep-status').getAttribute('data-verified')).toBe('false');

    for (const slot of ['application', 'identity', 'emission-standards-draft', 'eco-expertise-conclusion', 'environmental-plan']) {
      await page.getByTestId(`presented-${slot}`).check();
      await page.getByTestId(`slot-${slot}`).locator('.slot-body').waitFor();
      await page.getByTestId(`import-${slot}`).setInputFiles(join(FIXTURES, 'page-gray.jpg'));
      await page.getByTestId(`slot-${slot}`).getByTestId('page-thumb').waitFor();
    }
    await expect.poll(() => page.getByTestId('to-sign').isEnabled()).toBe(true);
    await page.getByTestId('to-sign').click();
    await page.getByTestId('screen-sign').waitFor();
    await page.getByTestId('key-password').fill('Qwerty12');
    await page.getByTestId('sign-submit').click();
    await expect.poll(() => page.getByTestId('error').getAttribute('data-code')).toBe('REPRESENTATIVE_NOT_CONFIRMED');
    expect(await page.getByTestId('error').textContent()).toContain('сенімхаты БНАЖ-да расталмаған');
    await shot(page, 'refused-kk');
    await page.getByTestId('lang-ru').click();
    await expect.poll(() => page.getByTestId('error').textContent()).toContain('доверенность представителя не подтверждена');
    await shot(page, 'refused-ru');
    await page.getByTestId('lang-kk').click();

    // The exception, and the paper original of the power of attorney scanned.
    await page.getByRole('button', { name: 'Артқа' }).click();
    await page.getByTestId('screen-documents').waitFor();
    await page.getByTestId('rep-exception').click();
    await expect.poll(() => page.getByTestId('rep-status').getAttribute('data-exception')).toBe('certified_otherwise');
    await page.getByTestId('presented-power-of-attorney').check();
    await page.getByTestId('slot-power-of-attorney').locator('.slot-body').waitFor();
    await page.getByTestId('original-power-of-attorney').check();
    await page.getByTestId('import-power-of-attorney').setInputFiles(join(FIXTURES, 'page-gray.jpg'));
    await page.getByTestId('slot-power-of-attorney').getByTestId('page-thumb').waitFor();
    await shot(page, 'exception-kk');
    await page.getByTestId('to-sign').click();
    await page.getByTestId('screen-sign').waitFor();
    await page.getByTestId('key-password').fill('Qwerty12');
    await page.getByTestId('sign-submit').click();
    await page.getByTestId('screen-done').waitFor();
  });
});
