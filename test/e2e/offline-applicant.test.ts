/**
 * An applicant entered offline, in Chromium (issue 13 item 3): the registry cannot be reached at
 * the look-up, the operator goes on by hand; the "not verified" mark is on the documents, sign,
 * result and work list screens (with its screen-reader sentence); back online, the look-up at
 * sending finds no such applicant (a sandbox ABSENT number), the request is not sent and the work
 * list offers the reasoned refusal's paper with the route (the Centre or 1414, the receipt's
 * number). Screenshots in kk and ru and the printed refusal as a PNG go to
 * test-results/e2e-offline-applicant/.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ABSENT } from '../../sandbox/registry-seed.js';
import { appRoot } from '../../src-main/host/paths.js';
import { screenshotter } from '../support/browser.js';
import { chromiumWorld, signInAsOperator } from '../support/e2e.js';
import { FIXTURES } from '../support/stack.js';

const world = chromiumWorld({ signing: true, host: { startSync: true }, env: { QABYLDAU_SYNC__INTERVAL_SECONDS: '1' } });
const shot = screenshotter('e2e-offline-applicant');
const OUT = join(appRoot(), 'test-results', 'e2e-offline-applicant');
const IIN = ABSENT.iin[1]!;
const REQUIRED = ['application', 'identity', 'emission-standards-draft', 'eco-expertise-conclusion', 'environmental-plan'];

/** The mark is there, and a screen reader hears the whole sentence, not only the tag. */
async function expectMark(page: Page, screen: string, sentence: string): Promise<void> {
  const mark = page.getByTestId(`screen-${screen}`).getByTestId('unverified-mark').first();
  await mark.waitFor();
  expect(await mark.locator('.sr-only').textContent()).toBe(sentence);
  expect(await mark.locator('[aria-hidden="true"]').textContent()).toBe('Тексерілмеген');
}

const SR_KK = 'Өтініш беруші мемлекеттік деректер базасында тексерілмеген: тексеру өтінішті жіберу кезінде жүреді.';

