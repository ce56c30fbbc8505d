/**
 * The supervisor's report as a file: CSV, XLSX or a PDF to print, made in the main process from
 * the same `report.dashboard` answer and the same tables (report-sheets.ts) the screen shows.
 *
 * Composed into `operations` (operations.ts); the renderer imports these types only.
 */
import { z } from 'zod';
import { operation } from '../define.js';
import { reportOps } from './report.js';

export const ExportFormat = z.enum(['csv', 'xlsx', 'pdf']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ReportFile = z.strictObject({
  format: ExportFormat,
  /** A file name to save it under: qabyldau-report-<from>_<to>-<scope>.<ext>. */
  fileName: z.string(),
  mime: z.string(),
  /** The file's SHA-256; a PDF is stored so `print.pdf` can print it by this hash. */
  sha256: z.string(),
  size: z.number().int(),
  dataBase64: z.string(),
});
export type ReportFile = z.infer<typeof ReportFile>;

export const reportExportOps = {
  'report.export': operation({
    access: 'supervisor',
    summary: "The supervisor's dashboard as a CSV or XLSX file, or a PDF to print, in the chosen language.",
    input: reportOps['report.dashboard'].input.extend({ format: ExportFormat, language: z.enum(['kk', 'ru', 'en']) }),
    output: ReportFile,
    errors: ['REPORT_PERIOD_INVALID', 'DOCS_UNSUPPORTED_CHARACTER', 'DOCS_ASSETS_MISSING', 'STORAGE_DISK_FULL'],
  }),
} as const;
