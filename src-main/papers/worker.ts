/**
 * The papers worker thread: every PDF the workstation makes (receipts, notices, issuance
 * sheets, one PDF per document slot) is laid out here, off the main process's event loop, so the
 * UI never waits on pdf-lib or font parsing. workerData: { assetsDir }.
 */
import { workerData } from 'node:worker_threads';
import { AppError } from '../contract/errors.js';
import { silentLogger } from '../host/logger-types.js';
import type { DocumentPdfInput } from './assemble.js';
import { serveRpc } from '../runtime/threads.js';
import { PapersService } from './service.js';
import type { IssuanceSheetInput, ReceiptInput, RefusalNoticeInput } from './types.js';

export type PapersWorkerOp =
  | { op: 'ping'; args: null }
  | { op: 'receipt'; args: ReceiptInput }
  | { op: 'refusalNotice'; args: RefusalNoticeInput }
  | { op: 'issuanceSheet'; args: IssuanceSheetInput }
  | { op: 'writeDocumentPdf'; args: { input: DocumentPdfInput; path: string } };

export interface PapersWorkerError {
  code: string | null;
  params: Record<string, string | number | boolean>;
  message: string;
}

const data = (workerData ?? {}) as { assetsDir?: string };
const docs = new PapersService({ log: silentLogger, now: () => new Date(), ...(data.assetsDir ? { assetsDir: data.assetsDir } : {}) });

async function run(msg: PapersWorkerOp): Promise<unknown> {
  switch (msg.op) {
    case 'ping':
      return true;
    case 'receipt':
      return docs.receipt(msg.args);
    case 'refusalNotice':
      return docs.refusalNotice(msg.args);
    case 'issuanceSheet':
      return docs.issuanceSheet(msg.args);
    case 'writeDocumentPdf':
      return docs.writeDocumentPdf(msg.args.input, msg.args.path);
  }
}

serveRpc<PapersWorkerOp, PapersWorkerError>(run, (e) =>
  e instanceof AppError
    ? { code: e.code, params: e.params, message: e.message }
    : { code: null, params: {}, message: e instanceof Error ? e.message : String(e) },
);
