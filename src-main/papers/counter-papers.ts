/**
 * The counter papers: the acceptance receipt (қолхат / расписка), the refusal to accept an
 * incomplete package, and the result issuance sheet. Each is one PDF/A-2b document in the
 * applicant's language (kk or ru; en for tests and foreigners), A4, with the Centre's header,
 * a QR code of the request number, bordered tables, and signature lines.
 */
import { grayscale } from 'pdf-lib';
import type { z } from 'zod';
import { AppError } from '../contract/errors.js';
import { isoWeekday, localDateOf, localTimeOf } from '../calendar/local-date.js';
import { formatLocalDate } from '../contract/date-words.js';
import { refusalWords } from '../contract/deadline-words.js';
import { type Assets, loadAssets } from './assets.js';
import { A4, type Cell, type Column, Paper, type TextStyle, embedFonts } from './layout.js';
import { pdfToBytes } from './pdf-output.js';
import { createPdfA } from './pdfa.js';
import { drawQr } from './qr.js';
import { PAPER_TEXTS, type PaperLanguage, type PaperTexts } from './texts.js';
import {
  type IssuanceSheetInput,
  type Localized,
  type ReceiptInput,
  issuanceSheetInputSchema,
  receiptInputSchema,
} from './types.js';

export interface PaperOptions {
  assetsDir?: string;
  /** The print time for the footer when the input has no printedAt. */
  now?: () => Date;
}

export const BODY: TextStyle = { size: 9.5 };
const LABEL: Partial<TextStyle> = { size: 8.5, gray: 0.25 };
const QR_SIDE = 80;

/** Where the QR code sits on the first page, in PDF points (origin bottom left). */
export function qrSquare(): { x: number; y: number; side: number } {
  return { x: A4[0] - 50 - QR_SIDE, y: A4[1] - 36 - QR_SIDE + 4, side: QR_SIDE };
}

export function validate<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    throw new AppError('DOCS_INVALID_INPUT', { field: r.error.issues[0]?.path.join('.') ?? '' });
  }
  return r.data;
}

export function pick(l: Localized, lang: PaperLanguage): string {
  return lang === 'en' ? (l.en ?? l.ru) : l[lang];
}

/** A date in words in the paper's language ("2026 жылғы 2 желтоқсан"), with the time when it is an instant. */
export function dateTime(d: Date, lang: PaperLanguage): string {
  return `${formatLocalDate(localDateOf(d), lang)}, ${localTimeOf(d)}`;
}

export interface Common {
  language: PaperLanguage;
  centre: ReceiptInput['centre'];
  operatorName: string;
  applicant: ReceiptInput['applicant'];
  representative?: ReceiptInput['representative'];
  service: Localized;
  subService?: Localized;
  printedAt?: Date;
}

export async function startPaper(
  meta: { title: string; requestNumber: string; documentType: string; createdAt: Date },
  c: Common,
  opts: PaperOptions,
): Promise<{ paper: Paper; t: PaperTexts; assets: Assets; doc: Awaited<ReturnType<typeof createPdfA>> }> {
  const assets = await loadAssets(opts.assetsDir);
  const doc = await createPdfA(
    { ...meta, subject: pick(c.service, c.language), operator: c.operatorName, language: c.language },
    assets,
  );
  const fonts = await embedFonts(doc, assets);
  return { paper: new Paper(doc, fonts, assets), t: PAPER_TEXTS[c.language], assets, doc };
}

