/**
 * The regulation's clock in a real Chromium. The operator walks an acceptance (handed over at P9,
 * with the Appendix 3 questionnaire on this screen), a P4 refusal (the registry has no such
 * person) and an incomplete-documents refusal (the questionnaire on the customer display, a second
 * tab); the step timer shows on each Diagram 3 screen. Then the supervisor logs in, finds the three
 * in the dashboard with their step times, and exports the XLSX, which an independent reader
 * (exceljs) opens: it holds the figures the screen shows. No CSP violation on the way (Chart.js
 * under the strict CSP). Screenshots of the dashboard in kk and ru go to test-results/e2e-dashboard/.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshotter } from '../support/browser.js';
import { awaitWholeDay } from '../support/centre-day.js';
import { chromiumWorld, signInAsOperator } from '../support/e2e.js';
import { FIXTURES } from '../support/stack.js';

// The walk and the dashboard's "today" fall on one day of the Centre. The wait comes before the
// world starts: the app's one-time open code lasts 2 minutes.
beforeAll(() => awaitWholeDay(300_000), 330_000);
const world = chromiumWorld(
  { signing: true, host: { startSync: true }, sandbox: { decisionDelayMs: 300 }, env: { QABYLDAU_SYNC__INTERVAL_SECONDS: '1' } },
  { width: 1280, height: 1000 },
);
const shot = screenshotter('e2e-dashboard');
const SERVICE = 'emission-permit-almaty';
/** A valid IIN the sandbox's registry does not know: the look-up ends in P4. */
const P4_IIN = '930815400010';
const REQUIRED = ['application', 'identity', 'emission-standards-draft', 'eco-expertise-conclusion', 'environmental-plan'];

/** Counts Content-Security-Policy violations in the page (Chart.js must cause none). */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

async function chooseService(page: Page): Promise<void> {
  await page.getByTestId('nav-new').click();
  await page.getByTestId(`sub-${SERVICE}`).selectOption('cat-4');
  await page.getByTestId(`choose-${SERVICE}`).click();
  await page.getByTestId('screen-applicant').waitFor();
}

async function newRequestFor(page: Page, iin: string): Promise<string> {
  await chooseService(page);
  await page.getByTestId('idn').fill(iin);
  await page.getByTestId('lookup').click();
  await page.getByTestId('create-request').click();
  await page.getByTestId('screen-documents').waitFor();
  return (await page.getByTestId('local-number').textContent())!;
}

/** The figures of one table of the dashboard, as the screen holds them (the rounded numbers behind the words). */
async function screenTable(page: Page, sheetId: string): Promise<(string | number | null)[][]> {
  return page.getByTestId(`sheet-${sheetId}`).locator('tbody tr').evaluateAll((rows) =>
    rows.map((r) =>
      [...r.querySelectorAll('td')].map((td) => {
        const v = td.getAttribute('data-value') ?? '';
        if (v === '') return null;
        return td.classList.contains('num') ? Number(v) : v;
      }),
    ),
  );
}

