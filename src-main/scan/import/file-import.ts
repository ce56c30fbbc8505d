/**
 * File import: the fallback when there is no SANE device, and the way to attach documents that
 * arrive as files. JPEG, PNG, multi-page TIFF and PDF; the type is sniffed from the content.
 * Every page is normalised to the scan formats (JPEG with JFIF dpi for gray/colour, 1-bit PNG
 * for bilevel images), without the source's metadata (EXIF may hold GPS and names), stored
 * through ContentStore and recorded before it is returned, like a scanned page.
 *
 * Defences, in order: file size; magic bytes; dimensions from the header before any decoding
 * (PNG IHDR, JPEG SOF, TIFF/PNG/JPEG via libvips' header-only metadata); page count; pixel
 * count per page; libvips' limitInputPixels and failOn 'truncated' while decoding; for PDF,
 * poppler in a child process with a page-count check, page-size check, fixed render dpi, a
 * timeout and a memory limit.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { AppError, isAppError } from '../../contract/errors.js';
import type { ContentStore } from '../../files/content-store.js';
import type { Logger } from '../../host/logger-types.js';
import { encodeLineArtPng, JPEG_QUALITY, makeThumbnail, skewOfImage, withJfifDensity } from '../page-encoder.js';
import type { ColorMode, PageFormat, ScannedPage } from '../types.js';
import { findPdfTools, pdfInfo, renderPdfPage, type PdfTools, type RunLimits } from './pdf.js';
import { jpegDimensions, pngDimensions, readHead, sniff, type ImportFileType } from './sniff.js';

export interface ImportLimits {
  maxFileBytes: number;
  /** Pixels per page (width x height). */
  maxPixels: number;
  maxPages: number;
  /** Largest page side accepted from a PDF, in millimetres (A0 is 1189). */
  maxPdfPageMm: number;
  /** PDF render resolution; lowered (not below pdfMinDpi) for large pages to stay under maxPixels. */
  pdfDpi: number;
  pdfMinDpi: number;
  timeoutMs: number;
  pdfMemoryMb: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxPixels: 60_000_000,
  maxPages: 200,
  maxPdfPageMm: 1200,
  pdfDpi: 300,
  pdfMinDpi: 100,
  timeoutMs: 60_000,
  pdfMemoryMb: 1024,
};

export interface FileImporterOptions {
  store: ContentStore;
  recordPage: (page: ScannedPage) => Promise<void>;
  logger: Logger;
  now: () => Date;
  limits?: Partial<ImportLimits>;
  /** poppler's tools; undefined = look on PATH, null = PDF import unavailable. */
  pdfTools?: PdfTools | null;
  thumbnailMaxPx?: number;
}

interface DecodedPage {
  data: Buffer;
  format: PageFormat;
  width: number;
  height: number;
  dpi: number;
  mode: ColorMode;
  thumb: { data: Buffer; width: number; height: number };
}

export class FileImporter {
  readonly limits: ImportLimits;
  private readonly pdfTools: PdfTools | null;

  constructor(private readonly o: FileImporterOptions) {
    this.limits = { ...DEFAULT_IMPORT_LIMITS, ...o.limits };
    this.pdfTools = o.pdfTools === undefined ? findPdfTools() : o.pdfTools;
  }

  /** The formats this machine can import (no 'pdf' without poppler). */
  formats(): ImportFileType[] {
    return this.pdfTools ? ['jpeg', 'png', 'tiff', 'pdf'] : ['jpeg', 'png', 'tiff'];
  }

  /**
   * Imports every page of a file; resolves with the pages once all are stored and recorded.
   * Validation happens before anything is stored: a rejected file leaves nothing behind.
   */
  async importFile(path: string, opts: { jobId?: string } = {}): Promise<ScannedPage[]> {
    const type = await this.check(path);
    const jobId = opts.jobId ?? randomUUID();
    const decoded = type === 'pdf' ? await this.pdfPages(path) : await this.rasterPages(path);
    const pages: ScannedPage[] = [];
    for (const [i, d] of decoded.entries()) {
      const stored = await this.o.store.put(d.data);
      const thumb = await this.o.store.put(d.thumb.data);
      const page: ScannedPage = {
        id: randomUUID(),
        jobId,
        index: i + 1,
        sha256: stored.sha256,
        size: stored.size,
        format: d.format,
        width: d.width,
        height: d.height,
        dpi: d.dpi,
        mode: d.mode,
        thumbnail: { sha256: thumb.sha256, size: thumb.size, width: d.thumb.width, height: d.thumb.height },
        skewDeg: await skewOfImage(d.thumb.data),
        source: 'import',
        deviceId: null,
        createdAt: this.o.now().toISOString(),
        imported: { pageOfFile: i + 1, fileType: type },
      };
      await this.o.recordPage(page);
      pages.push(page);
    }
    this.o.logger.info({ jobId, type, pages: pages.length }, 'file imported');
    return pages;
  }

