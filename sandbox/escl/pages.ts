/**
 * Pages the sandbox eSCL scanner "scans": generated with librsvg through sharp, numbered in large
 * text ("Sandbox page 7, front") with a few lines of sample text, and with a machine-readable
 * marker row so tests can check which sheet and side each stored page is without OCR:
 * 14 squares of 8 mm, 10 mm apart, from (10 mm, 10 mm): square 0 always black (reference),
 * squares 1-12 the sheet number's bits (least significant first), square 13 black on a back side.
 */
import sharp from 'sharp';

export type SandboxColorMode = 'RGB24' | 'Grayscale8' | 'BlackAndWhite1';
export type SandboxFormat = 'image/jpeg' | 'image/png' | 'application/pdf';

export interface PageSpec {
  sheet: number;
  back: boolean;
  blank: boolean;
  /** Region in 1/300 inch. */
  width: number;
  height: number;
  dpi: number;
  mode: SandboxColorMode;
}

export const MARKER = { xMm: 10, yMm: 10, sizeMm: 8, stepMm: 10, bits: 12 };

function svg(p: PageSpec): string {
  const wMm = (p.width / 300) * 25.4;
  const hMm = (p.height / 300) * 25.4;
  if (p.blank) return `<svg xmlns="http://www.w3.org/2000/svg" width="${wMm}mm" height="${hMm}mm" viewBox="0 0 ${wMm} ${hMm}"><rect width="100%" height="100%" fill="#fff"/></svg>`;
  const squares: string[] = [];
  const on = (i: number) => (i === 0 ? true : i <= MARKER.bits ? ((p.sheet >> (i - 1)) & 1) === 1 : p.back);
  for (let i = 0; i <= MARKER.bits + 1; i++) {
    if (on(i)) squares.push(`<rect x="${MARKER.xMm + i * MARKER.stepMm}" y="${MARKER.yMm}" width="${MARKER.sizeMm}" height="${MARKER.sizeMm}" fill="#000"/>`);
  }
  const lines = Array.from({ length: 8 }, (_, i) => `<text x="15" y="${70 + i * 9}" font-size="4.2" font-family="DejaVu Sans, sans-serif" fill="#222">Line ${i + 1} of the sample text on sheet ${p.sheet}: Қабылдау — Приём — Acceptance.</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${wMm}mm" height="${hMm}mm" viewBox="0 0 ${wMm} ${hMm}">
<rect width="100%" height="100%" fill="#fff"/>
${squares.join('\n')}
<text x="15" y="45" font-size="14" font-family="DejaVu Sans, sans-serif" fill="#000">Sandbox page ${p.sheet}, ${p.back ? 'back' : 'front'}</text>
<rect x="15" y="52" width="${Math.max(20, wMm - 30)}" height="2" fill="#c0392b"/>
${lines.join('\n')}
</svg>`;
}

/** Renders one page as the scanner would send it. */
export async function renderPage(p: PageSpec, format: Exclude<SandboxFormat, 'application/pdf'>): Promise<Buffer> {
  const wPx = Math.round((p.width / 300) * p.dpi);
  const hPx = Math.round((p.height / 300) * p.dpi);
  let img = sharp(Buffer.from(svg(p)), { density: p.dpi }).resize(wPx, hPx, { fit: 'fill' }).flatten({ background: '#fff' });
  if (p.mode === 'Grayscale8') img = img.toColourspace('b-w');
  if (p.mode === 'BlackAndWhite1') img = img.toColourspace('b-w').threshold(128);
  img = img.withMetadata({ density: p.dpi });
  if (format === 'image/png') return img.png(p.mode === 'BlackAndWhite1' ? { palette: true, colours: 2, compressionLevel: 6 } : {}).toBuffer();
  return img.jpeg({ quality: 80 }).toBuffer();
}

/** Reads the marker row of a stored page: sheet number and side, or null when there is none. */
export async function readMarker(image: Buffer, dpi: number): Promise<{ sheet: number; back: boolean } | null> {
  const { data, info } = await sharp(image).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const px = dpi / 25.4;
  const dark = (i: number) => {
    const cx = Math.round((MARKER.xMm + i * MARKER.stepMm + MARKER.sizeMm / 2) * px);
    const cy = Math.round((MARKER.yMm + MARKER.sizeMm / 2) * px);
    if (cx >= info.width || cy >= info.height) return false;
    return data[cy * info.width * info.channels + cx * info.channels]! < 128;
  };
  if (!dark(0)) return null;
  let sheet = 0;
  for (let b = 1; b <= MARKER.bits; b++) if (dark(b)) sheet |= 1 << (b - 1);
  return { sheet, back: dark(MARKER.bits + 1) };
}

/** A small JPEG whose header claims 60 000 × 60 000 pixels (a decompression bomb). */
export async function pixelBombJpeg(): Promise<Buffer> {
  const small = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#fff' } }).jpeg().toBuffer();
  // Patch the SOF0 frame header's height and width.
  for (let i = 2; i < small.length - 9; i++) {
    if (small[i] === 0xff && (small[i + 1] === 0xc0 || small[i + 1] === 0xc2)) {
      small.writeUInt16BE(60000, i + 5);
      small.writeUInt16BE(60000, i + 7);
      break;
    }
  }
  return small;
}
