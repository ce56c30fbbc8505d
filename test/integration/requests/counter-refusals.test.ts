/**
 * Refusals at the counter as records (issue 13, items 3 and 7), through the contract with the real
 * sandbox registry and SQLite: P4 at the look-up (a reasoned refusal stored with who, when, which
 * number and registry, counted, printed in kk and ru with the contact route 1414); the refusal of
 * an incomplete package and of expired documents (the request cancelled, the paper naming the
 * ground and its legal basis); P4 found at sending for an applicant entered offline.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABSENT } from '../../../sandbox/registry-seed.js';
import { localDateOf, plusDays } from '../../../src-main/calendar/index.js';
import { presentRequiredDocuments, startStack, type Stack } from '../../support/stack.js';

let stack: Stack;
const dir = mkdtempSync(join(tmpdir(), 'qab-refusals-'));
const P4_IIN = ABSENT.iin[0]!;
const flat = (s: string) => s.replace(/\s+/g, ' ');

function pdfText(b64: string, name: string): string {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, Buffer.from(b64, 'base64'));
  execFileSync('qpdf', ['--check', file], { stdio: 'pipe' });
  return flat(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));
}

beforeAll(async () => {
  stack = await startStack({ signing: true });
  await stack.login();
});
afterAll(async () => {
  await stack.close();
});

async function newRequest(subServiceId = 'cat-3') {
  await stack.ok('applicant.lookup', { kind: 'bin', number: '070240022228' });
  return stack.ok('request.create', { serviceId: 'emission-permit-almaty', subServiceId, applicant: { kind: 'bin', number: '070240022228', manualName: null } });
}

describe('P4 at the counter: a reasoned refusal, stored and printed', () => {
  it('records who, when, which number and registry; prints it in kk and ru with the route 1414; counts it', async () => {
    const miss = await stack.api('applicant.lookup', { kind: 'iin', number: P4_IIN, serviceId: 'emission-permit-almaty', subServiceId: 'cat-3' });
    if (miss.ok) throw new Error('the sandbox registry should not know this IIN');
    expect(miss.error.code).toBe('APPLICANT_NOT_FOUND');
    const refusalId = String(miss.error.params.refusalId);
    expect(refusalId).toMatch(/^[0-9a-f-]{36}$/);
    // Stored: the row holds the operator, the time, the number and the registry.
    const row = stack.host.db.prepare('SELECT * FROM counter_refusals WHERE id = ?').get(refusalId) as Record<string, unknown>;
    expect(row).toMatchObject({ ground: 'data_unavailable', stage: 'counter', registry: 'individuals', applicant_kind: 'iin', applicant_number: P4_IIN, service_id: 'emission-permit-almaty', request_id: null });
    expect(String(row.operator_id)).toBeTruthy();

    const kkPaper = await stack.ok('refusal.paper', { refusalId, language: 'kk' });
    const kk = pdfText(kkPaper.dataBase64, 'p4-kk');
    for (const s of ['ДӘЛЕЛДІ БАС ТАРТУ', P4_IIN, 'жеке тұлғалардың мемлекеттік деректер базасында (ЖТ МДБ)', '1414', 'Омаров Ерлан Серікұлы', 'деректер жоқ', '1-қосымшаның 10-тармағы', 'Бас тарту негізі'])
      expect([s, kk.includes(s)]).toEqual([s, true]);
    const ru = pdfText((await stack.ok('refusal.paper', { refusalId, language: 'ru' })).dataBase64, 'p4-ru');
    for (const s of ['МОТИВИРОВАННЫЙ ОТКАЗ', 'ГБД ФЛ', '1414', 'пункт 10 приложения 1', 'Основание отказа']) expect([s, ru.includes(s)]).toEqual([s, true]);
    const stored = stack.host.db.prepare('SELECT paper_sha256 FROM counter_refusals WHERE id = ?').get(refusalId) as { paper_sha256: string };
    expect(stored.paper_sha256).toMatch(/^[0-9a-f]{64}$/);
    // The ru print replaced the kk one on the record: the kk file is queued for deletion (retention deletes it).
    expect(stored.paper_sha256).not.toBe(kkPaper.sha256);
    expect(stack.host.db.prepare('SELECT sha256 FROM file_gc WHERE sha256 = ?').get(kkPaper.sha256)).toEqual({ sha256: kkPaper.sha256 });

    // Counted, for the supervisor (an operator may not list them).
    // Yesterday to today in Almaty: the refusal above may have been just before the Centre's midnight.
    const today = localDateOf(new Date());
    const period = { from: plusDays(today, -1), to: today };
    const forbidden = await stack.api('refusal.list', period);
    expect(forbidden.ok ? null : forbidden.error.code).toBe('FORBIDDEN');
    await stack.ok('auth.login', { login: 'admin', password: 'admin123' });
    const listed = await stack.ok('refusal.list', period);
    expect(listed.counts.data_unavailable).toBeGreaterThanOrEqual(1);
    expect(listed.items.find((i) => i.id === refusalId)).toMatchObject({ ground: 'data_unavailable', registry: 'individuals', requestId: null });
    await stack.login();
  });
});

describe('refusing to accept documents on a legal ground', () => {
  it('an incomplete package: the request is cancelled, the refusal names the missing documents and the paragraph', async () => {
    let r = await newRequest();
    const nothingExpired = await stack.api('request.refuse', { requestId: r.id, ground: 'expired' });
    expect(nothingExpired.ok ? null : nothingExpired.error.code).toBe('REQUEST_NOTHING_EXPIRED');
    await stack.ok('request.setDocument', { requestId: r.id, slotId: 'application', presented: true, original: true });
    const { refusal, request } = await stack.ok('request.refuse', { requestId: r.id, ground: 'incomplete' });
    expect(request.status).toBe('cancelled');
    expect(refusal).toMatchObject({ ground: 'incomplete', requestId: r.id, registry: null });
    const kk = pdfText((await stack.ok('refusal.paper', { refusalId: refusal.id, language: 'kk' })).dataBase64, 'incomplete-kk');
    for (const s of ['құжаттарды қабылдаудан бас тарту туралы', 'Ұсынылмаған құжаттар', 'Эмиссиялар нормативтерінің жобасы', r.localNumber, '1-қосымшаның 6-тармағы', 'Стандарттың 9 тармағына сәйкес'])
      expect([s, kk.includes(s)]).toEqual([s, true]);
    const again = await stack.api('request.refuse', { requestId: r.id, ground: 'incomplete' });
    expect(again.ok ? null : again.error.code).toBe('REQUEST_STATE');
    r = await stack.ok('request.get', { id: r.id });
    expect(r.status).toBe('cancelled');
  });

  it('expired documents: marked by the operator, they block signing and the refusal lists them', async () => {
    let r = await newRequest('cat-4');
    r = await presentRequiredDocuments(stack, r);
    expect(r.status).toBe('documents_complete');
    r = await stack.ok('request.setDocument', { requestId: r.id, slotId: 'identity', presented: true, original: true, expired: true });
    expect(r.slots.find((s) => s.slotId === 'identity')).toMatchObject({ expired: true });
    expect(r.status).not.toBe('documents_complete');
    const sign = await stack.api('request.sign', { requestId: r.id, password: 'Qwerty12' });
    expect(sign.ok ? null : sign.error.code).toBe('REQUEST_INCOMPLETE');
    const { refusal } = await stack.ok('request.refuse', { requestId: r.id, ground: 'expired' });
    const ru = pdfText((await stack.ok('refusal.paper', { refusalId: refusal.id, language: 'ru' })).dataBase64, 'expired-ru');
    for (const s of ['об отказе в приёме документов', 'Документы с истекшим сроком действия', 'представлены документы с истекшим сроком действия', 'пункт 6 приложения 1'])
      expect([s, ru.includes(s)]).toEqual([s, true]);
    expect(ru).toMatch(/Документы с истекшим сроком действия № Наименование документа 1 \S/);
  });
});

describe('P4 found at sending (an applicant entered offline)', () => {
  it('is recorded against the request, once, and printable; printed, it no longer needs attention', async () => {
    const offline = await startStack({ signing: true, backendDown: true });
    try {
      await offline.login();
      let r = await offline.ok('request.create', { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4', applicant: { kind: 'iin', number: P4_IIN, manualName: 'Белгісіз Адам' } });
      r = await presentRequiredDocuments(offline, r, (slotId) => slotId === 'application');
      await offline.ok('request.sign', { requestId: r.id, password: 'Qwerty12' });
      await offline.startSandbox();
      await offline.host.sync.runOnce();
      await offline.host.sync.runOnce();
      r = await offline.ok('request.get', { id: r.id });
      expect([r.status, r.lastError]).toEqual(['needs_attention', 'APPLICANT_NOT_FOUND']);
      const rows = offline.host.db.prepare('SELECT id, stage, ground, registry FROM counter_refusals WHERE request_id = ?').all(r.id) as { id: string }[];
      expect(rows).toEqual([expect.objectContaining({ stage: 'sending', ground: 'data_unavailable', registry: 'individuals' })]);
      // Refused, paper not yet printed: the operator still has something to do.
      const itemOf = async () => (await offline.ok('request.worklist', {})).items.find((i) => i.id === r.id);
      expect((await itemOf())?.refusal).toMatchObject({ stage: 'sending', settled: false });
      expect((await offline.ok('queue.status', {})).counts.needsAttention).toBe(1);
      const kk = pdfText((await offline.ok('refusal.paper', { refusalId: rows[0]!.id, language: 'kk' })).dataBase64, 'p4-sending-kk');
      for (const s of ['ДӘЛЕЛДІ БАС ТАРТУ', 'жіберу алдында тексерілді', r.localNumber, '1414', 'Белгісіз Адам']) expect([s, kk.includes(s)]).toEqual([s, true]);
      // The paper handed over settles it: no longer counted as needing attention, still findable.
      expect((await itemOf())?.refusal).toMatchObject({ id: rows[0]!.id, stage: 'sending', settled: true });
      expect((await offline.ok('queue.status', {})).counts.needsAttention).toBe(0);
      const found = await offline.ok('request.search', { localNumber: r.localNumber });
      expect(found.items.map((i) => [i.id, i.status, i.lastError])).toEqual([[r.id, 'needs_attention', 'APPLICANT_NOT_FOUND']]);
    } finally {
      await offline.close();
    }
  });
});
