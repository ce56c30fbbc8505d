/**
 * The operator is told why (issue 18), in a real Chromium: the header's line indicator in each
 * state (online; E-licensing in maintenance until HH:MM; rate limited until HH:MM; offline) with
 * the number of requests waiting, in Kazakh and Russian; the queue screen's time of the last
 * successful contact; and "Send now" answering with what happened. Screenshots of every state in
 * kk and ru go to test-results/link-state/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { SyncWorld } from '../support/sync-fixture.js';
import { queueRequests } from '../support/sync-fixture.js';
import { screenshotter } from '../support/browser.js';
import { chromiumWorld, signInAsOperator } from '../support/e2e.js';

// Pauses hold long enough to look at (10 min); rounds every second.
const world = chromiumWorld({
  host: { startSync: true },
  sandbox: { decisionDelayMs: 3_600_000 },
  env: { QABYLDAU_SYNC__INTERVAL_SECONDS: '1', QABYLDAU_SYNC__MAX_PAUSE_SECONDS: '600' },
});
const shot = screenshotter('link-state');

const indicator = (page: Page) => page.getByTestId('online');
const state = (page: Page) => indicator(page).getAttribute('data-state');
const text = async (page: Page) => (await indicator(page).textContent()) ?? '';

/** The indicator (and Send now's answer, when shown: it follows the language switched after it) in kk, then ru. */
async function both(page: Page, name: string, kk: string[], ru: string[], sendNow?: { kk: string; ru: string }): Promise<void> {
  const answer = () => page.getByTestId('sync-now-result').textContent();
  await page.getByTestId('lang-kk').click();
  for (const s of kk) await expect.poll(() => text(page), { timeout: 5_000 }).toContain(s);
  if (sendNow) await expect.poll(answer, { timeout: 5_000 }).toContain(sendNow.kk);
  await shot(page, `${name}-kk`);
  await page.getByTestId('lang-ru').click();
  for (const s of ru) await expect.poll(() => text(page), { timeout: 5_000 }).toContain(s);
  if (sendNow) await expect.poll(answer, { timeout: 5_000 }).toContain(sendNow.ru);
  await shot(page, `${name}-ru`);
}

describe('the line indicator', () => {
  it('shows online, maintenance until HH:MM, rate limited, offline with the queue count, in kk and ru; Send now answers', { timeout: 120_000 }, async () => {
    const { page, stack } = world;
    await signInAsOperator(world);
    await page.getByTestId('screen-service').waitFor();

    await expect.poll(() => state(page), { timeout: 10_000 }).toBe('online');
    await both(page, 'online', ['Желіде'], ['В сети']);

    // Maintenance for 15 minutes, with two requests waiting.
    await stack.admin.maintenance(900);
    const operatorId = (stack.host.db.prepare(`SELECT id FROM operators WHERE login = 'operator'`).get() as { id: string }).id;
    const w = { store: stack.host.store, requests: stack.host.requests, now: () => new Date(), operatorId } as unknown as SyncWorld;
    await queueRequests(w, { count: 2 });
    await expect.poll(() => state(page), { timeout: 10_000 }).toBe('maintenance');
    await both(page, 'maintenance', ['техникалық жұмыстар', 'дейін', 'кезекте: 2'], ['на техобслуживании до', 'в очереди: 2']);
    // Until HH:MM, or with its date when the end falls on the next day (15 minutes before
    // midnight); test/unit/renderer/format-time.test.ts checks which one is said when.
    expect(await text(page)).toMatch(/до (\d{1,2} [а-я]+ \d{4} г\., )?\d\d:\d\d/);

    // The queue screen: the last successful contact, and Send now answers with the maintenance.
    await page.getByTestId('nav-queue').click();
    await page.getByTestId('screen-queue').waitFor();
    expect(await page.getByTestId('last-contact').textContent()).toContain('Последняя связь с Е-лицензированием');
    await page.getByTestId('sync-now').click();
    await expect.poll(() => page.getByTestId('sync-now-result').textContent(), { timeout: 1_500 }).toContain('всё ещё на техобслуживании до');
    await shot(page, 'queue-send-now-maintenance-ru');
    await page.getByTestId('lang-kk').click();
    expect(await page.getByTestId('last-contact').textContent()).toContain('соңғы байланыс');
    await page.getByTestId('sync-now').click();
    await expect.poll(() => page.getByTestId('sync-now-result').textContent(), { timeout: 1_500 }).toContain('техникалық жұмыстар жалғасуда');
    await shot(page, 'queue-send-now-maintenance-kk');

    // Rate limited (429) is told apart from maintenance (503).
    await stack.admin.maintenance(0);
    await stack.admin.setFaults({ rules: [{ endpoint: 'health', kind: 'rateLimit', retryAfterSeconds: 600 }] });
    await page.waitForTimeout(1100);
    await page.getByTestId('sync-now').click();
    await expect.poll(() => page.getByTestId('sync-now-result').textContent(), { timeout: 1_500 }).toContain('сұрауларды шектеді');
    await expect.poll(() => state(page), { timeout: 5_000 }).toBe('rate_limited');
    await both(page, 'rate-limited', ['сұрауларды шектеді', 'кезекте: 2'], ['ограничило запросы до', 'в очереди: 2'], {
      kk: 'дейін сұрауларды шектеді: жіберу өздігінен жалғасады',
      ru: 'ограничило запросы до',
    });

    // Offline: the backend gone.
    await stack.admin.clearFaults();
    await stack.stopSandbox();
    try {
      await page.waitForTimeout(1100);
      await page.getByTestId('sync-now').click();
      await expect.poll(() => page.getByTestId('sync-now-result').textContent(), { timeout: 1_500 }).toContain('Нет связи с Е-лицензированием');
      await expect.poll(() => state(page), { timeout: 5_000 }).toBe('offline');
      await both(page, 'offline', ['Желіден тыс', 'кезекте: 2'], ['Нет связи', 'в очереди: 2'], {
        kk: 'Е-лицензиялау жүйесімен байланыс жоқ',
        ru: 'Нет связи с Е-лицензированием',
      });
    } finally {
      await stack.startSandbox();
    }

    // Back: Send now sends the queue at once.
    await page.waitForTimeout(1100);
    await page.getByTestId('sync-now').click();
    await expect.poll(() => page.getByTestId('sync-now-result').textContent(), { timeout: 1_500 }).toMatch(/Связь есть/);
    await expect.poll(() => state(page), { timeout: 5_000 }).toBe('online');
    await expect.poll(() => text(page), { timeout: 10_000 }).not.toContain('в очереди');
    await shot(page, 'back-online-ru');
  });
});
