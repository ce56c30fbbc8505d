/**
 * The report's tables as files: CSV (UTF-8 with a byte order mark, ';'-separated as Excel expects
 * in the kk-KZ and ru-RU locales, every table under its title) and XLSX (one worksheet per table,
 * numbers as numeric cells), written by `write-excel-file` (one small dependency, fflate).
 */
import writeXlsxFile, { type SheetData } from 'write-excel-file/node';
import type { ReportHeading, Sheet, SheetValue } from '../../contract/report-sheets.js';

function csvField(v: SheetValue): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : v;
  // A text that a spreadsheet would run as a formula is written as text (CSV injection).
  const safe = typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function reportCsv(heading: ReportHeading, sheets: Sheet[]): string {
  const lines: string[] = [csvField(heading.title), ...heading.lines.map(([k, v]) => [k, v].map(csvField).join(';')), ''];
  for (const s of sheets) {
    lines.push(csvField(s.title), s.columns.map(csvField).join(';'));
    for (const r of s.rows) lines.push(r.map(csvField).join(';'));
    lines.push('');
  }
  return `\uFEFF${lines.join('\r\n')}`;
}

/** Excel's rules for a worksheet name: at most 31 characters, none of []:*?/\, unique. */
export function worksheetNames(sheets: Sheet[]): string[] {
  const used = new Set<string>();
  return sheets.map((s, i) => {
    let name = s.title.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31);
    if (used.has(name)) name = `${name.slice(0, 27)} (${i + 1})`;
    used.add(name);
    return name;
  });
}

export async function reportXlsx(heading: ReportHeading, sheets: Sheet[]): Promise<Buffer> {
  const names = worksheetNames(sheets);
  const data = sheets.map((s, i) => {
    const rows: SheetData = [];
    // The heading (scope, period) on the first worksheet, above its table.
    if (i === 0) {
      rows.push([{ value: heading.title, fontWeight: 'bold' }]);
      for (const [k, v] of heading.lines) rows.push([k, v]);
      rows.push([]);
    }
    rows.push(s.columns.map((c) => ({ value: c, fontWeight: 'bold' as const })));
    for (const r of s.rows) rows.push(r.map((v, c) => (v === null ? null : s.numeric[c] && typeof v === 'number' ? { value: v, type: Number } : { value: String(v), type: String })));
    const widths = s.columns.map((c, col) => ({ width: Math.min(60, Math.max(8, c.length + 2, ...s.rows.map((r) => String(r[col] ?? '').length + 2))) }));
    return { data: rows, sheet: names[i]!, columns: widths };
  });
  return writeXlsxFile(data).toBuffer();
}
