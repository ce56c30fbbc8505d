/**
 * Page encoding, run inside the scanner worker (and by file import).
 *
 * Formats (decided, see docs/scanning.md):
 * - gray and colour pages: baseline JPEG, quality 85, with a JFIF APP0 header carrying the scan
 *   resolution in dots per inch (libvips writes no JFIF segment, so we add it);
 * - line art (1 bit per pixel): 1-bit greyscale PNG, lossless, with a pHYs chunk for the dpi.
 *   Chromium displays it and the PDF assembler embeds it losslessly. TIFF G4 would be smaller
 *   but the renderer cannot show TIFF.
 *
 * Memory: raw lines from the device are streamed to a spool file as they arrive (never a whole
 * page in JS memory): 8-bit pages as a libvips ".v" file (a 64-byte header and the raw pixels),
 * which sharp/libvips then encodes reading the file sequentially; 1-bit pages as packed rows,
 * at most ceil(width/8) x height bytes (1.1 MB for A4 at 300 dpi), deflated on the thread pool.
 */
import { open, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { crc32, deflate } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { estimateSkew } from './skew.js';
import type { ColorMode, PageFormat } from './types.js';

const deflateAsync = promisify(deflate);

// Decoding untrusted or large images happens on libvips threads; keep its cache small so a batch
// does not grow the worker's memory.
sharp.cache({ memory: 32, files: 0, items: 20 });

export const JPEG_QUALITY = 85;
export const THUMB_QUALITY = 70;

/** Inserts (or replaces) the JFIF APP0 segment so the file carries its dpi. */
export function withJfifDensity(jpeg: Buffer, dpi: number): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const d = Math.max(1, Math.min(65535, Math.round(dpi)));
  const app0 = Buffer.from([
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, // APP0, length 16, "JFIF\0"
    0x01, 0x02, // version 1.02
    0x01, // units: dots per inch
    d >> 8, d & 0xff, d >> 8, d & 0xff, // X and Y density
    0x00, 0x00, // no thumbnail
  ]);
  let rest = jpeg.subarray(2);
  if (rest[0] === 0xff && rest[1] === 0xe0) rest = rest.subarray(2 + rest.readUInt16BE(2));
  return Buffer.concat([jpeg.subarray(0, 2), app0, rest]);
}

