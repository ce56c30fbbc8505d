/**
 * The page viewer on a 100-page document, in a real Chromium against the real host (issue 14: "it
 * stays fast on a 100-page document: images are loaded on demand, not all at once"). Asserted on
 * COUNTS of the host's page-image calls (POST /api/pages.content; with maxPx = a thumbnail, without =
 * the page at full size), never on times: after opening the request only the thumbnails near the
 * window are asked for, scrolling to the end asks for more (page 100's among them), the arrow keys
 * step through all 100 pages to page 100 shown at reading size, and the full-size loads are exactly
 * the pages shown. The times (opening to first thumbnail, per keyboard step) are printed beside the
 * same figures for a 5-page document in the same test, as a ratio, as the benches do.
 *
 * The viewer holds the page it stands on itself (a step re-renders the viewer, not the documents
 * screen behind it with its 100 thumbnails); the last case checks it still follows the page when
 * a page is moved or deleted from it.
 */
import type { Page, Request } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { chromiumWorld } from '../support/e2e.js';
import type { Stack } from '../support/stack.js';

const world = chromiumWorld({}, { width: 1280, height: 800 });
const APPLICANT_IIN = '900702400457';

/** A generated page (about 120 dpi A4) of text-like bars, different for each n. */
function textPage(n: number): Promise<Buffer> {
  const lines = Array.from({ length: 28 }, (_, i) => `<rect x="${100 + ((i + n) % 4) * 30}" y="${140 + i * 44}" width="${760 - ((i * 7 + n) % 6) * 70}" height="12" fill="#222"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1414"><rect width="1000" height="1414" fill="#fff"/>${lines}<rect x="100" y="60" width="${40 + n * 8}" height="30" fill="#000"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

/** A draft request (the emission permit, category IV) whose application holds `n` imported pages, through the contract. */
async function requestWithPages(stack: Stack, n: number): Promise<{ localNumber: string; pageIds: string[]; width: number }> {
  await stack.login();
  await stack.ok('applicant.lookup', { kind: 'iin', number: APPLICANT_IIN });
  const r = await stack.ok('request.create', { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4', applicant: { kind: 'iin', number: APPLICANT_IIN, manualName: null } });
  await stack.ok('request.setDocument', { requestId: r.id, slotId: 'application', presented: true, original: true });
  let detail = r;
  for (let i = 1; i <= n; i++) {
    detail = await stack.ok('pages.import', { requestId: r.id, slotId: 'application', fileName: `p${i}.jpg`, dataBase64: (await textPage(i)).toString('base64') });
  }
  const pages = detail.slots.find((s) => s.slotId === 'application')!.pages;
  expect(pages).toHaveLength(n);
  return { localNumber: detail.localNumber, pageIds: pages.map((p) => p.id), width: pages[0]!.width ?? 0 };
}

/** Every page-image call the renderer makes, by kind. */
function imageCalls(page: Page) {
  const thumbs: string[] = [];
  const full: string[] = [];
  const seen = (q: Request) => {
    if (!q.url().endsWith('/api/pages.content')) return;
    const body = q.postDataJSON() as { pageId: string; maxPx?: number };
    (body.maxPx === undefined ? full : thumbs).push(body.pageId);
  };
  page.on('request', seen);
  return { thumbs, full, stop: () => page.off('request', seen) };
}

/** Waits until no new thumbnail call came for `quietMs`. */
async function settled(list: readonly string[], quietMs = 1_500): Promise<number> {
  let last = -1;
  while (last !== list.length) {
    last = list.length;
    await new Promise((r) => setTimeout(r, quietMs));
  }
  return last;
}

/** Thumbnails whose box is within the window grown by `margin` px on each side (the viewer loads at 300 px). */
const thumbsNearView = (page: Page, margin: number) =>
  page.evaluate(
    (m) =>
      [...document.querySelectorAll('[data-testid="slot-application"] [data-testid="page-open"]')].filter((el) => {
        const b = el.getBoundingClientRect();
        return b.bottom > -m && b.top < innerHeight + m && b.right > -m && b.left < innerWidth + m;
      }).length,
    margin,
  );

/** The viewer's image of that page, decoded. */
const shownPage = (page: Page, pageId: string) =>
  page.waitForFunction((id) => {
    const img = document.querySelector<HTMLImageElement>(`[data-testid="viewer-image"][data-page-id="${id}"]`);
    return !!img && img.complete && img.naturalWidth > 0;
  }, pageId);

interface Figures {
  firstThumbMs: number;
  stepMs: number[];
}

/** Opens the request from the work list, then its first page in the viewer, and steps with → to the last page. */
async function openAndStep(page: Page, doc: { localNumber: string; pageIds: string[]; width: number }, check: (calls: ReturnType<typeof imageCalls>) => Promise<void>): Promise<Figures> {
  await page.getByTestId('nav-queue').click();
  const row = page.getByTestId('queue-row').filter({ hasText: doc.localNumber });
  await expect.poll(() => row.count()).toBe(1);
  const calls = imageCalls(page);
  const t0 = performance.now();
  await row.getByTestId('row-open').click();
  const slot = page.getByTestId('slot-application');
  await slot.getByTestId('page-thumb').first().locator('img').waitFor();
  const firstThumbMs = performance.now() - t0;
  // A thumbnail is the host's small copy (at most 320 px a side), not the page.
  const thumbSide = await slot.getByTestId('page-thumb').first().locator('img').evaluate((img: HTMLImageElement) => Math.max(img.naturalWidth, img.naturalHeight));
  expect(thumbSide).toBeLessThanOrEqual(320);
  await check(calls);

  await slot.getByTestId('page-open').first().scrollIntoViewIfNeeded();
  await slot.getByTestId('page-open').first().focus();
  await page.keyboard.press('Enter');
  await shownPage(page, doc.pageIds[0]!);
  const stepMs: number[] = [];
  for (let i = 1; i < doc.pageIds.length; i++) {
    const t = performance.now();
    await page.keyboard.press('ArrowRight');
    await shownPage(page, doc.pageIds[i]!);
    stepMs.push(performance.now() - t);
  }
  expect(await page.getByTestId('viewer-title').textContent()).toContain(String(doc.pageIds.length));
  // Reading size: the page's width fills the viewer's area (zoom 1), from the page itself, not a thumbnail.
  const size = await page.evaluate(() => {
    const img = document.querySelector<HTMLImageElement>('[data-testid="viewer-image"]')!;
    return { shown: img.getBoundingClientRect().width, area: document.querySelector('[data-testid="viewer-scroll"]')!.clientWidth, natural: img.naturalWidth };
  });
  expect(size.natural).toBe(doc.width);
  expect(size.shown).toBeGreaterThanOrEqual(size.area * 0.9);
  // Full size only for the pages shown, each once (the one fetched ahead is the next one shown).
  expect(calls.full).toHaveLength(doc.pageIds.length);
  expect([...calls.full].sort()).toEqual([...doc.pageIds].sort());
  await page.keyboard.press('Escape');
  await page.getByTestId('page-viewer').waitFor({ state: 'detached' });
  calls.stop();
  return { firstThumbMs, stepMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('the page viewer on a 100-page document', () => {
  it('asks only for the thumbnails in view, more on scrolling, and a full page only for each page shown; steps by keyboard to page 100', { timeout: 300_000 }, async () => {
    const { page, stack } = world;
    const small = await requestWithPages(stack, 5);
    const large = await requestWithPages(stack, 100);
    await page.goto(stack.web.url);
    await page.getByTestId('screen-service').waitFor();

    const five = await openAndStep(page, small, async (calls) => {
      expect(await settled(calls.thumbs)).toBe(5);
    });

    const hundred = await openAndStep(page, large, async (calls) => {
      const asked = await settled(calls.thumbs);
      const near = await thumbsNearView(page, 300);
      console.log(`[viewer-100] after opening: ${asked} thumbnails asked for, ${near} within 300 px of the window, 0 full pages (${calls.full.length})`);
      expect(calls.full).toEqual([]);
      expect(asked).toBeGreaterThan(0);
      expect(asked).toBeLessThanOrEqual(near);
      expect(asked).toBeLessThan(60);
      expect(new Set(calls.thumbs).size).toBe(asked);

      // Scrolling to the end asks for the last pages' thumbnails (page 100's among them), not the ones skipped over.
      await page.getByTestId('slot-application').getByTestId('page-open').last().scrollIntoViewIfNeeded();
      await expect.poll(() => calls.thumbs.includes(large.pageIds[99]!)).toBe(true);
      const afterScroll = await settled(calls.thumbs);
      console.log(`[viewer-100] after scrolling to the end: ${afterScroll} thumbnails asked for`);
      expect(afterScroll).toBeGreaterThan(asked);
      expect(afterScroll).toBeLessThan(100);
      expect(calls.full).toEqual([]);
    });

    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(
      `[viewer-100] open -> first thumbnail: 5 pages ${five.firstThumbMs.toFixed(0)} ms, 100 pages ${hundred.firstThumbMs.toFixed(0)} ms, ratio ${ratio(hundred.firstThumbMs, five.firstThumbMs)}\n` +
        `[viewer-100] keyboard step (median): 5 pages ${median(five.stepMs).toFixed(1)} ms over ${five.stepMs.length} steps, 100 pages ${median(hundred.stepMs).toFixed(1)} ms over ${hundred.stepMs.length} steps, ratio ${ratio(median(hundred.stepMs), median(five.stepMs))}`,
    );
  });

  it('follows the page shown when it is moved (Alt+→) or deleted (Delete) from the viewer, and closes when the last page goes', { timeout: 120_000 }, async () => {
    const { page, stack } = world;
    const doc = await requestWithPages(stack, 3);
    const [a, b, c] = doc.pageIds as [string, string, string];
    await page.goto(stack.web.url);
    await page.getByTestId('screen-service').waitFor();
    await page.getByTestId('nav-queue').click();
    const row = page.getByTestId('queue-row').filter({ hasText: doc.localNumber });
    await expect.poll(() => row.count()).toBe(1);
    await row.getByTestId('row-open').click();
    const slot = page.getByTestId('slot-application');
    await slot.getByTestId('page-open').first().focus();
    await page.keyboard.press('Enter');
    await shownPage(page, a);
    await page.keyboard.press('ArrowRight');
    await shownPage(page, b);
    // Moved to the end: the viewer goes with it (page 3 of 3).
    await page.keyboard.press('Alt+ArrowRight');
    await expect.poll(() => page.getByTestId('viewer-title').textContent()).toContain('3');
    await shownPage(page, b);
    // Deleted: the page now in its place (the last one, c) is shown; then a; then the viewer closes.
    await page.keyboard.press('Delete');
    await shownPage(page, c);
    await page.keyboard.press('Delete');
    await shownPage(page, a);
    await page.keyboard.press('Delete');
    await page.getByTestId('page-viewer').waitFor({ state: 'detached' });
    await expect.poll(() => slot.getByTestId('page-thumb').count()).toBe(0);
  });
});
