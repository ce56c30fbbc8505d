/**
 * A QR code drawn as vector rectangles.
 *
 * The `qrcode` package computes the module matrix (encoding, error correction, masking); we draw
 * the dark modules ourselves, one rectangle per horizontal run, filled in one operation. Vectors
 * print sharp at any printer resolution, add no image (no colour space or compression to get
 * wrong for PDF/A) and cost about a kilobyte of content stream.
 */
import QRCode from 'qrcode';
import { type PDFPage, fill, popGraphicsState, pushGraphicsState, rectangle, setFillingGrayscaleColor } from 'pdf-lib';
import { AppError } from '../contract/errors.js';

export interface QrMatrix {
  size: number;
  dark(row: number, col: number): boolean;
}

export function qrMatrix(text: string): QrMatrix {
  try {
    const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const m = qr.modules;
    return { size: m.size, dark: (r, c) => Boolean(m.get(r, c)) };
  } catch (e) {
    throw new AppError('DOCS_QR_FAILED', {}, { cause: e });
  }
}

/**
 * Draws the code with its 4-module quiet zone inside the square (x, y, side), y at the bottom.
 */
export function drawQr(page: PDFPage, text: string, x: number, y: number, side: number): void {
  const m = qrMatrix(text);
  const unit = side / (m.size + 8);
  const ops = [pushGraphicsState(), setFillingGrayscaleColor(0)];
  for (let r = 0; r < m.size; r++) {
    let c = 0;
    while (c < m.size) {
      if (!m.dark(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < m.size && m.dark(r, c)) c++;
      const top = y + side - (r + 4) * unit;
      ops.push(rectangle(x + (start + 4) * unit, top - unit, (c - start) * unit, unit));
    }
  }
  ops.push(fill(), popGraphicsState());
  page.pushOperators(...ops);
}
