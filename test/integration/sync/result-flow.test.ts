/**
 * P8/P9 through the contract over real HTTP, against the sandbox (HTTPS, mutual TLS, signatures
 * checked with openssl) and a real store: a request signed with the test operator's key is
 * registered, approved by the provider, its permit verified with the provider's root and shown
 * (`result.get`), then handed over (`request.issue`: the issuance sheet PDF, checked with
 * pdftotext, recorded as the request's receipt) and the issue acknowledged to the backend once.
 * A refused request shows the provider's reasons in kk/ru/en and hands over the reasoned refusal.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineWords, dueDateWords } from '../../../src-main/contract/deadline-words.js';
import type { RequestDetail } from '../../../src-main/contract/model.js';
import { pdfText, qpdfCheck } from '../../support/pdf-tools.js';
import { presentRequiredDocuments, startStack, type Stack } from '../../support/stack.js';

let stack: Stack;
const dir = mkdtempSync(join(tmpdir(), 'qab-result-'));

beforeAll(async () => {
  stack = await startStack({ signing: true, sandbox: { decisionDelayMs: 300 }, env: { QABYLDAU_SYNC__INTERVAL_SECONDS: '1' } });
  await stack.login();
});
afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signedRequest(iin: string): Promise<RequestDetail> {
  await stack.ok('applicant.lookup', { kind: 'iin', number: iin });
  let r = await stack.ok('request.create', { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4', applicant: { kind: 'iin', number: iin, manualName: null } });
  r = await presentRequiredDocuments(stack, r);
  return stack.ok('request.sign', { requestId: r.id, password: 'Qwerty12' });
}

async function decided(id: string): Promise<RequestDetail> {
  for (let i = 0; i < 40; i++) {
    await stack.host.sync.runOnce();
    const r = await stack.ok('request.get', { id });
    if (r.status === 'result_ready' || r.status === 'refused' || r.status === 'needs_attention') return r;
    await new Promise((res) => setTimeout(res, 300));
  }
  throw new Error('no decision');
}

async function text(pdf: { dataBase64: string }, name: string): Promise<string> {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, Buffer.from(pdf.dataBase64, 'base64'));
  await qpdfCheck(file);
  return pdfText(file);
}

describe('results at the counter', () => {
  it('shows a verified permit, hands it over with an issuance sheet, and acknowledges the issue once', { timeout: 90_000 }, async () => {
    const r = await signedRequest('900702400457');
    const before = await stack.ok('result.get', { requestId: r.id });
    expect(before).toMatchObject({ status: 'queued', refusal: null, result: null, pdf: null, issued: null });

    expect((await decided(r.id)).status).toBe('result_ready');
    const view = await stack.ok('result.get', { requestId: r.id });
    expect(view).toMatchObject({ status: 'result_ready', refusal: null, result: { verification: 'valid', verificationCode: null }, issued: null });
    expect(view.result!.signerCn).toBeTruthy();
    const permit = await text(view.pdf!, 'permit');
    expect(permit).toContain(view.registrationNumber!);

    // No representative on this request.
    const wrong = await stack.api('request.issue', { requestId: r.id, recipient: 'representative', language: 'kk' });
    expect(wrong.ok ? null : wrong.error.code).toBe('RESULT_NO_REPRESENTATIVE');

    const sheet = await stack.ok('request.issue', { requestId: r.id, recipient: 'applicant', language: 'kk' });
    const sheetText = await text(sheet, 'sheet');
    expect(sheetText).toContain('НӘТИЖЕНІ БЕРУ ПАРАҒЫ');
    expect(sheetText).toContain(r.localNumber);
    expect(sheetText).toContain(view.registrationNumber!);
    // The same expected date and words as the screen and the receipt (one deadline rule).
    const exp = await stack.ok('docs.expectedResult', { serviceId: r.serviceId, subServiceId: r.subServiceId, requestId: r.id });
    expect(exp).toMatchObject({ unit: 'working_days', count: 5, countsFrom: 'handover', estimated: false });
    const receiptText = await text(await stack.ok('docs.receipt', { requestId: r.id, language: 'kk' }), 'receipt');
    for (const paper of [sheetText, receiptText]) {
      expect(paper.replace(/\s+/g, ' ')).toContain(dueDateWords(exp.date, 'kk'));
      expect(paper.replace(/\s+/g, ' ')).toContain(deadlineWords('kk', exp));
    }
    // The sheet is the request's paper: stored and printable by its hash.
    expect(stack.host.db.prepare(`SELECT kind, sha256 FROM receipts WHERE request_id = ? AND kind = 'issuance'`).get(r.id)).toEqual({ kind: 'issuance', sha256: sheet.sha256 });
    expect((await stack.api('print.pdf', { sha256: sheet.sha256, printer: null })).ok).toBe(true);
    const issued = await stack.ok('result.get', { requestId: r.id });
    expect(issued).toMatchObject({ status: 'issued', issued: { recipient: 'applicant' } });
    const again = await stack.api('request.issue', { requestId: r.id, recipient: 'applicant', language: 'kk' });
    expect(again.ok ? null : again.error.code).toBe('REQUEST_STATE');

    await stack.host.sync.runOnce();
    await stack.host.sync.runOnce();
    expect((await stack.admin.stats()).issued).toBe(1);
    const queue = await stack.ok('queue.status');
    expect(queue).toMatchObject({ online: true, problem: null });
  });

  it('shows the reasons of a refusal as the backend sent them, and hands the reasoned refusal over', { timeout: 90_000 }, async () => {
    const r = await signedRequest('010203500018');
    expect((await decided(r.id)).status).toBe('refused');
    const view = await stack.ok('result.get', { requestId: r.id });
    expect(view).toMatchObject({ status: 'refused', result: null, pdf: null });
    expect(view.refusal!.reasons).toEqual([
      {
        code: 'QUALIFICATION',
        text: {
          kk: 'Өтініш беруші біліктілік талаптарына сәйкес келмейді',
          ru: 'Заявитель не соответствует квалификационным требованиям',
          en: 'The applicant does not meet the qualification requirements',
        },
      },
    ]);
    const sheet = await stack.ok('request.issue', { requestId: r.id, recipient: 'applicant', language: 'ru' });
    const t = await text(sheet, 'refusal-sheet');
    expect(t).toContain('ЛИСТ ВЫДАЧИ РЕЗУЛЬТАТА');
    expect(t).toContain('Мотивированный отказ');
  });
});
