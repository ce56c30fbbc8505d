/**
 * The main process's handle on the papers worker (worker.ts): the same calls as PapersService,
 * answered from the worker thread, with AppErrors (DOCS_*) passed back as themselves. Due dates
 * are cheap and are computed here.
 */
import { kzCalendar, type DeadlineRule, type DueDate } from '../calendar/index.js';
import { AppError } from '../contract/errors.js';
import type { Logger } from '../host/logger-types.js';
import { startModuleWorker, WorkerRpc } from '../runtime/threads.js';
import type { DocumentPdfInput } from './assemble.js';
import type { IssuanceSheetInput, ReceiptInput, RefusalNoticeInput } from './types.js';
import type { PapersWorkerError, PapersWorkerOp } from './worker.js';

/** What the rest of the app needs from the documents module. */
export interface Papers {
  receipt(input: ReceiptInput): Promise<Uint8Array>;
  refusalNotice(input: RefusalNoticeInput): Promise<Uint8Array>;
  issuanceSheet(input: IssuanceSheetInput): Promise<Uint8Array>;
  writeDocumentPdf(input: DocumentPdfInput, path: string): Promise<{ size: number; pageCount: number }>;
  expectedResult(at: Date, rule: DeadlineRule): DueDate;
}

export class PapersClient implements Papers {
  private readonly rpc: WorkerRpc<PapersWorkerOp, PapersWorkerError>;
  private readonly calendar = kzCalendar();
  private warmTimer: NodeJS.Timeout | null = null;

  constructor(opts: { assetsDir: string; log: Logger }) {
    this.rpc = new WorkerRpc({
      name: 'papers',
      start: () => startModuleWorker(import.meta.url, './worker.ts', 'papers-worker.js', { assetsDir: opts.assetsDir }),
      toError: (e) => (e.code ? new AppError(e.code, e.params) : new Error(e.message)),
      onFailure: (e) => opts.log.error({ err: e }, 'papers worker failed'),
    });
  }

  receipt(input: ReceiptInput): Promise<Uint8Array> {
    return this.rpc.call({ op: 'receipt', args: input });
  }

  refusalNotice(input: RefusalNoticeInput): Promise<Uint8Array> {
    return this.rpc.call({ op: 'refusalNotice', args: input });
  }

  issuanceSheet(input: IssuanceSheetInput): Promise<Uint8Array> {
    return this.rpc.call({ op: 'issuanceSheet', args: input });
  }

  writeDocumentPdf(input: DocumentPdfInput, path: string): Promise<{ size: number; pageCount: number }> {
    return this.rpc.call({ op: 'writeDocumentPdf', args: { input, path } });
  }

  /** Starts the worker and waits until it has loaded (so the first paper does not pay for it). */
  async warm(): Promise<void> {
    await this.rpc.call({ op: 'ping', args: null });
  }

  /**
   * Warms the worker `ms` from now, unless close() comes first: otherwise a client closed sooner
   * would start a worker nobody ends (it loads pdf-lib and the fonts, about 0.5 s of CPU, and
   * lives as long as the process).
   */
  warmAfter(ms: number, onError: (e: unknown) => void): void {
    if (this.warmTimer) clearTimeout(this.warmTimer);
    this.warmTimer = setTimeout(() => {
      this.warmTimer = null;
      this.warm().catch(onError);
    }, ms).unref();
  }

  expectedResult(at: Date, rule: DeadlineRule): DueDate {
    return this.calendar.dueDate(at, rule);
  }

  close(): Promise<void> {
    if (this.warmTimer) clearTimeout(this.warmTimer);
    this.warmTimer = null;
    return this.rpc.close();
  }
}
