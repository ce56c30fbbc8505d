/**
 * Issue 14's acceptance with the keyboard only, in a real Chromium (test/support/keyboard-walk.ts):
 * log-in, service search, IIN, five documents with a 10-page batch from the SANE test device's
 * feeder, a page at reading size, signature, receipt. It fails on any pointer event. On every
 * screen axe runs in Kazakh, Russian and English and the test fails on a serious or critical
 * violation (reports in test-results/axe/). Screenshots of the search, the viewer and the work
 * list in kk and ru go to test-results/keyboard/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeScreen, saveAxeSummary, switchLanguage, type AxeFinding } from '../support/axe.js';
import { screenshotter } from '../support/browser.js';
import { chromiumWorld } from '../support/e2e.js';
import { instrument, keyboardAcceptance } from '../support/keyboard-walk.js';

const world = chromiumWorld({ signing: true, host: { startSync: true }, env: { QABYLDAU_SYNC__INTERVAL_SECONDS: '1' } });
const shot = screenshotter('keyboard');
const findings: AxeFinding[] = [];
const screens: string[] = [];

let page: Page;

async function check(name: string): Promise<void> {
  screens.push(name);
  findings.push(...(await axeScreen(page, name)));
}

async function shotKkRu(name: string): Promise<void> {
  await shot(page, `${name}-kk`);
  await switchLanguage(page, 'ru');
  await shot(page, `${name}-ru`);
  await switchLanguage(page, 'kk');
}

describe('a whole acceptance with the keyboard only', () => {
  it('logs in, finds the service, identifies, scans 14 pages into five documents, reviews a page, signs and prints the receipt; every screen passes axe in kk/ru/en', { timeout: 300_000 }, async () => {
    const { stack } = world;
    // A page of its own context: axe opens a helper page beside it in the same context.
    page = await (await world.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await instrument(page);
    const result = await keyboardAcceptance(page, stack.web.url, { charMs: 0, decisionMs: 0 }, {
      onScreen: async (name) => {
        await check(name);
        if (name === 'search' || name === 'viewer') await shotKkRu(name);
      },
    }).catch(async (e: unknown) => {
      await shot(page, 'failed');
      throw e;
    });
    expect(result.pointerEvents).toBe(0);
    expect(result.localNumber).toMatch(/^ALM-01-W01-\d{4}-\d{6}$/);
    // The viewer showed the page at reading size (the window's width, zoomed once), not a thumbnail.
    expect(result.viewerWidth).toBeGreaterThan(1000);
    expect(result.waits.find((w) => w.step === 'scan-application')?.pages).toBe(10);

    // The request is signed and in the work list: Alt+Q, with its service and due date.
    await page.keyboard.press('Alt+KeyQ');
    await page.getByTestId('worklist').waitFor();
    const row = page.getByTestId('queue-row').filter({ hasText: result.localNumber });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('эмиссия');
    expect(await row.getByTestId('due').textContent()).toMatch(/\d{2}\.\d{2}\.\d{4}/);
    await check('worklist');
    await shotKkRu('worklist');
    expect(await page.evaluate(() => window.__qabPointer)).toBe(0);

    saveAxeSummary(screens, findings);
    expect(findings).toEqual([]);
  });
});