  /** Size and type checks; returns the sniffed type. */
  async check(path: string): Promise<ImportFileType> {
    let size: number;
    try {
      const s = await stat(path);
      if (!s.isFile()) throw new AppError('SCAN_IMPORT_NOT_FOUND');
      size = s.size;
    } catch (e) {
      if (isAppError(e)) throw e;
      throw new AppError('SCAN_IMPORT_NOT_FOUND', {}, { cause: e });
    }
    if (size === 0) throw new AppError('SCAN_IMPORT_EMPTY');
    if (size > this.limits.maxFileBytes) throw new AppError('SCAN_IMPORT_TOO_LARGE', { maxMb: Math.round(this.limits.maxFileBytes / 1048576) });
    const head = await readHead(path, 64 * 1024);
    const type = sniff(head);
    if (!type) throw new AppError('SCAN_IMPORT_UNSUPPORTED');
    // Dimensions straight from the header, before libvips sees the file.
    const dims = type === 'png' ? pngDimensions(head) : type === 'jpeg' ? jpegDimensions(head) : null;
    if (type === 'png' && !dims) throw new AppError('SCAN_IMPORT_CORRUPT');
    if (dims) this.checkPixels(dims.width, dims.height);
    if (type === 'pdf' && !this.pdfTools) throw new AppError('SCAN_IMPORT_PDF_UNAVAILABLE');
    return type;
  }

  private checkPixels(width: number, height: number): void {
    if (width <= 0 || height <= 0) throw new AppError('SCAN_IMPORT_CORRUPT');
    if (width * height > this.limits.maxPixels) {
      throw new AppError('SCAN_IMPORT_TOO_MANY_PIXELS', { width, height, maxMegapixels: Math.round(this.limits.maxPixels / 1e6) });
    }
  }

  private sharpOf(input: string | Buffer, page = 0): Sharp {
    return sharp(input, { page, limitInputPixels: this.limits.maxPixels, failOn: 'truncated', sequentialRead: true });
  }

  /** Header-only read (no pixel decoding), so the pixel check can name the dimensions. */
  private headerOf(input: string | Buffer, page = 0): Promise<Metadata> {
    return sharp(input, { page, limitInputPixels: false, failOn: 'truncated' }).metadata();
  }

  private async rasterPages(path: string): Promise<DecodedPage[]> {
    let meta: Metadata;
    try {
      meta = await this.headerOf(path);
    } catch (e) {
      throw this.decodeError(e);
    }
    const pages = meta.pages ?? 1;
    if (pages > this.limits.maxPages) throw new AppError('SCAN_IMPORT_TOO_MANY_PAGES', { pages, maxPages: this.limits.maxPages });
    // Every page's header first: reject the file before decoding any page.
    const metas: Metadata[] = [];
    for (let p = 0; p < pages; p++) {
      let m: Metadata;
      try {
        m = p === 0 ? meta : await this.headerOf(path, p);
      } catch (e) {
        throw this.decodeError(e);
      }
      this.checkPixels(m.width ?? 0, m.height ?? 0);
      metas.push(m);
    }
    const out: DecodedPage[] = [];
    for (const [p, m] of metas.entries()) {
      try {
        out.push(await this.normalise(this.sharpOf(path, p), m));
      } catch (e) {
        throw this.decodeError(e);
      }
    }
    return out;
  }

