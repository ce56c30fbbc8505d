/**
 * Printing a PDF from the Electron shell: list printers, print with the system dialog, or print
 * silently (kiosk mode) to a chosen or the default printer.
 *
 * The PDF is loaded in a hidden window (Chromium's PDF viewer, hence `plugins: true`) and
 * printed with webContents.print. Silent printing of PDFs failed in Electron before the fix
 * backported to 35/36 (electron/electron#47378, #47624); this app ships a later Electron.
 * This file cannot run under plain Node; it is kept small and typed.
 */
import { pathToFileURL } from 'node:url';
import { BrowserWindow, type WebContents } from 'electron';
import { AppError } from '../contract/errors.js';

export interface PrinterSummary {
  name: string;
  displayName: string;
  description: string;
}

export interface PrintPdfOptions {
  /** A PDF file on disk (the documents service writes papers to a temporary file). */
  pdfPath: string;
  /** A printer's `name` from listPrinters(); omitted: the system default printer. */
  deviceName?: string;
  /** Kiosk mode: no dialog. */
  silent: boolean;
  copies?: number;
  timeoutMs?: number;
}

export async function listPrinters(contents: WebContents): Promise<PrinterSummary[]> {
  const printers = await contents.getPrintersAsync();
  return printers.map((p) => ({ name: p.name, displayName: p.displayName, description: p.description }));
}

export async function printPdf(contents: WebContents, opts: PrintPdfOptions): Promise<void> {
  if (opts.deviceName && !(await listPrinters(contents)).some((p) => p.name === opts.deviceName)) {
    throw new AppError('DOCS_PRINTER_NOT_FOUND');
  }
  const win = new BrowserWindow({
    show: false,
    webPreferences: { plugins: true, sandbox: true, contextIsolation: true, nodeIntegration: false },
  });
  try {
    await win.loadURL(pathToFileURL(opts.pdfPath).href);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new AppError('DOCS_PRINT_FAILED', { reason: 'timeout' }, { retryable: true })),
        opts.timeoutMs ?? 60_000,
      );
      win.webContents.print(
        {
          silent: opts.silent,
          printBackground: true,
          copies: opts.copies ?? 1,
          margins: { marginType: 'none' },
          ...(opts.deviceName ? { deviceName: opts.deviceName } : {}),
        },
        (success, failureReason) => {
          clearTimeout(timer);
          if (success) resolve();
          else if (failureReason === 'cancelled') reject(new AppError('DOCS_PRINT_CANCELLED'));
          else reject(new AppError('DOCS_PRINT_FAILED', { reason: failureReason || 'unknown' }, { retryable: true }));
        },
      );
    });
  } finally {
    win.destroy();
  }
}
