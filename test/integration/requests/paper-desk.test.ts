/**
 * The papers the applicant takes away, made through the contract from a real request: the
 * receipt in Kazakh and in Russian (again with the registration number once it arrives), the
 * refusal notice naming what is missing, and the expected result date. Checked with poppler's
 * pdftotext and qpdf, tools that are not ours.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kzCalendar } from '../../../src-main/calendar/index.js';
import { deadlineWords, dueDateWords, estimateWords, refusalWords } from '../../../src-main/contract/deadline-words.js';
import { FIXTURES, startStack, type Stack } from '../../support/stack.js';

let stack: Stack;
const dir = mkdtempSync(join(tmpdir(), 'qab-papers-'));
const JPEG = readFileSync(join(FIXTURES, 'page-gray.jpg')).toString('base64');

function pdfText(b64: string, name: string): string {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, Buffer.from(b64, 'base64'));
  execFileSync('qpdf', ['--check', file], { stdio: 'pipe' });
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

beforeAll(async () => {
  stack = await startStack({ signing: true });
  await stack.login();
});
afterAll(async () => {
  await stack.close();
});

describe('papers', () => {
  it('makes a refusal notice naming the missing documents, then receipts before and after registration', async () => {
    await stack.ok('applicant.lookup', { kind: 'bin', number: '070240022228' });
    let r = await stack.ok('request.create', {
      serviceId: 'emission-permit-almaty',
      subServiceId: 'cat-3',
      applicant: { kind: 'bin', number: '070240022228', manualName: null },
    });
    // Two documents brought, the rest missing: the refusal notice lists what is missing.
    for (const slotId of ['application', 'identity']) {
      await stack.ok('request.setDocument', { requestId: r.id, slotId, presented: true, original: true });
      r = await stack.ok('pages.import', { requestId: r.id, slotId, fileName: 'p.jpg', dataBase64: JPEG });
    }
    const refusal = await stack.ok('docs.refusalNotice', { requestId: r.id, language: 'kk' });
    const refusalText = pdfText(refusal.dataBase64, 'refusal-kk');
    expect(refusalText).toContain('Эмиссиялар нормативтерінің жобасы');
    expect(refusalText).toContain('Қоршаған ортаны қорғау жөніндегі іс-шаралар жоспары');
    expect(refusalText).toContain(r.localNumber);

    for (const slot of r.slots.filter((s) => s.required && !s.presented)) {
      await stack.ok('request.setDocument', { requestId: r.id, slotId: slot.slotId, presented: true, original: false });
      r = await stack.ok('pages.import', { requestId: r.id, slotId: slot.slotId, fileName: 'p.jpg', dataBase64: JPEG });
    }
    const early = await stack.api('docs.receipt', { requestId: r.id, language: 'kk' });
    expect(early.ok ? null : early.error.code).toBe('REQUEST_STATE');
    const nothingMissing = await stack.api('docs.refusalNotice', { requestId: r.id, language: 'kk' });
    expect(nothingMissing.ok ? null : nothingMissing.error.code).toBe('REQUEST_NOTHING_MISSING');

    r = await stack.ok('request.sign', { requestId: r.id, password: 'Qwerty12' });
    const beforeReg = pdfText((await stack.ok('docs.receipt', { requestId: r.id, language: 'kk' })).dataBase64, 'receipt-kk-1');
    // One deadline rule: seed 003 counts from the package handed to the State Corporation, so the
    // date is known at acceptance; the screen's answer and the receipt say the same date and words.
    const exp = await stack.ok('docs.expectedResult', { serviceId: r.serviceId, subServiceId: r.subServiceId, requestId: r.id });
    const acceptedAt = r.history.find((h) => h.status === 'queued')!.at;
    expect(exp).toMatchObject({ unit: 'working_days', count: 10, countsFrom: 'handover', estimated: false });
    // Seed 003 gives cat-3 a refusal period too (5 calendar days, App. 1 para 6): the same start, on screen and receipt.
    expect(exp.refusalBy).toEqual({ date: kzCalendar().dueDate(new Date(r.history.find((h) => h.status === 'queued')!.at), { unit: 'calendar_days', count: 5 }).date, unit: 'calendar_days', count: 5 });
    expect(exp.date).toBe(kzCalendar().dueDate(new Date(acceptedAt), { unit: 'working_days', count: 10 }).date);
    const flat = (text: string) => text.replace(/\s+/g, ' ');
    expect(flat(beforeReg)).toContain(dueDateWords(exp.date, 'kk'));
    expect(flat(beforeReg)).toContain(deadlineWords('kk', exp));
    expect(flat(beforeReg)).toContain(refusalWords('kk', exp.refusalBy!));
    expect(flat(beforeReg)).not.toContain(estimateWords('kk', 'handover'));
    expect(beforeReg).toContain(r.localNumber);
    expect(beforeReg).toContain('070240022228');
    expect(beforeReg).toContain('"Алатау Экология" ЖШС');
    expect(beforeReg).toContain('Омаров Ерлан Серікұлы');
    expect(beforeReg).toContain('1414');

    await stack.host.sync.runOnce();
    r = await stack.ok('request.get', { id: r.id });
    expect(r.registrationNumber).toBeTruthy();
    const receipt = await stack.ok('docs.receipt', { requestId: r.id, language: 'kk' });
    const kk = pdfText(receipt.dataBase64, 'receipt-kk-2');
    const ru = pdfText((await stack.ok('docs.receipt', { requestId: r.id, language: 'ru' })).dataBase64, 'receipt-ru');
    expect(kk).toContain(r.registrationNumber!);
    expect(ru).toContain(r.registrationNumber!);
    expect(ru).toContain('Выдача разрешений на эмиссии');
    expect(ru).toContain('Объект III категории');
    expect(flat(ru)).toContain(deadlineWords('ru', exp));
    expect(flat(ru)).toContain(dueDateWords(exp.date, 'ru'));
    for (const ch of ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'і']) expect(kk).toContain(ch);

    // Under the browser host there is no printer: the renderer opens the PDF instead.
    expect(await stack.ok('print.pdf', { sha256: receipt.sha256, printer: null })).toEqual({ method: 'open' });
    const unknown = await stack.api('print.pdf', { sha256: 'a'.repeat(64), printer: null });
    expect(unknown.ok ? null : unknown.error.code).toBe('NOT_FOUND');
    expect(await stack.ok('print.printers')).toEqual({ printers: [] });
  });

  it('counts the expected result date in the service\'s units', async () => {
    const wd = await stack.ok('docs.expectedResult', { serviceId: 'emission-permit-almaty', subServiceId: 'cat-3' });
    expect(wd).toMatchObject({ unit: 'working_days', count: 10, countsFrom: 'handover', estimated: true });
    const cal = await stack.ok('docs.expectedResult', { serviceId: 'emission-permit-almaty', subServiceId: 'cat-2' });
    expect(cal.unit).toBe('calendar_days');
    // The same answer as the working-day calendar gives for today (tested on known dates in test/unit/calendar).
    const calendar = kzCalendar();
    expect(wd.date).toBe(calendar.dueDate(new Date(), { unit: 'working_days', count: 10 }).date);
    expect(cal.date).toBe(calendar.dueDate(new Date(), { unit: 'calendar_days', count: 30 }).date);
  });
});
