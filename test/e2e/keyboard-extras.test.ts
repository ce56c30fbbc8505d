/**
 * Keyboard details beyond the main walk (keyboard-acceptance.test.ts), in a real Chromium:
 * Alt+F finds the screen's search field (the work list's, the service search's) and, on a screen
 * without one, does nothing (the request being entered stays); with the state registry down, the manual-entry form takes the
 * focus and Enter continues, as every other form does; the applicant's language set on the
 * applicant screen (the UI's by default) is the receipt's, and printing in the other one changes it;
 * a page fed askew (a generated page turned 4°) is marked skewed on its thumbnail and in the viewer,
 * a straight one is not.
 */
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { switchLanguage } from '../support/axe.js';
import { chromiumWorld } from '../support/e2e.js';
import { presentRequiredDocuments } from '../support/stack.js';

const world = chromiumWorld({ signing: true, host: { startSync: true }, env: { QABYLDAU_SYNC__INTERVAL_SECONDS: '3600' } });

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

async function signInByKeyboard(page: Page, url: string | null): Promise<void> {
  if (url) await page.goto(url);
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
  it('goes to the search field of the work list and of the service screen; on a screen without one it leaves nothing', { timeout: 90_000 }, async () => {
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

    // The applicant screen has no search: Alt+F, pressed while the number is being typed, leaves
    // the screen, the field and what is typed as they were (keys are handled in order: had it
    // navigated, the rest of the number would have gone elsewhere).
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await toApplicant(page);
    await page.keyboard.type('900702');
    await page.keyboard.press('Alt+KeyF');
    await page.keyboard.type('400457');
    expect(await page.getByTestId('idn').inputValue()).toBe('900702400457');
    expect(await focusedTestId(page)).toBe('idn');
    expect(await page.getByTestId('screen-applicant').isVisible()).toBe(true);
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

describe("the applicant's language", () => {
  it('defaults to the UI language, is stored with the request, and the receipt (Alt+K, the first button) prints in it', { timeout: 120_000 }, async () => {
    const { page, stack } = world;
    await switchLanguage(page, 'ru');
    await page.keyboard.press('Alt+KeyN');
    await expect.poll(() => focusedTestId(page)).toBe('service-search');
    await toApplicant(page);
    expect(await page.getByTestId('applicant-lang-ru').isChecked()).toBe(true);
    await page.keyboard.type('900702400457');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedTestId(page)).toBe('create-request');
    await page.keyboard.press('Enter');
    await page.getByTestId('screen-documents').waitFor();
    const localNumber = (await page.getByTestId('local-number').textContent())!.trim();

    // Documents and signature through the contract (the main walk does them by keyboard); the
    // contract's session is the same operator's, so the browser signs in again after it.
    await stack.login();
    const found = await stack.ok('request.search', { localNumber });
    let r = await stack.ok('request.get', { id: found.items[0]!.id });
    expect(r.applicantLanguage).toBe('ru');
    r = await presentRequiredDocuments(stack, r);
    await stack.ok('request.sign', { requestId: r.id, password: 'Qwerty12' });

    // The UI back in Kazakh: the receipt still offers Russian first, the applicant's language.
    await switchLanguage(page, 'kk');
    await signInByKeyboard(page, null);
    await page.keyboard.press('Alt+KeyQ');
    const row = page.getByTestId('queue-row').filter({ hasText: localNumber });
    await expect.poll(() => row.count()).toBe(1);
    await row.getByTestId('row-open').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('screen-done').waitFor();
    await expect.poll(() => focusedTestId(page)).toBe('receipt-ru');
    const asked = (lang: string) =>
      page.waitForRequest((q) => q.url().endsWith('/api/docs.receipt') && (q.postDataJSON() as { language: string }).language === lang, { timeout: 30_000 });
    let popup = page.waitForEvent('popup');
    const ru = asked('ru');
    await page.keyboard.press('Alt+KeyK');
    await ru;
    await (await popup).close();
    expect((await stack.ok('request.get', { id: r.id })).applicantLanguage).toBe('ru');

    // The applicant asks for Kazakh after all: that button records it on the request.
    popup = page.waitForEvent('popup');
    const kk = asked('kk');
    await page.getByTestId('receipt-kk').focus();
    await page.keyboard.press('Enter');
    await kk;
    await (await popup).close();
    await expect.poll(async () => (await stack.ok('request.get', { id: r.id })).applicantLanguage).toBe('kk');
  });
});

/** A generated A4 page (150 dpi) of text-like lines turned by `deg`, as a JPEG. */
function turnedPage(deg: number): Promise<Buffer> {
  const lines = Array.from({ length: 30 }, (_, i) => `<rect x="${120 + (i % 3) * 40}" y="${160 + i * 45}" width="${900 - (i % 5) * 80}" height="14" fill="#222"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1754"><rect width="1240" height="1754" fill="#fff"/><g transform="rotate(${deg} 620 877)">${lines}</g></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

describe('a skewed page', () => {
  it('is marked on its thumbnail (also in its spoken name) and in the viewer; a straight page is not', { timeout: 120_000 }, async () => {
    const { page } = world;
    await page.keyboard.press('Alt+KeyN');
    await expect.poll(() => focusedTestId(page)).toBe('service-search');
    await toApplicant(page);
    await page.keyboard.type('900702400457');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedTestId(page)).toBe('create-request');
    await page.keyboard.press('Enter');
    await page.getByTestId('screen-documents').waitFor();
    await page.getByTestId('presented-application').check();
    const slot = page.getByTestId('slot-application');
    await page.getByTestId('import-application').setInputFiles({ name: 'straight.jpg', mimeType: 'image/jpeg', buffer: await turnedPage(0) });
    await expect.poll(() => slot.getByTestId('page-thumb').count()).toBe(1);
    await page.getByTestId('import-application').setInputFiles({ name: 'askew.jpg', mimeType: 'image/jpeg', buffer: await turnedPage(4) });
    await expect.poll(() => slot.getByTestId('page-thumb').count()).toBe(2);
    const thumbs = slot.getByTestId('page-thumb');
    await expect.poll(() => thumbs.nth(1).getAttribute('data-flags')).toContain('skewed');
    expect(await thumbs.nth(0).getAttribute('data-flags')).not.toContain('skewed');
    expect(await thumbs.nth(1).getByTestId('page-open').getAttribute('aria-label')).toContain('қисық');
    expect(await thumbs.nth(0).getByTestId('page-open').getAttribute('aria-label')).not.toContain('қисық');

    await thumbs.nth(1).getByTestId('page-open').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('viewer-image').waitFor();
    expect(await page.getByTestId('viewer-flags').textContent()).toContain('қисық');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('viewer-title').textContent()).toContain('1');
    expect(await page.getByTestId('viewer-flags').count()).toBe(0);
    await page.keyboard.press('Escape');
  });
});
