/**
 * Just enough JPEG and PNG header parsing to embed scanner pages without decoding them:
 * size, components, bit depth and resolution; for PNG also the zlib data (IDAT) that a PDF
 * FlateDecode filter with PNG predictors reads as it is.
 */
import { AppError } from '../contract/errors.js';

export interface JpegInfo {
  kind: 'jpeg';
  width: number;
  height: number;
  components: 1 | 3;
  /** Dots per inch from the JFIF header, or null when it gives none. */
  dpiX: number | null;
  dpiY: number | null;
}

export interface PngInfo {
  kind: 'png';
  width: number;
  height: number;
  bitDepth: number;
  /** 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA. */
  colorType: number;
  interlaced: boolean;
  palette: Uint8Array | null;
  hasTransparency: boolean;
  dpiX: number | null;
  dpiY: number | null;
  /** Total length of the IDAT chunks' data (the zlib stream). */
  idatLength: number;
}

export type ImageInfo = JpegInfo | PngInfo;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffImage(bytes: Uint8Array): 'jpeg' | 'png' | null {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length > 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  return null;
}

export function parseImage(bytes: Uint8Array): ImageInfo {
  const kind = sniffImage(bytes);
  if (kind === 'jpeg') return parseJpeg(bytes);
  if (kind === 'png') return parsePng(bytes);
  throw new AppError('DOCS_PAGE_UNSUPPORTED', { reason: 'format' });
}

function u16(b: Uint8Array, i: number): number {
  return ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
}

function u32(b: Uint8Array, i: number): number {
  return (((b[i] ?? 0) << 24) >>> 0) + (((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0));
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

export function parseJpeg(b: Uint8Array): JpegInfo {
  let i = 2;
  let dpiX: number | null = null;
  let dpiY: number | null = null;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) throw new AppError('DOCS_PAGE_CORRUPT', { reason: 'jpeg_marker' });
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const len = u16(b, i + 2);
    const seg = i + 4;
    if (len < 2 || seg + len - 2 > b.length) throw new AppError('DOCS_PAGE_CORRUPT', { reason: 'jpeg_segment' });
    if (marker === 0xe0 && len >= 16 && String.fromCharCode(...b.subarray(seg, seg + 5)) === 'JFIF\0') {
      const units = b[seg + 7];
      const x = u16(b, seg + 8);
      const y = u16(b, seg + 10);
      if (units === 1 && x > 0 && y > 0) {
        dpiX = x;
        dpiY = y;
      } else if (units === 2 && x > 0 && y > 0) {
        dpiX = x * 2.54;
        dpiY = y * 2.54;
      }
    }
    if (SOF_MARKERS.has(marker)) {
      const precision = b[seg];
      const height = u16(b, seg + 1);
      const width = u16(b, seg + 3);
      const components = b[seg + 5];
      if (precision !== 8) throw new AppError('DOCS_PAGE_UNSUPPORTED', { reason: 'jpeg_precision' });
      if (components !== 1 && components !== 3) throw new AppError('DOCS_PAGE_UNSUPPORTED', { reason: 'jpeg_components' });
      if (width === 0 || height === 0) throw new AppError('DOCS_PAGE_CORRUPT', { reason: 'jpeg_size' });
      return { kind: 'jpeg', width, height, components, dpiX, dpiY };
    }
    if (marker === 0xda) break; // start of scan before any frame header
    i = seg + len - 2;
  }
  throw new AppError('DOCS_PAGE_CORRUPT', { reason: 'jpeg_no_frame' });
}

export function parsePng(b: Uint8Array): PngInfo {
  let i = 8;
  let info: PngInfo | null = null;
  let idatLength = 0;
  while (i + 12 <= b.length) {
    const len = u32(b, i);
    const type = String.fromCharCode(b[i + 4] ?? 0, b[i + 5] ?? 0, b[i + 6] ?? 0, b[i + 7] ?? 0);
    const data = i + 8;
    if (data + len + 4 > b.length) throw new AppError('DOCS_PAGE_CORRUPT', { reason: 'png_chunk' });
    if (type === 'IHDR') {
      info = {
        kind: 'png',
        width: u32(b, data),
        height: u32(b, data + 4),
        bitDepth: b[data + 8] ?? 0,
        colorType: b[data + 9] ?? 0,
        interlaced: b[data + 12] === 1,
        palette: null,
        hasTransparency: false,
        dpiX: null,
        dpiY: null,
        idatLength: 0,
      };
      if (info.width === 0 || info.height === 0) throw new AppError('DOCS_PAGE_CORRUPT', { reason: 'png_size' });
    } else if (!info) {
      throw new AppError('DOCS_PAGE_CORRUPT', { reason: 'png_no_header' });
    } else if (type === 'PLTE') {
      info.palette = b.slice(data, data + len);
    } else if (type === 'tRNS') {
      info.hasTransparency = true;
    } else if (type === 'pHYs' && len >= 9 && b[data + 8] === 1) {
      // pixels per metre
      info.dpiX = u32(b, data) * 0.0254;
      info.dpiY = u32(b, data + 4) * 0.0254;
    } else if (type === 'IDAT') {
      idatLength += len;
    } else if (type === 'IEND') {
      break;
    }
    i = data + len + 4;
  }
  if (!info || idatLength === 0) throw new AppError('DOCS_PAGE_CORRUPT', { reason: 'png_no_data' });
  info.idatLength = idatLength;
  return info;
}

/** The concatenated IDAT data: one zlib stream of PNG-filtered scanlines. */
export function pngIdat(b: Uint8Array, totalLength: number): Uint8Array {
  const out = new Uint8Array(totalLength);
  let o = 0;
  let i = 8;
  while (i + 12 <= b.length) {
    const len = u32(b, i);
    const data = i + 8;
    if (b[i + 4] === 0x49 && b[i + 5] === 0x44 && b[i + 6] === 0x41 && b[i + 7] === 0x54) {
      if (o + len > totalLength) throw new AppError('DOCS_PAGE_CHANGED');
      out.set(b.subarray(data, data + len), o);
      o += len;
    }
    i = data + len + 4;
  }
  if (o !== totalLength) throw new AppError('DOCS_PAGE_CHANGED');
  return out;
}

/** Rounds a resolution read from a header: 299.9994 dpi (from pixels per metre) is 300. */
export function roundDpi(dpi: number): number {
  const r = Math.round(dpi);
  return Math.abs(dpi - r) < 0.05 ? r : dpi;
}
