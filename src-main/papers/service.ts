/**
 * The documents service as the host wires it: papers, document PDFs and expected result dates,
 * with logging (ids and sizes only, never names or IINs) and the host's clock.
 */
import type { Logger } from '../host/logger-types.js';
import type { WorkingCalendar} from '../calendar/working-calendar.js';
import { type DeadlineRule, type DueDate, kzCalendar } from '../calendar/working-calendar.js';
import { type DocumentPdfInput, assembleDocumentPdf, streamDocumentPdf, writeDocumentPdf } from './assemble.js';
import { renderIssuanceSheet, renderReceipt } from './counter-papers.js';
import { renderRefusalNotice } from './refusal-paper.js';
import type { IssuanceSheetInput, ReceiptInput, RefusalNoticeInput } from './types.js';

export interface PapersServiceDeps {
  log: Logger;
  now: () => Date;
  /** Where fonts/ and icc/ are; defaults to the repository's assets/. */
  assetsDir?: string;
  calendar?: WorkingCalendar;
}

export class PapersService {
  private readonly log: Logger;
  private readonly calendar: WorkingCalendar;

  constructor(private readonly deps: PapersServiceDeps) {
    this.log = deps.log.child({ service: 'papers' });
    this.calendar = deps.calendar ?? kzCalendar();
  }

  /** The expected result date of a request registered (or accepted) at `at`. */
  expectedResult(at: Date, rule: DeadlineRule): DueDate {
    return this.calendar.dueDate(at, rule);
  }

  receipt(input: ReceiptInput): Promise<Uint8Array> {
    return this.timed('receipt', input.language, () => renderReceipt(input, this.paperOptions()));
  }

  refusalNotice(input: RefusalNoticeInput): Promise<Uint8Array> {
    return this.timed('refusal_notice', input.language, () => renderRefusalNotice(input, this.paperOptions()));
  }

  issuanceSheet(input: IssuanceSheetInput): Promise<Uint8Array> {
    return this.timed('issuance_sheet', input.language, () => renderIssuanceSheet(input, this.paperOptions()));
  }

  documentPdf(input: DocumentPdfInput): Promise<Uint8Array> {
    return this.timed('document', null, () => assembleDocumentPdf(input, this.assembleOptions()));
  }

  async writeDocumentPdf(input: DocumentPdfInput, path: string): Promise<{ size: number; pageCount: number }> {
    const started = this.deps.now().getTime();
    const r = await writeDocumentPdf(input, path, this.assembleOptions());
    this.log.info({ kind: 'document', pages: r.pageCount, bytes: r.size, ms: this.deps.now().getTime() - started }, 'pdf written');
    return r;
  }

  streamDocumentPdf(input: DocumentPdfInput) {
    return streamDocumentPdf(input, this.assembleOptions());
  }

  private paperOptions() {
    return { now: this.deps.now, ...(this.deps.assetsDir ? { assetsDir: this.deps.assetsDir } : {}) };
  }

  private assembleOptions() {
    return { log: this.log, ...(this.deps.assetsDir ? { assetsDir: this.deps.assetsDir } : {}) };
  }

  private async timed(kind: string, language: string | null, make: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const started = this.deps.now().getTime();
    try {
      const pdf = await make();
      this.log.info({ kind, language, bytes: pdf.length, ms: this.deps.now().getTime() - started }, 'pdf made');
      return pdf;
    } catch (e) {
      this.log.warn({ kind, language, code: (e as { code?: string }).code ?? 'INTERNAL' }, 'pdf failed');
      throw e;
    }
  }
}
