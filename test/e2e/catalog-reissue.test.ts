/**
 * The catalogue by sub-service in Chromium: a reissue of an emission permit (seed 003) shows its
 * own application form, result, legal source and checklist (the permit being reissued and the
 * grounds for reissue, not the draft emission standards of a new permit), in Kazakh and Russian.
 * Screenshots go to test-results/e2e-catalog/.
 */
import { describe, expect, it } from 'vitest';
import { screenshotter } from '../support/browser.js';
import { chromiumWorld, signInAsOperator } from '../support/e2e.js';

const world = chromiumWorld({ host: { startSync: false } });
const shot = screenshotter('e2e-catalog');

describe('a reissue with its own checklist', () => {
  it('shows the reissue form, result and source, and asks for the reissue documents only', { timeout: 90_000 }, async () => {
    const { page } = world;
    await signInAsOperator(world);
    await page.getByTestId('screen-service').waitFor();

    // P2: the reissue, with the form of Appendix 3 and the line of seed 003 it comes from.
    await page.getByTestId('sub-emission-permit-almaty').selectOption('reissue');
    await expect.poll(() => page.getByTestId('basis-emission-permit-almaty').textContent()).toContain('Стандарттың 3-қосымшасындағы нысан');
    expect(await page.getByTestId('basis-emission-permit-almaty').textContent()).toContain('Негіз: 003 регламент, Appendix 1, para 4, 117-жол');
    expect(await page.getByTestId('service-emission-permit-almaty').textContent()).toContain('Қайта ресімделген рұқсат');
    await shot(page, 'reissue-service-kk');
    await page.getByTestId('lang-ru').click();
    await expect.poll(() => page.getByTestId('basis-emission-permit-almaty').textContent()).toContain('Форма приложения 3 к Стандарту');
    expect(await page.getByTestId('service-emission-permit-almaty').textContent()).toContain('Переоформленное разрешение');
    await shot(page, 'reissue-service-ru');
    await page.getByTestId('lang-kk').click();

    await page.getByTestId('choose-emission-permit-almaty').click();
    await page.getByTestId('kind-bin').check();
    await page.getByTestId('idn').fill('070240022228');
    await page.getByTestId('lookup').click();
    await page.getByTestId('create-request').click();
    await page.getByTestId('screen-documents').waitFor();

    // P5: the reissue's checklist.
    const slots = await page.locator('[data-testid^="slot-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(slots).toEqual(['slot-application', 'slot-identity', 'slot-power-of-attorney', 'slot-current-permit', 'slot-reissue-grounds']);
    expect(await page.getByTestId('slot-current-permit').textContent()).toContain('Қайта ресімделетін рұқсат');
    await shot(page, 'reissue-documents-kk');
    await page.getByTestId('lang-ru').click();
    await expect.poll(() => page.getByTestId('slot-current-permit').textContent()).toContain('Переоформляемое разрешение');
    expect(await page.getByTestId('slot-reissue-grounds').textContent()).toContain('Документы, подтверждающие основания переоформления');
    await shot(page, 'reissue-documents-ru');
  });
});