/** The Centre's header on the left, the QR code of the request number on the right. */
export function header(p: Paper, t: PaperTexts, c: Common, qrText: string | null): void {
  const top = p.y;
  const textWidth = qrText ? p.width - QR_SIDE - 16 : p.width;
  const lines: [string, TextStyle][] = [
    [t.stateCorporation, { size: 8, gray: 0.3 }],
    [pick(c.centre.name, c.language), { size: 11.5, bold: true }],
    [pick(c.centre.address, c.language), { size: 8.5 }],
    [`${t.bin}: ${c.centre.bin}`, { size: 8.5 }],
  ];
  for (const [s, style] of lines) {
    for (const line of p.wrap(s, style, textWidth)) {
      p.drawLine(line, p.left, p.y, style);
      p.y -= p.lineHeight(style);
    }
    p.y -= 1.5;
  }
  if (qrText) {
    const qx = p.right - QR_SIDE;
    drawQr(p.page, p.clean(qrText), qx, top - QR_SIDE + 4, QR_SIDE);
    const cap: TextStyle = { size: 6.5, gray: 0.3 };
    const num: TextStyle = { size: 7.5, bold: true };
    const capLine = p.clean(t.qrCaption);
    p.drawLine(capLine, p.alignX(capLine, cap, qx, QR_SIDE, 'center'), top - QR_SIDE + 2, cap);
    const numLine = p.clean(qrText);
    p.drawLine(numLine, p.alignX(numLine, num, qx, QR_SIDE, 'center'), top - QR_SIDE - 7, num);
    p.y = Math.min(p.y, top - QR_SIDE - 18);
  }
  p.hrule(1, 0.2, 2, 12);
}

export function title(p: Paper, main: string, sub: string): void {
  p.paragraph(main, { size: 16, bold: true }, { align: 'center', after: 1 });
  p.paragraph(sub, { size: 10 }, { align: 'center', after: 9 });
}

export function kvTable(p: Paper, rows: [string, string, Partial<TextStyle>?][]): void {
  const labelWidth = 178;
  const columns: Column[] = [{ width: labelWidth }, { width: p.width - labelWidth }];
  p.table(
    columns,
    rows.map(([k, v, style]) => [
      { text: k, style: LABEL, fill: 0.94 },
      { text: v, ...(style ? { style } : {}) },
    ]),
    { base: BODY },
  );
}

export function applicantRows(t: PaperTexts, c: Common): [string, string, Partial<TextStyle>?][] {
  const a = c.applicant;
  const name = typeof a.name === 'string' ? a.name : pick(a.name, c.language);
  const rows: [string, string, Partial<TextStyle>?][] = [
    [t.applicant, `${name} (${a.kind === 'individual' ? t.applicantIndividual : t.applicantLegalEntity})`, { bold: true }],
    [a.kind === 'individual' ? t.iin : t.bin, a.iinOrBin],
  ];
  const r = c.representative;
  if (r) {
    rows.push([t.representative, `${r.name}, ${t.iin}: ${r.iin}`]);
    const poa = r.powerOfAttorney;
    const parts = [`${t.poaNumber} ${poa.number}`, `${t.poaIssued} ${formatLocalDate(poa.issuedOn, c.language)}`];
    if (poa.validUntil) parts.push(`${t.poaValidUntil} ${formatLocalDate(poa.validUntil, c.language)}`);
    if (poa.notary) parts.push(`${t.poaNotary}: ${poa.notary}`);
    rows.push([t.powerOfAttorney, parts.join(', ')]);
  }
  rows.push([t.service, pick(c.service, c.language)]);
  if (c.subService) rows.push([t.subService, pick(c.subService, c.language)]);
  return rows;
}

export function sectionHeading(p: Paper, s: string): void {
  p.gap(8);
  p.ensure(40);
  p.paragraph(s, { size: 10.5, bold: true }, { after: 3 });
}

export function signatures(p: Paper, t: PaperTexts, left: [string, string], right: [string, string]): void {
  p.gap(20);
  p.ensure(54);
  const colWidth = (p.width - 24) / 2;
  const top = p.y;
  const label: TextStyle = { size: 9, bold: true };
  const name: TextStyle = { size: 9 };
  const caption: TextStyle = { size: 6.5, gray: 0.4 };
  const lineLen = 110;
  let bottom = top;
  [left, right].forEach(([who, person], i) => {
    const x = p.left + i * (colWidth + 24);
    p.drawLine(p.clean(`${who}:`), x, top, label);
    const lineY = top - 34;
    p.page.drawLine({ start: { x, y: lineY }, end: { x: x + lineLen, y: lineY }, thickness: 0.6, color: grayscale(0) });
    const cap = p.clean(`(${t.signature})`);
    p.drawLine(cap, p.alignX(cap, caption, x, lineLen, 'center'), lineY - 2, caption);
    let y = lineY + 11;
    for (const l of p.wrap(person, name, colWidth - lineLen - 8)) {
      p.drawLine(l, x + lineLen + 8, y, name);
      y -= p.lineHeight(name);
    }
    bottom = Math.min(bottom, y, lineY - 12);
  });
  p.y = bottom;
}

