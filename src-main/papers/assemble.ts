/**
 * One PDF per document slot, from the scanner's pages.
 *
 * - JPEG pages (gray and colour) go in as they are: the stream is the scanner's bytes with the
 *   DCTDecode filter, never decoded or re-encoded.
 * - PNG pages (line art is 1-bit gray) go in losslessly and, where PDF allows, without being
 *   decoded either: a PNG's IDAT data is a zlib stream of PNG-filtered rows, which is exactly
 *   what FlateDecode with /Predictor 15 reads. A 1-bit page therefore stays 1 bit per pixel
 *   (pdf-lib's embedPng would expand it to 8-bit RGB). PNGs with transparency or interlacing
 *   fall back to pdf-lib's embedPng, which is lossless too.
 * - Page size is pixels / dpi: the dpi comes from the JFIF or pHYs header, or from the caller.
 * - Order is the order of `pages`; deleted pages are left out; rotation is the page's /Rotate,
 *   so the image itself is untouched.
 */
import { readFile } from 'node:fs/promises';
import {
  type PDFDocument,
  type PDFRef,
  PDFHexString,
  PDFName,
  PDFRawStream,
  concatTransformationMatrix,
  degrees,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';
import { AppError } from '../contract/errors.js';
import { type ContentKeysWire, keysFromWire, openBytes } from '../crypto/content-cipher.js';
import type { Logger } from '../host/logger-types.js';
import { silentLogger } from '../host/logger-types.js';
import { loadAssets } from './assets.js';
import { type ImageInfo, type PngInfo, parseImage, pngIdat, roundDpi } from './images.js';
import { DeferredStreams, pdfToBytes, pdfToFile, pdfToReadable } from './pdf-output.js';
import { type PdfMetadata, createPdfA } from './pdfa.js';

export type Rotation = 0 | 90 | 180 | 270;

/**
 * Page bytes in memory, or a file (read when the PDF is written, so memory stays flat); a stored
 * file is encrypted and comes with the keys to read it (ContentStore.fileSource).
 */
export type PageSource = Uint8Array | { path: string; keys?: ContentKeysWire };

async function readSource(source: { path: string; keys?: ContentKeysWire }): Promise<Buffer> {
  const raw = await readFile(source.path);
  return source.keys ? openBytes(raw, keysFromWire(source.keys)) : raw;
}

export interface ScanPage {
  source: PageSource;
  /** Clockwise, as the operator turned it on screen. */
  rotation?: Rotation;
  /** A page the operator deleted: left out of the PDF. */
  deleted?: boolean;
  /** Overrides the resolution in the image header. */
  dpi?: number;
}

export interface DocumentPdfInput extends Omit<PdfMetadata, 'subject'> {
  pages: ScanPage[];
}

export interface AssembleOptions {
  assetsDir?: string;
  log?: Logger;
}

export interface BuiltPdf {
  doc: PDFDocument;
  deferred: DeferredStreams;
  pageCount: number;
}

const ROTATIONS = new Set([0, 90, 180, 270]);

export async function buildDocumentPdf(input: DocumentPdfInput, opts: AssembleOptions = {}): Promise<BuiltPdf> {
  const log = opts.log ?? silentLogger;
  const kept = input.pages.filter((p) => !p.deleted);
  if (kept.length === 0) throw new AppError('DOCS_NO_PAGES');
  const assets = await loadAssets(opts.assetsDir);
  const doc = await createPdfA({ ...input, subject: input.title }, assets);
  const deferred = new DeferredStreams();
  let index = 0;
  for (const page of kept) {
    index++;
    const rotation = page.rotation ?? 0;
    if (!ROTATIONS.has(rotation)) throw new AppError('DOCS_INVALID_INPUT', { field: `pages.${index - 1}.rotation` });
    const path = page.source instanceof Uint8Array ? null : page.source;
    const bytes = page.source instanceof Uint8Array ? page.source : await readPage(path!, index);
    const info = parseImage(bytes);
    const dpiX = page.dpi ?? (info.dpiX !== null ? roundDpi(info.dpiX) : null);
    const dpiY = page.dpi ?? (info.dpiY !== null ? roundDpi(info.dpiY) : null);
    if (!dpiX || !dpiY || dpiX < 50 || dpiY < 50 || dpiX > 2400 || dpiY > 2400) {
      throw new AppError('DOCS_PAGE_DPI_UNKNOWN', { page: index });
    }
    const ref = await embedPage(doc, deferred, info, bytes, path);
    const w = (info.width * 72) / dpiX;
    const h = (info.height * 72) / dpiY;
    const pdfPage = doc.addPage([w, h]);
    const name = pdfPage.node.newXObject('Im', ref);
    pdfPage.pushOperators(pushGraphicsState(), concatTransformationMatrix(w, 0, 0, h, 0, 0), drawObject(name), popGraphicsState());
    if (rotation !== 0) pdfPage.setRotation(degrees(rotation));
  }
  log.debug({ pages: kept.length, deleted: input.pages.length - kept.length }, 'document pdf built');
  return { doc, deferred, pageCount: kept.length };
}

async function readPage(source: { path: string; keys?: ContentKeysWire }, page: number): Promise<Uint8Array> {
  try {
    return await readSource(source);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('DOCS_PAGE_UNREADABLE', { page }, { cause: e });
  }
}

async function embedPage(
  doc: PDFDocument,
  deferred: DeferredStreams,
  info: ImageInfo,
  bytes: Uint8Array,
  path: { path: string; keys?: ContentKeysWire } | null,
): Promise<PDFRef> {
  const ctx = doc.context;
  if (info.kind === 'jpeg') {
    const dict = ctx.obj({
      Type: 'XObject',
      Subtype: 'Image',
      Width: info.width,
      Height: info.height,
      ColorSpace: info.components === 1 ? 'DeviceGray' : 'DeviceRGB',
      BitsPerComponent: 8,
      Filter: 'DCTDecode',
    });
    if (path) return deferred.register(doc, dict, bytes.length, () => readSource(path));
    return ctx.register(PDFRawStream.of(dict, bytes));
  }
  if (pngPassThrough(info)) {
    const colors = info.colorType === 2 ? 3 : 1;
    const dict = ctx.obj({
      Type: 'XObject',
      Subtype: 'Image',
      Width: info.width,
      Height: info.height,
      BitsPerComponent: info.bitDepth,
      Filter: 'FlateDecode',
      DecodeParms: { Predictor: 15, Colors: colors, BitsPerComponent: info.bitDepth, Columns: info.width },
    });
    dict.set(PDFName.of('ColorSpace'), pngColorSpace(doc, info));
    if (path) return deferred.register(doc, dict, info.idatLength, async () => pngIdat(await readSource(path), info.idatLength));
    return ctx.register(PDFRawStream.of(dict, pngIdat(bytes, info.idatLength)));
  }
  // Transparency or interlacing: pdf-lib decodes and re-compresses (Flate, lossless); it writes
  // the image when the document is flushed, so these bytes stay in memory until then.
  return (await doc.embedPng(bytes)).ref;
}

function pngPassThrough(info: PngInfo): boolean {
  if (info.interlaced || info.hasTransparency) return false;
  if (info.colorType === 0) return [1, 2, 4, 8].includes(info.bitDepth);
  if (info.colorType === 2) return info.bitDepth === 8;
  if (info.colorType === 3) return info.palette !== null && [1, 2, 4, 8].includes(info.bitDepth);
  return false;
}

function pngColorSpace(doc: PDFDocument, info: PngInfo) {
  if (info.colorType === 0) return PDFName.of('DeviceGray');
  if (info.colorType === 2) return PDFName.of('DeviceRGB');
  const palette = info.palette!;
  const hex = Buffer.from(palette).toString('hex');
  return doc.context.obj([PDFName.of('Indexed'), PDFName.of('DeviceRGB'), palette.length / 3 - 1, PDFHexString.of(hex)]);
}

/** Assembles the PDF in memory. */
export async function assembleDocumentPdf(input: DocumentPdfInput, opts: AssembleOptions = {}): Promise<Uint8Array> {
  const built = await buildDocumentPdf(input, opts);
  return pdfToBytes(built.doc, built.deferred);
}

/** Assembles the PDF into a file, reading page files one at a time. */
export async function writeDocumentPdf(
  input: DocumentPdfInput,
  path: string,
  opts: AssembleOptions = {},
): Promise<{ size: number; pageCount: number }> {
  const built = await buildDocumentPdf(input, opts);
  const size = await pdfToFile(built.doc, path, built.deferred);
  return { size, pageCount: built.pageCount };
}

/** Assembles the PDF as a stream (for ContentStore.putStream). */
export async function streamDocumentPdf(input: DocumentPdfInput, opts: AssembleOptions = {}) {
  const built = await buildDocumentPdf(input, opts);
  return { stream: pdfToReadable(built.doc, built.deferred), pageCount: built.pageCount };
}