describe('an applicant entered offline', () => {
  it('is marked on every screen, and a P4 at sending is offered on the work list with its paper and the route 1414', { timeout: 180_000 }, async () => {
    const { page, stack } = world;
    await signInAsOperator(world);
    await page.getByTestId('screen-service').waitFor();
    await stack.stopSandbox();
    let localNumber: string;
    try {
      await page.getByTestId('sub-emission-permit-almaty').selectOption('cat-4');
      await page.getByTestId('choose-emission-permit-almaty').click();
      await page.getByTestId('idn').fill(IIN);
      await page.getByTestId('lookup').click();
      await page.getByTestId('applicant-offline').waitFor();
      await page.getByTestId('manual-name').fill('Сейітов Дәулет Маратұлы');
      await page.getByTestId('create-manual').click();

      // Documents: marked, and told before scanning that the check happens at sending.
      await page.getByTestId('screen-documents').waitFor();
      localNumber = (await page.getByTestId('local-number').textContent())!;
      await expectMark(page, 'documents', SR_KK);
      expect(await page.getByTestId('unverified-before-scan').textContent()).toContain('1414');
      for (const slot of REQUIRED) {
        await page.getByTestId(`presented-${slot}`).check();
        await page.getByTestId(`slot-${slot}`).locator('.slot-body').waitFor();
        await page.getByTestId(`import-${slot}`).setInputFiles(join(FIXTURES, 'page-gray.jpg'));
        await page.getByTestId(`slot-${slot}`).getByTestId('page-thumb').waitFor();
      }
      await shot(page, 'documents-kk');

      // Sign: the mark and what follows at sending, then the operator signs (offline).
      await expect.poll(() => page.getByTestId('to-sign').isEnabled()).toBe(true);
      await page.getByTestId('to-sign').click();
      await page.getByTestId('screen-sign').waitFor();
      await expectMark(page, 'sign', SR_KK);
      expect(await page.getByTestId('unverified-notice').textContent()).toContain('1414');
      await shot(page, 'sign-kk');
      await page.getByTestId('lang-ru').click();
      await expect.poll(() => page.getByTestId('unverified-notice').textContent()).toContain('Единый контакт-центр 1414');
      expect(await page.getByTestId('unverified-mark').locator('.sr-only').textContent()).toBe('Заявитель не проверен в государственной базе данных: проверка пройдёт при отправке заявления.');
      await shot(page, 'sign-ru');
      await page.getByTestId('lang-kk').click();
      await page.getByTestId('key-password').fill('Qwerty12');
      await page.getByTestId('sign-submit').click();

      // The request's screen after signing: still marked while it waits.
      await page.getByTestId('screen-done').waitFor();
      await expectMark(page, 'done', SR_KK);
      expect(await page.getByTestId('unverified-notice').isVisible()).toBe(true);
      await shot(page, 'done-offline-kk');

      // The work list: the row is marked.
      await page.getByTestId('nav-queue').click();
      await page.getByTestId('screen-queue').waitFor();
      const row = page.getByTestId('queue-row').filter({ hasText: localNumber });
      await row.getByTestId('unverified-mark').waitFor();
      expect(await row.getByTestId('row-refusal').count()).toBe(0);
      await shot(page, 'queue-offline-kk');
    } finally {
      await stack.startSandbox();
    }

    // Online again: the look-up at sending finds nothing; the request is not sent (P4).
    await page.getByTestId('sync-now').click();
    const row = page.getByTestId('queue-row').filter({ hasText: localNumber });
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('needs_attention');
    const requestId = (stack.host.db.prepare('SELECT id FROM requests WHERE local_number = ?').get(localNumber) as { id: string }).id;
    expect(stack.host.db.prepare('SELECT status, registration_number FROM requests WHERE id = ?').get(requestId)).toEqual({ status: 'needs_attention', registration_number: null });
    // The row says what happened, and offers no "re-open to fix": the IIN is not editable in the
    // request, so re-signing would check the same number; a mistyped one means a new request.
    expect(await row.getByTestId('row-status').textContent()).toBe('Жіберу кезінде бас тартылды');
    expect(await row.getByTestId('reopen').count()).toBe(0);
    expect(await row.getByTestId('requeue').count()).toBe(0);
    expect(await row.getByTestId('row-open').textContent()).toBe('Бас тартуды ашу');
    expect(await row.getByTestId('row-mistyped').textContent()).toContain('дұрыс нөмірмен жаңа өтініш қабылдаңыз');
    await row.getByTestId('row-refusal').click();
    const card = page.getByTestId('sending-refusal');
    await card.waitFor();
    for (const s of ['ЖТ МДБ', '1414', 'қолхаттағы нөмірмен']) expect([s, (await card.textContent())!.includes(s)]).toEqual([s, true]);
    const refusalId = (await card.getAttribute('data-refusal-id'))!;
    expect(stack.host.db.prepare('SELECT ground, stage, request_id, applicant_number FROM counter_refusals WHERE id = ?').get(refusalId)).toEqual({
      ground: 'data_unavailable',
      stage: 'sending',
      request_id: requestId,
      applicant_number: IIN,
    });
    // Parked for the operator until the paper is printed; printed, it is closed (still listed).
    expect(await row.getAttribute('class')).toBe('attn');
    await expect.poll(() => page.getByTestId('queue-counts').textContent()).toContain('Назар аударыңыз: 1');
    await page.getByTestId('sending-refusal-print-kk').click();
    await page.getByTestId('sending-refusal-printed').waitFor();
    await expect.poll(() => row.getAttribute('class')).toBe('');
    await expect.poll(() => page.getByTestId('queue-counts').textContent()).toContain('Назар аударыңыз: 0');
    expect(await row.getByTestId('row-status').textContent()).toBe('Жіберу кезінде бас тартылды');
    await shot(page, 'queue-p4-at-sending-kk');

    // The paper printed from the work list: the reasoned refusal at sending, with 1414.
    const sha = (stack.host.db.prepare('SELECT paper_sha256 FROM counter_refusals WHERE id = ?').get(refusalId) as { paper_sha256: string }).paper_sha256;
    const file = join(OUT, 'p4-at-sending-paper-kk.pdf');
    writeFileSync(file, await stack.host.store.files.read(sha));
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, join(OUT, 'p4-at-sending-paper-kk')]);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const s of ['ДӘЛЕЛДІ БАС ТАРТУ', IIN, 'ЖТ МДБ', '1414', localNumber]) expect([s, text.includes(s)]).toEqual([s, true]);

    await page.getByTestId('lang-ru').click();
    await expect.poll(() => card.textContent()).toContain('Единый контакт-центр 1414');
    expect(await card.textContent()).toContain('ГБД ФЛ');
    await shot(page, 'queue-p4-at-sending-ru');

    // The request's own screen says the same and offers the same paper.
    await row.getByTestId('row-open').click();
    await page.getByTestId('screen-done').getByTestId('sending-refusal').waitFor();
    expect(await page.getByTestId('sending-refusal').getAttribute('data-refusal-id')).toBe(refusalId);
    // Its status says what happened (not "waiting for registration"), in each language.
    const done = page.getByTestId('screen-done');
    const status = page.getByTestId('done-status');
    expect(await page.getByTestId('done-heading').textContent()).toBe('Отказано при отправке');
    expect(await status.textContent()).toBe(
      'Отказано при отправке: в государственной базе данных (ГБД ФЛ) нет такого заявителя. Мотивированный отказ можно распечатать; заявитель обращается с номером из расписки в ЦОН или в Единый контакт-центр 1414.',
    );
    expect(await done.textContent()).not.toContain('Ожидает регистрации');
    expect(await page.getByTestId('sending-mistyped').textContent()).toContain('примите новое заявление с верным номером');
    await shot(page, 'done-p4-at-sending-ru');
    await page.getByTestId('lang-en').click();
    await expect.poll(() => status.textContent()).toBe(
      'Refused at sending: the state database of individuals has no such applicant. The reasoned refusal can be printed; the applicant contacts a Public Service Centre or the contact centre 1414 with the number on the receipt.',
    );
    expect(await done.textContent()).not.toContain('Waiting for registration');
    await page.getByTestId('lang-kk').click();
    await expect.poll(() => status.textContent()).toContain('Жіберу кезінде бас тартылды: мемлекеттік деректер базасында (ЖТ МДБ) мұндай өтініш беруші жоқ.');
    expect(await status.textContent()).toContain('1414');
    expect(await done.textContent()).not.toContain('тіркелуін күтуде');
    await shot(page, 'done-p4-at-sending-kk');
  });
});