/** Reads the JFIF density (dpi) of a JPEG, or null. */
export function jfifDensity(jpeg: Buffer): { units: number; x: number; y: number } | null {
  if (jpeg[2] !== 0xff || jpeg[3] !== 0xe0 || jpeg.toString('latin1', 6, 11) !== 'JFIF\0') return null;
  return { units: jpeg[13]!, x: jpeg.readUInt16BE(14), y: jpeg.readUInt16BE(16) };
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * Encodes packed 1-bit rows (SANE convention: 1 = black, rows of ceil(width/8) bytes) as a
 * 1-bit greyscale PNG (PNG convention: 1 = white, so the bits are inverted).
 */
export async function encodeLineArtPng(packed: Buffer, width: number, height: number, dpi: number): Promise<Buffer> {
  const rowBytes = Math.ceil(width / 8);
  if (packed.length < rowBytes * height) throw new Error('line-art data shorter than width x height');
  const raw = Buffer.allocUnsafe((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (rowBytes + 1);
    raw[o] = 0; // filter: none
    const src = y * rowBytes;
    for (let x = 0; x < rowBytes; x++) raw[o + 1 + x] = ~packed[src + x]! & 0xff;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  const ppm = Math.round(dpi / 0.0254);
  const phys = Buffer.alloc(9);
  phys.writeUInt32BE(ppm, 0);
  phys.writeUInt32BE(ppm, 4);
  phys[8] = 1; // metre
  const idat = await deflateAsync(raw, { level: 6 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('pHYs', phys),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** libvips' own file format header: 64 bytes, then the pixels (uchar, interleaved bands). */
export function vipsHeader(width: number, height: number, bands: 1 | 3, dpi: number): Buffer {
  const h = Buffer.alloc(64);
  h.writeUInt32BE(0xb6a6f208, 0); // magic: little-endian ("Intel") data
  h.writeInt32LE(width, 4);
  h.writeInt32LE(height, 8);
  h.writeInt32LE(bands, 12);
  h.writeInt32LE(8, 16); // bits per band (legacy field)
  h.writeInt32LE(0, 20); // band format: uchar
  h.writeInt32LE(0, 24); // coding: none
  h.writeInt32LE(bands === 1 ? 1 : 22, 28); // interpretation: B_W or sRGB
  h.writeFloatLE(dpi / 25.4, 32); // resolution, pixels per millimetre
  h.writeFloatLE(dpi / 25.4, 36);
  return h;
}

export interface FrameLayout {
  mode: ColorMode;
  /** Pixels per line. */
  width: number;
  /** Lines, or -1 when the device does not know in advance. */
  lines: number;
  /** Bytes per line as the device sends them (may include padding). */
  bytesPerLine: number;
  channels: 1 | 3;
  depth: 1 | 8;
  dpi: number;
}

/** Counts ink inside the page minus its margins, streaming; for blank-page detection. */
export class InkMeter {
  private readonly darkPerLine: number[] = [];
  private readonly colStart: number;
  private readonly colEnd: number;

  constructor(private readonly f: FrameLayout, private readonly marginFraction: number) {
    const packedLine = f.depth === 1 ? Math.ceil(f.width / 8) : f.width * f.channels;
    const m = Math.floor(packedLine * marginFraction);
    this.colStart = m;
    this.colEnd = Math.max(m + 1, packedLine - m);
  }

  /** Feeds one packed line segment: `bytes` start at column `col` of line `line`. */
  add(line: number, col: number, bytes: Uint8Array): void {
    const a = Math.max(col, this.colStart) - col;
    const b = Math.min(col + bytes.length, this.colEnd) - col;
    if (b <= a) return;
    let dark = 0;
    if (this.f.depth === 1) {
      for (let i = a; i < b; i++) dark += POPCOUNT[bytes[i]!]!;
    } else {
      for (let i = a; i < b; i++) if (bytes[i]! < 128) dark++;
    }
    this.darkPerLine[line] = (this.darkPerLine[line] ?? 0) + dark;
  }

  /** Fraction of the area inside the margins that is ink (0..1). */
  ratio(lines: number): number {
    const m = Math.floor(lines * this.marginFraction);
    let dark = 0;
    for (let y = m; y < lines - m; y++) dark += this.darkPerLine[y] ?? 0;
    const rows = Math.max(1, lines - 2 * m);
    const cols = this.colEnd - this.colStart;
    const samples = this.f.depth === 1 ? rows * cols * 8 : rows * cols;
    return samples > 0 ? dark / samples : 0;
  }
}

const POPCOUNT = new Uint8Array(256).map((_, i) => {
  let n = 0;
  for (let v = i; v; v >>= 1) n += v & 1;
  return n;
});

/**
 * Streams one frame's bytes to a spool file, dropping any per-line padding and measuring ink.
 * write() calls must not overlap (await each).
 */
export class FrameSpool {
  private fh: FileHandle | null = null;
  private readonly packedLine: number;
  private readonly headerBytes: number;
  /** Position in the device's byte stream. */
  private streamPos = 0;
  private written = 0;
  readonly ink: InkMeter;

  private constructor(readonly path: string, readonly f: FrameLayout, marginFraction: number) {
    this.packedLine = f.depth === 1 ? Math.ceil(f.width / 8) : f.width * f.channels;
    this.headerBytes = f.depth === 1 ? 0 : 64;
    this.ink = new InkMeter(f, marginFraction);
  }

  static async create(path: string, f: FrameLayout, marginFraction: number): Promise<FrameSpool> {
    const s = new FrameSpool(path, f, marginFraction);
    s.fh = await open(path, 'w', 0o600);
    if (s.headerBytes > 0) await s.fh.write(vipsHeader(f.width, Math.max(0, f.lines), f.channels, f.dpi), 0, 64, 0);
    return s;
  }

  /** Complete lines received so far. */
  get linesDone(): number {
    return Math.floor(this.streamPos / this.f.bytesPerLine);
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (!this.fh || chunk.length === 0) return;
    const bpl = this.f.bytesPerLine;
    const parts: Uint8Array[] = [];
    let off = 0;
    while (off < chunk.length) {
      const line = Math.floor(this.streamPos / bpl);
      const col = this.streamPos % bpl;
      const n = Math.min(chunk.length - off, bpl - col);
      // Keep only the packed part of the line (drop padding past packedLine).
      const keepEnd = Math.min(col + n, this.packedLine);
      if (keepEnd > col) {
        const seg = chunk.subarray(off, off + (keepEnd - col));
        this.ink.add(line, col, seg);
        parts.push(seg);
      }
      off += n;
      this.streamPos += n;
    }
    if (parts.length === 1) {
      const p = parts[0]!;
      await this.fh.write(p, 0, p.length, this.headerBytes + this.written);
      this.written += p.length;
    } else if (parts.length > 1) {
      const b = Buffer.concat(parts);
      await this.fh.write(b, 0, b.length, this.headerBytes + this.written);
      this.written += b.length;
    }
  }

  /** Closes the spool; returns the number of complete lines (fixing the header's height). */
  async finish(): Promise<number> {
    const lines = Math.floor(this.written / this.packedLine);
    if (this.fh) {
      if (this.headerBytes > 0) {
        await this.fh.write(vipsHeader(this.f.width, lines, this.f.channels, this.f.dpi), 0, 64, 0);
        await this.fh.truncate(64 + lines * this.packedLine);
      }
      await this.fh.close();
      this.fh = null;
    }
    return lines;
  }

  async abort(): Promise<void> {
    if (this.fh) await this.fh.close().catch(() => {});
    this.fh = null;
  }
}

export interface EncodedPage {
  file: string;
  thumbFile: string;
  format: PageFormat;
  width: number;
  height: number;
  thumbWidth: number;
  thumbHeight: number;
  /** The content's skew in degrees (scan/skew.ts), measured on the thumbnail; null: not measurable. */
  skewDeg: number | null;
}

/** Encodes a finished spool to the page file and its thumbnail. */
export async function encodeSpool(
  spoolPath: string,
  f: FrameLayout,
  lines: number,
  out: { file: string; thumbFile: string; thumbMaxPx: number; jpegQuality?: number },
): Promise<EncodedPage> {
  let page: Buffer;
  let format: PageFormat;
  let thumbSource: Sharp;
  if (f.depth === 1) {
    page = await encodeLineArtPng(await readFile(spoolPath), f.width, lines, f.dpi);
    format = 'image/png';
    thumbSource = sharp(page);
  } else {
    const src = sharp(spoolPath, { sequentialRead: true, limitInputPixels: false });
    // libvips would write gray as three identical channels; keep one.
    const jpeg = await (f.channels === 1 ? src.toColourspace('b-w') : src)
      .jpeg({ quality: out.jpegQuality ?? JPEG_QUALITY, optimiseCoding: true, progressive: false })
      .toBuffer();
    page = withJfifDensity(jpeg, f.dpi);
    format = 'image/jpeg';
    thumbSource = sharp(spoolPath, { sequentialRead: true, limitInputPixels: false });
  }
  const thumb = await makeThumbnail(thumbSource, out.thumbMaxPx);
  await writeFile(out.file, page, { mode: 0o600 });
  await writeFile(out.thumbFile, thumb.data, { mode: 0o600 });
  const skewDeg = await skewOfImage(thumb.data);
  return { file: out.file, thumbFile: out.thumbFile, format, width: f.width, height: lines, thumbWidth: thumb.width, thumbHeight: thumb.height, skewDeg };
}

/** The skew of an (already small) image: its grey pixels through estimateSkew; null if it cannot be read. */
export async function skewOfImage(image: Buffer): Promise<number | null> {
  try {
    const { data, info } = await sharp(image).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    return info.channels === 1 ? estimateSkew(new Uint8Array(data.buffer, data.byteOffset, data.length), info.width, info.height) : null;
  } catch {
    return null;
  }
}

export async function makeThumbnail(src: Sharp, maxPx: number): Promise<{ data: Buffer; width: number; height: number }> {
  const r = await src
    .resize({ width: maxPx, height: maxPx, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: THUMB_QUALITY })
    .toBuffer({ resolveWithObject: true });
  return { data: r.data, width: r.info.width, height: r.info.height };
}