const HEAD: Partial<TextStyle> = { bold: true, size: 8.5 };

/** A numbered table: № | name | … The name column takes the width the others leave. */
export function numberedTable(p: Paper, heads: string[], otherWidths: number[], rows: Cell[][]): void {
  const numW = 26;
  const nameW = p.width - numW - otherWidths.reduce((a, b) => a + b, 0);
  const columns: Column[] = [
    { width: numW, align: 'center' },
    { width: nameW },
    ...otherWidths.map((width): Column => ({ width, align: 'center' })),
  ];
  p.table(
    columns,
    rows.map((cells, i) => [{ text: String(i + 1) }, ...cells]),
    { header: heads.map((text) => ({ text, style: HEAD, fill: 0.88 })), base: BODY },
  );
}

export function documentRows(docs: ReceiptInput['documents'], t: PaperTexts, lang: PaperLanguage): Cell[][] {
  return docs.map((d) => [{ text: pick(d.name, lang) }, { text: d.form === 'original' ? t.original : t.copy }, { text: String(d.pages) }]);
}

export function counterpartName(c: Common): string {
  if (c.representative) return c.representative.name;
  return typeof c.applicant.name === 'string' ? c.applicant.name : pick(c.applicant.name, c.language);
}

export async function finish(p: Paper, t: PaperTexts, doc: Awaited<ReturnType<typeof createPdfA>>, printedAt: Date, lang: PaperLanguage): Promise<Uint8Array> {
  p.footer(`${t.printedAt}: ${dateTime(printedAt, lang)}`, t.page);
  return pdfToBytes(doc);
}

/** The acceptance receipt. */
export async function renderReceipt(raw: ReceiptInput, opts: PaperOptions = {}): Promise<Uint8Array> {
  const input = validate(receiptInputSchema, raw);
  const lang = input.language;
  const t0 = PAPER_TEXTS[lang];
  const { paper: p, t, doc } = await startPaper(
    {
      title: `${t0.receiptTitle} ${t0.receiptSubtitle} № ${input.localNumber}`,
      requestNumber: input.localNumber,
      documentType: 'receipt',
      createdAt: input.acceptedAt,
    },
    input,
    opts,
  );
  header(p, t, input, input.registrationNumber ?? input.localNumber);
  title(p, t.receiptTitle, t.receiptSubtitle);
  p.continuation = `${t.receiptTitle} № ${input.localNumber}`;
  kvTable(p, [
    [t.localNumber, input.localNumber, { bold: true }],
    input.registrationNumber
      ? [t.registrationNumber, input.registrationNumber, { bold: true }]
      : [t.registrationNumber, t.registrationPending, { gray: 0.4 }],
    [t.acceptedAt, dateTime(input.acceptedAt, lang)],
    [t.operator, input.operatorName],
    ...applicantRows(t, input),
  ]);

  sectionHeading(p, t.documentsAccepted);
  numberedTable(p, [t.colNo, t.colDocument, t.colForm, t.colPages], [92, 64], documentRows(input.documents, t, lang));
  const totalPages = input.documents.reduce((s, d) => s + d.pages, 0);
  p.gap(4);
  p.paragraph(t.total(input.documents.length, totalPages), { size: 9.5, bold: true }, { align: 'right' });

  // The expected result date, in a box.
  p.gap(8);
  const due = input.expectedResult;
  const dueStyle: TextStyle = { size: 13, bold: true };
  const ruleStyle: TextStyle = { size: 8, gray: 0.3 };
  const notes = [t.deadlineRule(due.rule), ...(due.refusalBy ? [refusalWords(lang, due.refusalBy)] : []), ...(due.estimated ? [t.estimate(due.rule.countsFrom ?? 'registration')] : []), ...(due.provisional ? [t.provisional] : [])];
  const noteLines = notes.flatMap((n) => p.wrap(n, ruleStyle, p.width - 20));
  const boxH = 14 + p.lineHeight({ size: 9 }) + p.lineHeight(dueStyle) + noteLines.length * p.lineHeight(ruleStyle);
  p.ensure(boxH + 4);
  const boxTop = p.y;
  p.page.drawRectangle({ x: p.left, y: boxTop - boxH, width: p.width, height: boxH, borderWidth: 1.2, borderColor: grayscale(0.15), color: grayscale(0.97) });
  p.y -= 7;
  p.paragraph(t.expectedResult, { size: 9, bold: true }, { indent: 10 });
  p.paragraph(`${formatLocalDate(due.date, lang)} (${t.weekdays[isoWeekday(due.date) - 1]})`, dueStyle, { indent: 10 });
  for (const l of noteLines) p.paragraph(l, ruleStyle, { indent: 10 });
  p.y = boxTop - boxH;

  sectionHeading(p, t.statusCheck);
  p.paragraph(input.statusCheck ? pick(input.statusCheck, lang) : t.statusCheckDefault, BODY);

  signatures(p, t, [t.signOperator, input.operatorName], [t.signApplicantReceipt, counterpartName(input)]);
  return finish(p, t, doc, input.printedAt ?? opts.now?.() ?? new Date(), input.language);
}

