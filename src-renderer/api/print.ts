/**
 * Printing a paper the workstation made. Under Electron the main process prints (silently in
 * kiosk mode); under the browser host, where a page cannot print silently, the PDF opens in the
 * browser's own viewer in a new tab, which prints it. The bytes are decoded in slices that yield to the
 * event loop between them, so the screen keeps answering while a large PDF is prepared.
 */
import type { OpOutput } from '../../src-main/contract/operations';
import { call } from './client';

type PdfFile = OpOutput<'docs.receipt'>;

export async function printPaper(pdf: PdfFile): Promise<'printed' | 'opened'> {
  const { method } = await call('print.pdf', { sha256: pdf.sha256, printer: null });
  if (method === 'printed') return 'printed';
  const url = URL.createObjectURL(new Blob(await decodeBase64(pdf.dataBase64), { type: 'application/pdf' }));
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return 'opened';
}

const SLICE = 256 * 1024; // base64 characters, a multiple of 4

async function decodeBase64(b64: string): Promise<Uint8Array<ArrayBuffer>[]> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let i = 0; i < b64.length; i += SLICE) {
    const bin = atob(b64.slice(i, i + SLICE));
    const bytes = new Uint8Array(bin.length);
    for (let j = 0; j < bin.length; j++) bytes[j] = bin.charCodeAt(j);
    parts.push(bytes);
    if (i + SLICE < b64.length) await new Promise((r) => setTimeout(r, 0));
  }
  return parts;
}
