/**
 * The main process's handle on the documents worker (worker.ts): the same calls as DocsService,
 * answered from the worker thread, with AppErrors (DOCS_*) passed back as themselves. Due dates
 * are cheap and are computed here.
 */
import type { Worker } from 'node:worker_threads';
import { kzCalendar, type DeadlineRule, type DueDate } from '../calendar/index.js';
import { AppError } from '../contract/errors.js';
import type { Logger } from '../host/logger-types.js';
import { startModuleWorker } from '../runtime/threads.js';
import type { DocumentPdfInput } from './assemble.js';
import type { IssuanceSheetInput, ReceiptInput, RefusalNoticeInput } from './types.js';
import type { DocsWorkerOp, DocsWorkerRequest, DocsWorkerResponse } from './worker.js';

/** What the rest of the app needs from the documents module. */
export interface Docs {
  receipt(input: ReceiptInput): Promise<Uint8Array>;
  refusalNotice(input: RefusalNoticeInput): Promise<Uint8Array>;
  issuanceSheet(input: IssuanceSheetInput): Promise<Uint8Array>;
  writeDocumentPdf(input: DocumentPdfInput, path: string): Promise<{ size: number; pageCount: number }>;
  expectedResult(at: Date, rule: DeadlineRule): DueDate;
}

export class DocsClient implements Docs {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private readonly calendar = kzCalendar();

  constructor(private readonly opts: { assetsDir: string; log: Logger }) {}

  receipt(input: ReceiptInput): Promise<Uint8Array> {
    return this.call({ op: 'receipt', args: input });
  }

  refusalNotice(input: RefusalNoticeInput): Promise<Uint8Array> {
    return this.call({ op: 'refusalNotice', args: input });
  }

  issuanceSheet(input: IssuanceSheetInput): Promise<Uint8Array> {
    return this.call({ op: 'issuanceSheet', args: input });
  }

  writeDocumentPdf(input: DocumentPdfInput, path: string): Promise<{ size: number; pageCount: number }> {
    return this.call({ op: 'writeDocumentPdf', args: { input, path } });
  }

  /** Starts the worker and waits until it has loaded (so the first paper does not pay for it). */
  async warm(): Promise<void> {
    await this.call({ op: 'ping', args: null });
  }

  expectedResult(at: Date, rule: DeadlineRule): DueDate {
    return this.calendar.dueDate(at, rule);
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }

  private get(): Worker {
    if (this.worker) return this.worker;
    const w = startModuleWorker(import.meta.url, './worker.ts', 'docs-worker.js', { assetsDir: this.opts.assetsDir });
    w.unref();
    w.on('message', (res: DocsWorkerResponse) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      this.pending.delete(res.id);
      if (res.ok) p.resolve(res.value);
      else p.reject(res.error.code ? new AppError(res.error.code, res.error.params) : new Error(res.error.message));
    });
    const fail = (e: unknown) => {
      this.opts.log.error({ err: e }, 'documents worker failed');
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      this.worker = null;
    };
    w.on('error', fail);
    w.on('exit', (code) => {
      if (this.pending.size) fail(new Error(`the documents worker exited (${code})`));
      this.worker = null;
    });
    this.worker = w;
    return w;
  }

  private call<T>(msg: DocsWorkerOp): Promise<T> {
    const w = this.get();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.ref();
      w.postMessage({ id, msg } satisfies DocsWorkerRequest);
    }).finally(() => {
      if (!this.pending.size) this.worker?.unref();
    });
  }
}
