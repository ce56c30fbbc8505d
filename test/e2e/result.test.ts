/**
 * P9 in a real Chromium: a request registered, approved and its permit verified by the running
 * sync engine (against the sandbox, mutual TLS, the test PKI's provider root) is opened from the
 * queue; the operator sees the signature check, opens the permit and hands it over to the
 * applicant (the issuance sheet opens as a PDF under the browser host); the engine acknowledges
 * the issue to the backend. Screenshots go to test-results/e2e-result/.
 */
import { describe, expect, it } from 'vitest';
import { screenshotter } from '../support/browser.js';
import { chromiumWorld } from '../support/e2e.js';
import { openFirstQueuedResult, signedRequestUntil } from '../support/e2e-walks.js';

const world = chromiumWorld({ signing: true, host: { startSync: true }, sandbox: { decisionDelayMs: 300 }, env: { QABYLDAU_SYNC__INTERVAL_SECONDS: '1' } }, { width: 1280, height: 1000 });
const shot = screenshotter('e2e-result');

describe('the result at the counter, in Chromium', () => {
  it('shows the verified permit and hands it over with the issuance sheet', { timeout: 120_000 }, async () => {
    const { page, stack } = world;
    await signedRequestUntil(stack, 'result_ready');
    await openFirstQueuedResult(world);
    expect(await page.getByTestId('result-verification').getAttribute('data-verification')).toBe('valid');
    expect(await page.getByTestId('result-verification').textContent()).toBe('Қол жарамды');
    expect(await page.getByTestId('done-heading').textContent()).toBe('Нәтиже дайын');
    await shot(page, 'result-ready');

    const permit = page.waitForEvent('popup');
    await page.getByTestId('result-open').click();
    await (await permit).close();

    await page.getByTestId('issue-language').selectOption('ru');
    const sheet = page.waitForEvent('popup');
    await page.getByTestId('issue-applicant').click();
    await (await sheet).close();
    await page.getByTestId('issued').waitFor();
    // The operator sees to whom it went (the UI is in Kazakh; the sheet was printed in Russian).
    expect(await page.getByTestId('issued').textContent()).toMatch(/^Өтініш берушіге берілді: /);
    await expect.poll(() => page.getByTestId('done-status').getAttribute('data-status')).toBe('issued');
    expect(await page.getByTestId('done-heading').textContent()).toBe('Нәтиже берілді');
    await shot(page, 'issued');
    await expect.poll(async () => (await stack.admin.stats()).issued, { timeout: 30_000 }).toBe(1);
  });
});