describe('the regulation clock, in Chromium', () => {
  it('times an acceptance and two counter refusals, and the supervisor finds them in the dashboard and its XLSX', { timeout: 240_000 }, async () => {
    const { page } = world;
    const violations = await watchCsp(page);
    await signInAsOperator(world);
    await page.getByTestId('screen-service').waitFor();

    // 1. An acceptance: P2, P3, P5, signing; the step timer is on every screen and never takes focus.
    // The P2 timer on the applicant screen measures against the chosen service's norm (2 min, seed 003 para 10).
    await chooseService(page);
    await expect.poll(() => page.getByTestId('step-timer').getAttribute('data-step')).toBe('P2');
    await expect.poll(() => page.getByTestId('step-timer').textContent()).toContain('норма 2:00');
    const accepted = await newRequestFor(page, '900702400457');
    await page.getByTestId('step-timer').waitFor();
    expect(await page.getByTestId('step-timer').getAttribute('data-step')).toBe('P5');
    for (const slot of REQUIRED) {
      await page.getByTestId(`presented-${slot}`).check();
      await page.getByTestId(`import-${slot}`).setInputFiles(join(FIXTURES, 'page-gray.jpg'));
      await page.getByTestId(`slot-${slot}`).getByTestId('page-thumb').waitFor();
    }
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="step-timer"]') ?? null)).toBeNull();
    await page.getByTestId('to-sign').click();
    await page.getByTestId('screen-sign').waitFor();
    await page.getByTestId('key-password').fill('Qwerty12');
    await page.getByTestId('sign-submit').click();
    await page.getByTestId('screen-done').waitFor();
    // P7, C2 by the running engine against the sandbox; then P9 at the counter.
    await expect.poll(() => page.getByTestId('done-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('result_ready');
    await page.getByTestId('result-panel').waitFor();
    const sheet = page.waitForEvent('popup');
    await page.getByTestId('issue-applicant').click();
    await (await sheet).close();
    await expect.poll(() => page.getByTestId('done-status').getAttribute('data-status')).toBe('issued');

    // The questionnaire turned to the applicant on this screen, in Russian.
    await page.getByTestId('survey-here').click();
    await page.getByTestId('survey-lang-ru').click();
    expect(await page.getByTestId('survey-q-quality').textContent()).toContain('Удовлетворены ли Вы качеством процесса и результатом');
    await page.getByTestId('survey-quality-3').check();
    await page.getByTestId('survey-information-2').check();
    await shot(page, 'survey-on-screen');
    await page.getByTestId('survey-send').click();
    await page.getByTestId('survey-saved').waitFor();

    // 2. A P4 refusal: the registry cannot give the applicant's data; the refusal is recorded and
    // the questionnaire offered on this screen.
    await chooseService(page);
    await page.getByTestId('idn').fill(P4_IIN);
    await page.getByTestId('lookup').click();
    const p4 = page.getByTestId('p4-refusal');
    await p4.waitFor();
    await p4.getByTestId('survey-here').click();
    await page.getByTestId('survey-quality-2').check();
    await page.getByTestId('survey-information-3').check();
    await page.getByTestId('survey-send').click();
    await p4.getByTestId('survey-saved').waitFor();
    await shot(page, 'p4-refusal');

    // 3. Documents incomplete: refused at the counter; the questionnaire on the customer display,
    // a second tab.
    const refused = await newRequestFor(page, '900702400457');
    await page.getByTestId('presented-application').check();
    await page.locator('details:has([data-testid="refuse-ground"]) > summary').click();
    await page.getByTestId('refuse-ground').selectOption('incomplete');
    await page.getByTestId('refuse-submit').click();
    const card = page.getByTestId('counter-refusal');
    await card.waitFor();
    const displayOpened = page.waitForEvent('popup');
    await card.getByTestId('survey-display').click();
    const display = await displayOpened;
    await display.getByTestId('survey-form').waitFor();
    expect(await display.locator('html').getAttribute('lang')).toBe('kk');
    expect(await display.getByTestId('survey-q-information').textContent()).toContain('ақпарат сапасына қанағаттанасыз ба');
    await display.getByTestId('survey-quality-1').check();
    await display.getByTestId('survey-information-1').check();
    await shot(display, 'customer-display');
    await display.getByTestId('survey-send').click();
    await display.getByTestId('survey-thanks').waitFor();
    await card.getByTestId('survey-saved').waitFor();
    await shot(page, 'counter-refusal');
    await display.close();

    // 4. The supervisor.
    await page.getByTestId('logout').click();
    await page.getByTestId('login').fill('supervisor');
    await page.getByTestId('password').fill('supervisor123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('screen-dashboard').waitFor();
    await page.getByTestId('sheet-requests').waitFor();
    expect(await page.getByTestId('dashboard-scope').getAttribute('data-scope')).toBe('workstation');
    expect(await page.getByTestId('dashboard-scope').textContent()).toContain('Осы жұмыс орны');

    const summary = await screenTable(page, 'summary');
    // [figure, today, period]: accepted, refused incomplete, refused P4, registered, decided, issued.
    expect(summary.map((r) => r[1])).toEqual([1, 1, 1, 1, 1, 1]);
    const requests = await screenTable(page, 'requests');
    const row = (n: string) => requests.find((r) => r[0] === n)!;
    expect(row(accepted)[4]).toBe('Берілді');
    expect(row(refused)[4]).toBe('Бас тарту: құжаттар толық емес');
    expect(requests.some((r) => r[4] === 'Бас тарту (П4)')).toBe(true);
    // Step times in seconds, columns P1..P9 from the 7th (P1 P2 P3 P4 P5 P6 P7 C2 P9), each of
    // the three with the steps that apply to it and no other: the acceptance P1 (the session's
    // log-in: its first request carries it), P2, P3, its documents (five imports: never 0.0 s),
    // sending, registration, decision and the handing over; the P4 refusal its service choice and
    // P4; the incomplete refusal its service choice, look-up and documents until the refusal.
    const STEPS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'C2', 'P9'];
    const timed = (r: (string | number | null)[]) => STEPS.filter((_, i) => typeof r[6 + i] === 'number');
    expect(timed(row(accepted))).toEqual(['P1', 'P2', 'P3', 'P5', 'P6', 'P7', 'C2', 'P9']);
    expect(row(accepted)[6 + STEPS.indexOf('P5')]).toBeGreaterThan(0);
    expect(timed(requests.find((r) => r[4] === 'Бас тарту (П4)')!)).toEqual(['P2', 'P4']);
    expect(timed(row(refused))).toEqual(['P2', 'P3', 'P5']);
    const indicators = await screenTable(page, 'indicators');
    expect(indicators.reduce((n, r) => n + Number(r[5]), 0)).toBe(6); // three applicants x two questions
    await page.getByTestId('chart-service').selectOption(SERVICE);
    await page.getByTestId('chart-times').locator('canvas').waitFor();
    await shot(page, 'dashboard-kk');
    await page.getByTestId('lang-ru').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Время по регламенту: панель руководителя');
    await expect.poll(async () => (await screenTable(page, 'requests')).find((r) => r[0] === refused)?.[4]).toBe('Отказ: неполный пакет');
    await shot(page, 'dashboard-ru');

    // 5. The XLSX, read by another library, holds the screen's figures.
    const download = page.waitForEvent('download');
    await page.getByTestId('export-xlsx').click();
    const file = await (await download).path();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const values = (name: string) => {
      const out: unknown[][] = [];
      book.getWorksheet(name)!.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
      return out;
    };
    const xlsxRequests = values('Заявления и время шагов').slice(1);
    const screenRequests = await screenTable(page, 'requests');
    expect(xlsxRequests.map((r) => screenRequests[0]!.map((_, c) => r[c] ?? null))).toEqual(screenRequests);
    const xlsxSummary = values('Итоги');
    expect(xlsxSummary.slice(xlsxSummary.findIndex((r) => r[0] === 'Показатель') + 1)).toEqual(await screenTable(page, 'summary'));
    // The export's message follows the UI language switched after it.
    await expect.poll(() => page.getByTestId('export-done').textContent()).toMatch(/^Сохранено: /);
    await page.getByTestId('lang-kk').click();
    await expect.poll(() => page.getByTestId('export-done').textContent()).toMatch(/^Сақталды: /);
    await page.getByTestId('lang-ru').click();

    // The whole Centre asked for: the banner says what the figures cover, the Centre's (from the
    // licensing backend) or, when they could not be had, this workstation's and why.
    await page.getByTestId('scope').selectOption('centre');
    const banner = page.getByTestId('dashboard-scope');
    await expect.poll(async () => `${await banner.getAttribute('data-scope')}/${await banner.getAttribute('data-note')}`).toMatch(/^(centre\/requested|workstation\/centre_unreachable)$/);
    expect(await banner.textContent()).toContain(
      (await banner.getAttribute('data-scope')) === 'centre' ? 'Весь Центр (из системы лицензирования)' : 'Данные Центра не получены: только это рабочее место',
    );
    await shot(page, 'dashboard-centre-ru');

    expect(await violations()).toEqual([]);
  });
});
