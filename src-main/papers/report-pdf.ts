/**
 * The supervisor's report printed: the heading (scope, period) and every table of
 * `reportSheets`, with the same figures as the screen and the XLSX, set in Noto Sans on A4 (tables
 * break across pages and repeat their header). Page numbers and the print time in the footer.
 */
import { almatyTime, type ReportHeading, type Sheet } from '../contract/report-sheets.js';
import { loadAssets } from './assets.js';
import { embedFonts, Paper, type Column } from './layout.js';
import { pdfToBytes } from './pdf-output.js';
import { createPdfA } from './pdfa.js';

const PAGE_WORDS: Record<'kk' | 'ru' | 'en', { page: (n: number, of: number) => string; printed: string }> = {
  kk: { page: (n, of) => `${of} беттің ${n}-беті`, printed: 'Басып шығарылды' },
  ru: { page: (n, of) => `Стр. ${n} из ${of}`, printed: 'Напечатано' },
  en: { page: (n, of) => `Page ${n} of ${of}`, printed: 'Printed' },
};

/** Text columns get three shares of the width, number columns one. */
function columnsOf(sheet: Sheet, width: number): Column[] {
  const shares = sheet.numeric.map((n) => (n ? 1 : sheet.columns.length > 8 ? 3 : 2));
  const total = shares.reduce((a, b) => a + b, 0);
  return shares.map((s, i) => ({ width: (width * s) / total, align: sheet.numeric[i] ? 'right' : 'left' }));
}

export async function renderReportPdf(
  input: { heading: ReportHeading; sheets: Sheet[]; language: 'kk' | 'ru' | 'en'; supervisor: string; printedAt: Date },
  opts: { assetsDir?: string } = {},
): Promise<Uint8Array> {
  const assets = await loadAssets(opts.assetsDir);
  const doc = await createPdfA(
    { title: input.heading.title, operator: input.supervisor, requestNumber: '', documentType: 'supervisor_report', createdAt: input.printedAt, language: input.language },
    assets,
  );
  const p = new Paper(doc, await embedFonts(doc, assets), assets);
  p.continuation = input.heading.title;
  p.paragraph(input.heading.title, { size: 14, bold: true }, { after: 6 });
  for (const [k, v] of input.heading.lines) p.paragraph(`${k}: ${v}`, { size: 9.5 });
  p.hrule();
  for (const sheet of input.sheets) {
    // A table's title stays with its header and first rows.
    p.ensure(120);
    p.paragraph(sheet.title, { size: 11, bold: true }, { after: 4 });
    const wide = sheet.columns.length > 8;
    const base = { size: wide ? 6.5 : 8.5 };
    const cols = columnsOf(sheet, p.width);
    const rows = sheet.rows.length ? sheet.rows : [sheet.columns.map((_, i) => (i === 0 ? '—' : ''))];
    p.table(
      cols,
      rows.map((r) => r.map((v) => ({ text: v === null ? '—' : String(v) }))),
      { header: sheet.columns.map((c) => ({ text: c, style: { bold: true }, fill: 0.92 })), base },
    );
    p.gap(14);
  }
  const w = PAGE_WORDS[input.language];
  p.footer(`${w.printed}: ${almatyTime(input.printedAt.toISOString())}`, w.page);
  return pdfToBytes(doc);
}
