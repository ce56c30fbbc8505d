/**
 * Refusals at the counter in Chromium (issue 13, items 2, 3 and 7): the service screen says the
 * catalogue is training data and each act's validity; P4 — an applicant the registry does not
 * know — becomes a recorded reasoned refusal printed in kk and ru; a document marked expired
 * blocks signing and is refused on that ground with its receipt. Screenshots (and the printed
 * refusals as PNGs) go to test-results/e2e-refusals/.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABSENT } from '../../sandbox/registry-seed.js';
import { appRoot } from '../../src-main/host/paths.js';
import { screenshotter } from '../support/browser.js';
import { chromiumWorld, signInAsOperator } from '../support/e2e.js';
import { newCompanyRequest } from '../support/e2e-walks.js';
import { FIXTURES } from '../support/stack.js';

const world = chromiumWorld({ signing: true, host: { startSync: false } });
const shot = screenshotter('e2e-refusals');
const OUT = join(appRoot(), 'test-results', 'e2e-refusals');

/** The stored paper of a refusal, as text (pdftotext) and as a PNG of its first page (pdftoppm). */
async function printed(refusalId: string, name: string): Promise<string> {
  const row = world.stack.host.db.prepare('SELECT paper_sha256 FROM counter_refusals WHERE id = ?').get(refusalId) as { paper_sha256: string | null };
  expect(row.paper_sha256).toMatch(/^[0-9a-f]{64}$/);
  const file = join(OUT, `${name}.pdf`);
  writeFileSync(file, await world.stack.host.store.files.read(row.paper_sha256!));
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, join(OUT, name)]);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

describe('refusals at the counter', () => {
  it('P4: the look-up finds nothing; the reasoned refusal is recorded and printed in kk and ru', { timeout: 120_000 }, async () => {
    const { page } = world;
    await signInAsOperator(world);
    await page.getByTestId('catalog-training').waitFor();
    expect(await page.getByTestId('act-emission-permit-almaty').textContent()).toContain('2020 жылғы 16 қыркүйек');
    await shot(page, 'training-catalogue-kk');
    await page.getByTestId('lang-ru').click();
    await expect.poll(() => page.getByTestId('catalog-training').textContent()).toContain('УЧЕБНЫЙ КАТАЛОГ');
    expect(await page.getByTestId('act-emission-permit-almaty').textContent()).toContain('утратил силу с 16 сентября 2020 г.');
    await shot(page, 'training-catalogue-ru');
    await page.getByTestId('lang-kk').click();

    await page.getByTestId('choose-emission-permit-almaty').click();
    await page.getByTestId('idn').fill(ABSENT.iin[0]!);
    await page.getByTestId('lookup').click();
    const card = page.getByTestId('p4-refusal');
    await card.waitFor();
    expect(await card.textContent()).toContain('ЖТ МДБ');
    expect(await card.textContent()).toContain('1414');
    const refusalId = (await card.getAttribute('data-refusal-id'))!;
    await page.getByTestId('p4-print-kk').click();
    await page.getByTestId('p4-printed').waitFor();
    await shot(page, 'p4-kk');
    const kk = await printed(refusalId, 'p4-paper-kk');
    for (const s of ['ДӘЛЕЛДІ БАС ТАРТУ', ABSENT.iin[0]!, 'ЖТ МДБ', '1414', 'Бас тарту негізі']) expect([s, kk.includes(s)]).toEqual([s, true]);

    await page.getByTestId('lang-ru').click();
    await expect.poll(() => card.textContent()).toContain('ГБД ФЛ');
    await page.getByTestId('p4-print-ru').click();
    await expect.poll(async () => (await printed(refusalId, 'p4-paper-ru')).includes('МОТИВИРОВАННЫЙ ОТКАЗ'), { timeout: 20_000 }).toBe(true);
    await shot(page, 'p4-ru');
    await page.getByTestId('lang-kk').click();
    const stored = world.stack.host.db.prepare('SELECT ground, registry, applicant_number FROM counter_refusals WHERE id = ?').get(refusalId);
    expect(stored).toEqual({ ground: 'data_unavailable', registry: 'individuals', applicant_number: ABSENT.iin[0] });
    await page.getByTestId('p4-done').click();
    await page.getByTestId('screen-service').waitFor();
  });

  it('an expired document blocks the request; the refusal names the ground and prints a receipt', { timeout: 120_000 }, async () => {
    const { page } = world;
    await newCompanyRequest(world);
    for (const slot of ['application', 'identity']) {
      await page.getByTestId(`presented-${slot}`).check();
      await page.getByTestId(`slot-${slot}`).locator('.slot-body').waitFor();
      await page.getByTestId(`import-${slot}`).setInputFiles(join(FIXTURES, 'page-gray.jpg'));
      await page.getByTestId(`slot-${slot}`).getByTestId('page-thumb').waitFor();
    }
    // The mark is the main process's answer (the box follows the request, not the click).
    await page.getByTestId('expired-identity').click();
    await expect.poll(() => page.getByTestId('expired-identity').isChecked()).toBe(true);
    await expect.poll(() => page.getByTestId('refuse-ground').inputValue()).toBe('expired');
    await shot(page, 'expired-marked-kk');
    await page.getByTestId('refuse-submit').click();
    const card = page.getByTestId('counter-refusal');
    await card.waitFor();
    const refusalId = (await card.getAttribute('data-refusal-id'))!;
    await page.getByTestId('refusal-print-ru').click();
    await page.getByTestId('refusal-printed').waitFor();
    await page.getByTestId('lang-ru').click();
    await shot(page, 'expired-refused-ru');
    await page.getByTestId('lang-kk').click();
    const ru = await printed(refusalId, 'expired-paper-ru');
    for (const s of ['об отказе в приёме документов', 'Документы с истекшим сроком действия', 'Правовое основание', 'пункт 6 приложения 1']) expect([s, ru.includes(s)]).toEqual([s, true]);
    await page.getByTestId('refusal-print-kk').click();
    await expect.poll(async () => (await printed(refusalId, 'expired-paper-kk')).includes('Қолданылу мерзімі өткен құжаттар'), { timeout: 20_000 }).toBe(true);
    // Done: the request is cancelled, the work list shows it so. The card's button has an id of
    // its own (refusal-done is the refusal notice's "printed" status).
    const done = card.getByTestId('counter-refusal-done');
    expect(await done.evaluate((e) => e.tagName)).toBe('BUTTON');
    expect(await page.getByTestId('refusal-done').count()).toBe(0);
    await done.click();
    await page.getByTestId('screen-queue').waitFor();
  });
});
