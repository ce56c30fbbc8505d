/**
 * `report.export`: the dashboard the supervisor sees, as a file. The figures are the dashboard's
 * own answer laid out by `reportSheets` (the tables the screen draws), so a file never disagrees
 * with the screen. A PDF is stored in the content store (so `print.pdf` can print it by hash) and
 * released to retention at once: no row keeps it, the next clean-up deletes it.
 */
import { createHash } from 'node:crypto';
import type { Dashboard } from '../../contract/report.js';
import type { ExportFormat, ReportFile } from '../../contract/ops/report-export.js';
import { reportHeading, reportSheets, type SheetLanguage } from '../../contract/report-sheets.js';
import { reportCsv, reportXlsx } from './tables.js';

export interface ReportExportDeps {
  /** Renders the printed report (papers/report-pdf.ts, loaded on first use). */
  renderPdf: (input: { heading: ReturnType<typeof reportHeading>; sheets: ReturnType<typeof reportSheets>; language: SheetLanguage; supervisor: string; printedAt: Date }) => Promise<Uint8Array>;
  /** Stores a file to print and lets retention delete it later; returns its hash. */
  storeForPrint: (bytes: Uint8Array) => Promise<string>;
  now: () => Date;
}

const MIME: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

export function reportFileName(d: Dashboard, format: ExportFormat): string {
  return `qabyldau-report-${d.period.from}_${d.period.to}-${d.scope}.${format}`;
}

export async function exportReport(d: Dashboard, opts: { format: ExportFormat; language: SheetLanguage; supervisor: string }, deps: ReportExportDeps): Promise<ReportFile> {
  const heading = reportHeading(d, opts.language);
  const sheets = reportSheets(d, opts.language);
  let bytes: Uint8Array;
  let sha256: string;
  if (opts.format === 'pdf') {
    bytes = await deps.renderPdf({ heading, sheets, language: opts.language, supervisor: opts.supervisor, printedAt: deps.now() });
    sha256 = await deps.storeForPrint(bytes);
  } else {
    bytes = opts.format === 'csv' ? Buffer.from(reportCsv(heading, sheets), 'utf8') : await reportXlsx(heading, sheets);
    sha256 = createHash('sha256').update(bytes).digest('hex');
  }
  return { format: opts.format, fileName: reportFileName(d, opts.format), mime: MIME[opts.format], sha256, size: bytes.length, dataBase64: Buffer.from(bytes).toString('base64') };
}
