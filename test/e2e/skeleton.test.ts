/**
 * The walking skeleton in a real Chromium, from log-in to the registration number on screen:
 * P1 log in → P2 pick the service → P3 look the applicant up → P5 mark documents, scan a page on
 * the SANE test device and import others → sign with the test PKCS#12 key → P6 queue and send →
 * P7 the registration number appears. A screenshot of each screen goes to test-results/e2e/.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deadlineWords, estimateWords } from '../../src-main/contract/deadline-words.js';
import { screenshotter } from '../support/browser.js';
import { chromiumWorld } from '../support/e2e.js';
import { FIXTURES } from '../support/stack.js';

const world = chromiumWorld({ signing: true, host: { startSync: true }, env: { QABYLDAU_SYNC__INTERVAL_SECONDS: '1' } });
const shot = screenshotter('e2e');

describe('Diagram 3 in Chromium', () => {
  it('walks from log-in to the registration number', async () => {
    const { page, stack } = world;
    await page.goto(stack.web.url);
    await page.getByTestId('screen-login').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('kk');
    await expect.poll(() => page.url()).not.toContain('token=');
    await shot(page, 'login-kk');

    // A wrong password first: the operator sees a sentence in Kazakh, not a code.
    await page.getByTestId('login').fill('operator');
    await page.getByTestId('password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('error').textContent()).toContain('Логин немесе құпиясөз қате');

    // P1
    await page.getByTestId('password').fill('operator123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('screen-service').waitFor();
    await expect.poll(() => page.getByTestId('operator-name').textContent()).toContain('Омаров Ерлан Серікұлы');
    await page.getByTestId('service-emission-permit-almaty').waitFor();
    await shot(page, 'service');

    // P2: the permit for a category III object (10 working days).
    await page.getByTestId('sub-emission-permit-almaty').selectOption('cat-3');
    await page.getByTestId('choose-emission-permit-almaty').click();
    await page.getByTestId('screen-applicant').waitFor();

    // P3: a mistyped IIN is caught at once; the right one is found in the registry.
    await page.getByTestId('idn').fill('900702400458');
    await expect.poll(() => page.getByTestId('idn-problem').textContent()).toContain('Бақылау саны');
    await page.getByTestId('idn').fill('900702400457');
    // What the number says: born 2 July 1990, 20th century, a woman.
    await expect.poll(() => page.getByTestId('idn-facts').textContent()).toBe('Туған күні 1990 жылғы 2 шілде · XX ғасыр · әйел адам');
    await page.getByTestId('lookup').click();
    await page.getByTestId('applicant-found').waitFor();
    expect(await page.getByTestId('applicant-name').textContent()).toBe('Жұмабаева Әсел Қайратқызы');
    await shot(page, 'applicant');
    await page.getByTestId('create-request').click();

    // P5: mark the documents presented; scan one page, import the others.
    await page.getByTestId('screen-documents').waitFor();
    const localNumber = await page.getByTestId('local-number').textContent();
    expect(localNumber).toMatch(/^ALM-01-W01-\d{4}-\d{6}$/);
    const required = ['application', 'identity', 'emission-standards-draft', 'eco-expertise-conclusion', 'environmental-plan'];
    for (const slot of required) {
      await page.getByTestId(`presented-${slot}`).check();
      await page.getByTestId(`slot-${slot}`).locator('.slot-body').waitFor();
    }
    await page.getByTestId('original-application').check();
    // One sheet on the glass: the flatbed profile (the feeder profile would take the whole stack).
    await page.getByTestId('scan-profile').selectOption('flatbed-300-gray');
    await page.getByTestId('scan-application').click();
    await page.getByTestId('slot-application').getByTestId('page-thumb').waitFor({ timeout: 60_000 });
    for (const slot of required.slice(1)) {
      await page.getByTestId(`import-${slot}`).setInputFiles(join(FIXTURES, slot === 'identity' ? 'page-color.png' : 'page-gray.jpg'));
      await page.getByTestId(`slot-${slot}`).getByTestId('page-thumb').waitFor();
    }
    await expect.poll(() => page.getByTestId('to-sign').isEnabled()).toBe(true);
    await shot(page, 'documents');

    // Sign with the operator's key: a wrong password is refused with a clear message.
    await page.getByTestId('to-sign').click();
    await page.getByTestId('screen-sign').waitFor();
    // The expected result date in the words the receipt prints: seed 003 counts from the handing
    // of the package to the State Corporation (today, if signed now).
    await expect.poll(() => page.getByTestId('expected-rule').textContent()).toBe(deadlineWords('kk', { unit: 'working_days', count: 10, countsFrom: 'handover' }));
    expect(await page.getByTestId('expected-estimate').textContent()).toBe(estimateWords('kk', 'handover'));
    await page.getByTestId('key-password').fill('not-the-password');
    await page.getByTestId('sign-submit').click();
    await expect.poll(() => page.getByTestId('error').getAttribute('data-code')).toBe('SIGN_WRONG_PASSWORD');
    await shot(page, 'sign-wrong-password');
    await page.getByTestId('key-password').fill('Qwerty12');
    await page.getByTestId('sign-submit').click();

    // P6/P7: queued, sent, and the registration number appears.
    await page.getByTestId('screen-done').waitFor();
    expect(await page.getByTestId('done-local-number').textContent()).toBe(localNumber);
    expect(await page.getByTestId('done-heading').textContent()).toBe('Өтініш қабылданды');
    await expect.poll(() => page.getByTestId('registration-number').textContent(), { timeout: 30_000 }).toMatch(/^KZ\d{2}SBX\d{8}$/);
    await shot(page, 'registered');

    // The receipt in Russian, as the applicant asks: under the browser host it opens as a PDF.
    const popup = page.waitForEvent('popup');
    await page.getByTestId('receipt-ru').click();
    await (await popup).close();
    await page.getByTestId('receipt-done').waitFor();

    // The backend registered it exactly once.
    const stats = await stack.admin.stats();
    expect(stats.submissions).toBe(1);

    // The queue lists it, and the UI speaks Russian and English too.
    await page.getByTestId('nav-queue').click();
    await page.getByTestId('queue-row').first().waitFor();
    await page.getByTestId('lang-ru').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Заявления');
    await shot(page, 'queue-ru');
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Requests');
    await shot(page, 'queue-en');
    expect(existsSync(join(stack.dir, 'data', 'qabyldau.sqlite'))).toBe(true);
  });
});
