/**
 * The operator's corrections in Chromium: a representative checked in the notarial system, pages
 * turned, moved and deleted before signing, a request cancelled, the queue searched; and an
 * applicant identified by hand while the state registry is down.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshotter } from '../support/browser.js';
import { chromiumWorld, signInAsOperator } from '../support/e2e.js';
import { newCompanyRequest } from '../support/e2e-walks.js';
import { FIXTURES } from '../support/stack.js';

// Sync rounds an hour apart: only the first round (at start) and what the app itself asks for run.
const world = chromiumWorld({ host: { startSync: true }, env: { QABYLDAU_SYNC__INTERVAL_SECONDS: '3600' } });
const shot = screenshotter('e2e-request-ops');

describe('corrections before signing', () => {
  it('checks a representative, arranges pages, cancels, and finds the request again', { timeout: 90_000 }, async () => {
    const { page } = world;
    await signInAsOperator(world);
    await newCompanyRequest(world);
    const localNumber = (await page.getByTestId('local-number').textContent())!;

    // The representative under a notarised power of attorney, confirmed in БНАЖ.
    await page.getByTestId('rep-add').click();
    await page.getByTestId('rep-iin').fill('781201300016');
    await page.getByTestId('rep-name').fill('Сәрсенбаев Нұрлан Жанұлы');
    await page.getByTestId('rep-poa-number').fill('NT-2025-0001451');
    await page.getByTestId('rep-poa-date').fill('2025-03-11');
    await page.getByTestId('rep-save').click();
    await expect.poll(() => page.getByTestId('rep-status').getAttribute('data-verified')).toBe('false');
    await page.getByTestId('rep-verify').click();
    await expect.poll(() => page.getByTestId('rep-status').getAttribute('data-verified')).toBe('true');

    // Two pages in the application: turn the second, move it first, delete the other.
    await page.getByTestId('presented-application').check();
    await page.getByTestId('slot-application').locator('.slot-body').waitFor();
    await page.getByTestId('import-application').setInputFiles(join(FIXTURES, 'page-gray.jpg'));
    await expect.poll(() => page.getByTestId('slot-application').getByTestId('page-thumb').count()).toBe(1);
    await page.getByTestId('import-application').setInputFiles(join(FIXTURES, 'page-color.png'));
    await expect.poll(() => page.getByTestId('slot-application').getByTestId('page-thumb').count()).toBe(2);
    const thumbs = page.getByTestId('slot-application').getByTestId('page-thumb');
    await thumbs.nth(1).getByTestId('page-rotate').click();
    await expect.poll(() => thumbs.nth(1).getAttribute('data-rotation')).toBe('90');
    await thumbs.nth(1).getByRole('button', { name: 'Солға жылжыту' }).click();
    await expect.poll(() => thumbs.nth(0).getAttribute('data-rotation')).toBe('90');
    await shot(page, 'arranged');
    await thumbs.nth(1).getByTestId('page-delete').click();
    await expect.poll(() => thumbs.count()).toBe(1);
    expect(await thumbs.nth(0).getAttribute('data-rotation')).toBe('90');

    // Cancel: the applicant leaves; the request stays in the list as cancelled.
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('cancel-request').click();
    await page.getByTestId('screen-queue').waitFor();
    await page.getByTestId('queue-search').fill(localNumber);
    await page.getByTestId('queue-search-submit').click();
    await expect.poll(() => page.getByTestId('queue-row').count()).toBe(1);
    expect(await page.getByTestId('queue-row').first().getAttribute('data-status')).toBe('cancelled');
    await shot(page, 'queue-search');
  });
});

describe('the state registry down', () => {
  // Goes on from the test above: the operator is logged in.
  it('says so in Kazakh and lets the operator go on with the name from the document, marked unverified', { timeout: 90_000 }, async () => {
    const { page, stack } = world;
    await stack.stopSandbox();
    try {
      await page.getByTestId('nav-new').click();
      await page.getByTestId('sub-emission-permit-almaty').selectOption('cat-4');
      await page.getByTestId('choose-emission-permit-almaty').click();
      await page.getByTestId('idn').fill('900702400457');
      await page.getByTestId('lookup').click();
      await page.getByTestId('applicant-offline').waitFor();
      const error = page.getByTestId('error');
      expect(await error.getAttribute('data-code')).toBe('REGISTRY_UNAVAILABLE');
      expect(await error.textContent()).toContain('Мемлекеттік тізілім қазір қолжетімсіз');
      // The header stops saying "online" at once, not at the next sync round.
      await expect.poll(() => page.getByTestId('online').textContent(), { timeout: 5_000 }).toContain('Желіден тыс');
      // A name is required before going on by hand.
      expect(await page.getByTestId('create-manual').isDisabled()).toBe(true);
      await page.getByTestId('manual-name').fill('Ахметова Айгерім Серікқызы');
      await shot(page, 'registry-down');
      await page.getByTestId('create-manual').click();
      await page.getByTestId('screen-documents').waitFor();
      const documents = (await page.getByTestId('screen-documents').textContent()) ?? '';
      expect(documents).toContain('Ахметова Айгерім Серікқызы');
      expect(documents).toContain('Тексерілмеген');
    } finally {
      await stack.startSandbox();
    }
  });
});
