/**
 * Keyboard details beyond the main walk (keyboard-acceptance.test.ts), in a real Chromium:
 * Alt+F finds the screen's search field (the work list's, the service search's) and, on a screen
 * without one, the service search; with the state registry down, the manual-entry form takes the
 * focus and Enter continues, as every other form does.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumWorld } from '../support/e2e.js';

const world = chromiumWorld({ host: { startSync: true }, env: { QABYLDAU_SYNC__INTERVAL_SECONDS: '3600' } });

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

async function signInByKeyboard(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('login').waitFor();
  await page.getByTestId('login').focus();
  await page.keyboard.type('operator');
  await page.keyboard.press('Tab');
  await page.keyboard.type('operator123');
  await page.keyboard.press('Enter');
  await expect.poll(() => focusedTestId(page)).toBe('service-search');
}

/** From the service search: the Almaty emission permit, category IV, then Enter to the applicant. */
async function toApplicant(page: Page): Promise<void> {
  await page.getByTestId('service-search').focus();
  await page.keyboard.type('алматы эмиссия IV санатты');
  await expect
    .poll(() => page.evaluate(() => document.querySelector('[data-testid="service-result"][aria-selected="true"]')?.getAttribute('data-key')))
    .toBe('emission-permit-almaty/cat-4');
  await page.keyboard.press('Enter');
  await expect.poll(() => focusedTestId(page)).toBe('idn');
}

describe('Alt+F and Enter', () => {
  it('goes to the search field of the work list, of the service screen, and to the service search from a screen without one', { timeout: 90_000 }, async () => {
    const { page, stack } = world;
    await signInByKeyboard(page, stack.web.url);

    // The work list: the focus elsewhere (a column header), Alt+F brings it to the list's search.
    await page.keyboard.press('Alt+KeyQ');
    await page.getByTestId('screen-queue').waitFor();
    await page.getByTestId('queue-status').focus();
    await page.keyboard.press('Alt+KeyF');
    await expect.poll(() => focusedTestId(page)).toBe('queue-search');

    // The service screen: typed text selected, so what is typed next replaces it.
    await page.keyboard.press('Alt+KeyN');
    await expect.poll(() => focusedTestId(page)).toBe('service-search');
    await page.keyboard.type('эмиссия');
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).not.toBe('service-search');
    await page.keyboard.press('Alt+KeyF');
    await expect.poll(() => focusedTestId(page)).toBe('service-search');
    await page.keyboard.type('лицензия');
    expect(await page.getByTestId('service-search').inputValue()).toBe('лицензия');

    // The applicant screen has no search: Alt+F opens the service search.
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await toApplicant(page);
    await page.keyboard.press('Alt+KeyF');
    await page.getByTestId('screen-applicant').waitFor({ state: 'detached' });
    await expect.poll(() => focusedTestId(page)).toBe('service-search');
  });

  it('with the registry down, the name field takes the focus and Enter opens the request (unverified)', { timeout: 90_000 }, async () => {
    const { page, stack } = world;
    await stack.stopSandbox();
    try {
      await page.keyboard.press('Alt+KeyN');
      await expect.poll(() => focusedTestId(page)).toBe('service-search');
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
      await toApplicant(page);
      await page.keyboard.type('900702400457');
      await page.keyboard.press('Enter');
      await page.getByTestId('applicant-offline').waitFor();
      await expect.poll(() => focusedTestId(page)).toBe('manual-name');
      // Enter with no name yet does nothing; with the name it continues.
      await page.keyboard.press('Enter');
      expect(await page.getByTestId('screen-applicant').isVisible()).toBe(true);
      await page.keyboard.type('Ахметова Айгерім Серікқызы');
      await page.keyboard.press('Enter');
      await page.getByTestId('screen-documents').waitFor();
      const documents = (await page.getByTestId('screen-documents').textContent()) ?? '';
      expect(documents).toContain('Ахметова Айгерім Серікқызы');
      expect(documents).toContain('Тексерілмеген');
    } finally {
      await stack.startSandbox();
    }
  });
});
