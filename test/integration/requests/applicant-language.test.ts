/**
 * The applicant's language set on the request (issue 14): stored with it (Kazakh unless the
 * operator says otherwise), changeable after signing, and the language the receipt and the refusal
 * notice print in when the caller names none. Read back with poppler's pdftotext.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentRequiredDocuments, startStack, type Stack } from '../../support/stack.js';

let stack: Stack;
const dir = mkdtempSync(join(tmpdir(), 'qab-applicant-language-'));
const pdfText = (b64: string, name: string) => {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, Buffer.from(b64, 'base64'));
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
};

beforeAll(async () => {
  stack = await startStack({ signing: true });
  await stack.login();
  await stack.ok('applicant.lookup', { kind: 'iin', number: '900702400457' });
});
afterAll(async () => {
  await stack.close();
});

const create = (applicantLanguage?: 'kk' | 'ru') =>
  stack.ok('request.create', {
    serviceId: 'emission-permit-almaty',
    subServiceId: 'cat-3',
    applicant: { kind: 'iin', number: '900702400457', manualName: null },
    ...(applicantLanguage ? { applicantLanguage } : {}),
  });

describe("the applicant's language on the request", () => {
  it('is Kazakh unless set, is kept with the request, and the papers print in it', { timeout: 90_000 }, async () => {
    expect((await create()).applicantLanguage).toBe('kk');
    let r = await create('ru');
    expect(r.applicantLanguage).toBe('ru');
    expect((await stack.ok('request.get', { id: r.id })).applicantLanguage).toBe('ru');

    // Before signing, with a document missing: the refusal notice in Russian without naming a language.
    const notice = pdfText((await stack.ok('docs.refusalNotice', { requestId: r.id, language: null })).dataBase64, 'refusal');
    expect(notice).toContain('об отказе в приёме документов');

    r = await presentRequiredDocuments(stack, r);
    r = await stack.ok('request.sign', { requestId: r.id, password: 'Qwerty12' });
    const ru = pdfText((await stack.ok('docs.receipt', { requestId: r.id, language: null })).dataBase64, 'receipt-ru');
    expect(ru).toContain('Выдача разрешений на эмиссии');

    // After signing (the language is not part of what was signed) the operator can still change it.
    r = await stack.ok('request.setApplicantLanguage', { requestId: r.id, language: 'kk' });
    expect(r.applicantLanguage).toBe('kk');
    expect(r.signature).not.toBeNull();
    const kk = pdfText((await stack.ok('docs.receipt', { requestId: r.id, language: null })).dataBase64, 'receipt-kk');
    expect(kk).not.toContain('Выдача разрешений на эмиссии');
    for (const ch of ['ә', 'қ', 'ү', 'і']) expect(kk).toContain(ch);
    // A language named by the caller still wins (a copy in the other language).
    expect(pdfText((await stack.ok('docs.receipt', { requestId: r.id, language: 'ru' })).dataBase64, 'receipt-copy')).toContain('Выдача разрешений на эмиссии');
  });
});