/** The result issuance sheet: what was handed over, to whom, when, by whom. */
export async function renderIssuanceSheet(raw: IssuanceSheetInput, opts: PaperOptions = {}): Promise<Uint8Array> {
  const input = validate(issuanceSheetInputSchema, raw);
  if (input.recipient === 'representative' && !input.representative) {
    throw new AppError('DOCS_INVALID_INPUT', { field: 'representative' });
  }
  const lang = input.language;
  const t0 = PAPER_TEXTS[lang];
  const { paper: p, t, doc } = await startPaper(
    {
      title: `${t0.issuanceTitle} № ${input.localNumber}`,
      requestNumber: input.localNumber,
      documentType: 'issuance_sheet',
      createdAt: input.issuedAt,
    },
    input,
    opts,
  );
  // Only the representative who actually took the result is named as such on this sheet.
  const c: Common = input.recipient === 'representative' ? input : { ...input, representative: undefined };
  header(p, t, c, input.registrationNumber ?? input.localNumber);
  title(p, t.issuanceTitle, t.issuanceSubtitle);
  p.continuation = `${t.issuanceTitle} № ${input.localNumber}`;
  kvTable(p, [
    [t.localNumber, input.localNumber, { bold: true }],
    ...(input.registrationNumber ? [[t.registrationNumber, input.registrationNumber, { bold: true }] as [string, string, Partial<TextStyle>]] : []),
    [t.issuedAt, dateTime(input.issuedAt, lang), { bold: true }],
    [t.operator, input.operatorName],
    ...applicantRows(t, c),
    [t.recipient, input.recipient === 'applicant' ? t.recipientApplicant : `${t.recipientRepresentative}: ${input.representative!.name}`, { bold: true }],
    ...(input.expectedResult
      ? [[t.expectedResult, `${formatLocalDate(input.expectedResult.date, lang)} (${t.deadlineRule(input.expectedResult.rule)})`] as [string, string]]
      : []),
  ]);
  sectionHeading(p, t.handedOver);
  numberedTable(
    p,
    [t.colNo, t.colDocument, t.colForm, t.colCopies],
    [110, 64],
    input.items.map((d) => [
      { text: pick(d.name, lang) + (d.pages ? ` (${t.colPages.toLowerCase()}: ${d.pages})` : '') },
      { text: d.form === 'original' ? t.original : d.form === 'copy' ? t.copy : t.electronic },
      { text: String(d.copies ?? 1) },
    ]),
  );
  signatures(p, t, [t.signOperator, input.operatorName], [t.signRecipient, counterpartName(c)]);
  return finish(p, t, doc, input.printedAt ?? opts.now?.() ?? new Date(), input.language);
}
