/**
 * The supervisor's view of reads in Chromium: after an operator looked an applicant up and searched
 * for their requests, an administrator (who has the supervisor's access) types the IIN in Settings
 * and sees who read the data, when and how, in Kazakh. Screenshot in test-results/e2e-reads-audit/.
 */
import { describe, expect, it } from 'vitest';
import { screenshotter } from '../support/browser.js';
import { chromiumWorld } from '../support/e2e.js';

const world = chromiumWorld();
const shot = screenshotter('e2e-reads-audit');
const IIN = '900702400457';

describe("who read an applicant's data", () => {
  it('is listed for the supervisor by IIN', { timeout: 90_000 }, async () => {
    const { page, stack } = world;
    await stack.login();
    await stack.ok('applicant.lookup', { kind: 'iin', number: IIN });
    await stack.ok('request.create', { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4', applicant: { kind: 'iin', number: IIN, manualName: null } });
    await stack.ok('request.search', { applicant: { kind: 'iin', number: IIN } });

    await stack.raw('auth.logout', {}); // the workstation has one session
    await page.goto(stack.web.url);
    await page.getByTestId('login').fill('admin');
    await page.getByTestId('password').fill('admin123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('reads-number').fill(IIN);
    await page.getByTestId('reads-submit').click();
    await page.getByTestId('reads-table').waitFor();
    const rows = page.getByTestId('reads-row');
    expect(await rows.count()).toBe(2);
    expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-action')).sort())).toEqual(['read.applicant', 'read.search']);
    expect(await page.getByTestId('reads-table').textContent()).toContain('Омаров Ерлан Серікұлы');
    expect(await page.getByTestId('reads-table').textContent()).toContain('Өтініш берушіні іздеді');
    await page.getByTestId('reads-panel').scrollIntoViewIfNeeded();
    await shot(page, 'reads');
    await page.getByTestId('reads-number').fill('850315300128');
    await page.getByTestId('reads-submit').click();
    await page.getByTestId('reads-unknown').waitFor();
  });
});