  private async pdfPages(path: string): Promise<DecodedPage[]> {
    const tools = this.pdfTools!;
    const lim: RunLimits = { timeoutMs: this.limits.timeoutMs, memoryMb: this.limits.pdfMemoryMb, maxOutput: 4 * 1024 * 1024 };
    const info = await pdfInfo(tools, path, this.limits.maxPages, lim);
    if (info.pages > this.limits.maxPages) throw new AppError('SCAN_IMPORT_TOO_MANY_PAGES', { pages: info.pages, maxPages: this.limits.maxPages });
    const plan: { page: number; dpi: number }[] = [];
    for (let i = 0; i < info.pages; i++) {
      const s = info.sizes[i];
      if (!s) throw new AppError('SCAN_IMPORT_CORRUPT', {}, { detail: `no size for page ${i + 1}` });
      const wMm = (s.widthPt / 72) * 25.4;
      const hMm = (s.heightPt / 72) * 25.4;
      if (Math.max(wMm, hMm) > this.limits.maxPdfPageMm || wMm <= 0 || hMm <= 0) {
        throw new AppError('SCAN_IMPORT_PAGE_TOO_LARGE', { widthMm: Math.round(wMm), heightMm: Math.round(hMm) });
      }
      // Lower the dpi for large pages so the raster stays under maxPixels.
      const fit = Math.sqrt(this.limits.maxPixels / ((s.widthPt / 72) * (s.heightPt / 72)));
      const dpi = Math.floor(Math.min(this.limits.pdfDpi, fit));
      if (dpi < this.limits.pdfMinDpi) throw new AppError('SCAN_IMPORT_PAGE_TOO_LARGE', { widthMm: Math.round(wMm), heightMm: Math.round(hMm) });
      plan.push({ page: i + 1, dpi });
    }
    const tmp = await mkdtemp(join(tmpdir(), 'qab-pdf-'));
    try {
      const out: DecodedPage[] = [];
      for (const { page, dpi } of plan) {
        const png = await renderPdfPage(tools, path, page, dpi, join(tmp, `p${page}`), lim);
        const bytes = await readFile(png);
        await rm(png, { force: true });
        const m = await this.headerOf(bytes);
        const img = this.sharpOf(bytes);
        this.checkPixels(m.width ?? 0, m.height ?? 0);
        out.push(await this.normalise(img, { ...m, density: dpi }));
      }
      return out;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /** One decoded page → our page format (metadata dropped, orientation applied). */
  private async normalise(img: Sharp, m: Metadata): Promise<DecodedPage> {
    const oriented = img.rotate().flatten({ background: '#ffffff' });
    const raw = await oriented.clone().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const { width, height, channels } = raw.info;
    const dpi = plausibleDpi(m.density, width, height);
    const kind = classify(raw.data, channels, m);
    let data: Buffer;
    let format: PageFormat;
    if (kind === 'lineart') {
      data = await encodeLineArtPng(packBits(raw.data, width, height, channels), width, height, dpi);
      format = 'image/png';
    } else {
      const base = sharp(raw.data, { raw: { width, height, channels } });
      const jpeg = await (kind === 'gray' ? base.toColourspace('b-w') : base).jpeg({ quality: JPEG_QUALITY, optimiseCoding: true }).toBuffer();
      data = withJfifDensity(jpeg, dpi);
      format = 'image/jpeg';
    }
    const thumb = await makeThumbnail(sharp(data), this.o.thumbnailMaxPx ?? 320);
    return { data, format, width, height, dpi, mode: kind, thumb };
  }

  private decodeError(e: unknown): AppError {
    if (isAppError(e)) return e;
    const msg = e instanceof Error ? e.message : String(e);
    if (/pixel limit|exceeds/i.test(msg)) return new AppError('SCAN_IMPORT_TOO_MANY_PIXELS', { width: 0, height: 0, maxMegapixels: Math.round(this.limits.maxPixels / 1e6) }, { detail: msg });
    if (/unsupported image format/i.test(msg)) return new AppError('SCAN_IMPORT_UNSUPPORTED', {}, { detail: msg });
    return new AppError('SCAN_IMPORT_CORRUPT', {}, { detail: msg.slice(0, 200) });
  }
}

/** A dpi that gives the page a plausible physical size; else fit the long side to A4's 297 mm. */
export function plausibleDpi(density: number | undefined, width: number, height: number): number {
  const long = Math.max(width, height);
  if (density && density >= 50 && density <= 2400) {
    const longMm = (long / density) * 25.4;
    if (longMm >= 40 && longMm <= 432) return Math.round(density);
  }
  return Math.max(50, Math.round(long / (297 / 25.4)));
}

/** lineart when every pixel is black or white; gray when every pixel has r = g = b. */
function classify(px: Buffer, channels: number, m: Metadata): ColorMode {
  const bilevelSource = m.depth === 'uchar' && m.bitsPerSample === 1;
  let gray = true;
  let bilevel = true;
  for (let i = 0; i + 2 < px.length; i += channels) {
    const r = px[i]!;
    const g = px[i + 1]!;
    const b = px[i + 2]!;
    if (gray && (Math.abs(r - g) > 2 || Math.abs(g - b) > 2)) gray = false;
    if (bilevel && ((r !== 0 && r !== 255) || g !== r || b !== r)) bilevel = false;
    if (!gray && !bilevel) break;
  }
  if (bilevel && (bilevelSource || m.channels === 1 || m.space === 'b-w' || gray)) return 'lineart';
  return gray ? 'gray' : 'color';
}

/** Packs bilevel pixels to SANE-style 1-bit rows (1 = black). */
function packBits(px: Buffer, width: number, height: number, channels: number): Buffer {
  const rowBytes = Math.ceil(width / 8);
  const out = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (px[(y * width + x) * channels]! < 128) {
        const i = y * rowBytes + (x >> 3);
        out[i] = out[i]! | (0x80 >> (x & 7));
      }
    }
  }
  return out;
}
