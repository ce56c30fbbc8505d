/**
 * Printing a paper the workstation made. Under Electron the main process prints (silently in
 * kiosk mode); under the browser host the PDF opens in the browser's own viewer, which prints it.
 */
import type { OpOutput } from '../../src-main/contract/operations';
import { call } from './client';

type PdfFile = OpOutput<'docs.receipt'>;

export async function printPaper(pdf: PdfFile): Promise<'printed' | 'opened'> {
  const { method } = await call('print.pdf', { sha256: pdf.sha256, printer: null });
  if (method === 'printed') return 'printed';
  const bytes = Uint8Array.from(atob(pdf.dataBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return 'opened';
}
