import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleDocumentPdf, type DocumentPdfInput } from '../../../src-main/papers/index.js';
import { makeBitonalPng, makeJpeg } from '../../support/docs-fixtures.js';
import { DOCUMENT_META as meta } from '../../support/docs-samples.js';
import { pdfInfo, qpdfCheck, tool } from '../../support/pdf-tools.js';
import { rejectionOf } from '../../support/app-error.js';

let dir: string;
let gray300: Buffer;
let colour150: Buffer;
let lineArt: Buffer;
let lineArtPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qab-docs-'));
  gray300 = await makeJpeg({ width: 2480, height: 3508, dpi: 300, seed: 1 });
  colour150 = await makeJpeg({ width: 1240, height: 1754, dpi: 150, color: true, seed: 2 });
  lineArt = makeBitonalPng({ width: 2480, height: 3508, dpi: 300, seed: 3 });
  lineArtPath = join(dir, 'line-art.png');
  await writeFile(lineArtPath, lineArt);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const errorCode = async (p: Promise<unknown>): Promise<string> => (await rejectionOf(p)).code;

describe('one PDF per document slot', () => {
  let pdfPath: string;

  beforeAll(async () => {
    const input: DocumentPdfInput = {
      ...meta,
      pages: [
        { source: gray300 },
        { source: colour150, rotation: 90 },
        { source: gray300, deleted: true },
        { source: { path: lineArtPath }, rotation: 180 },
      ],
    };
    pdfPath = join(dir, 'doc.pdf');
    await writeFile(pdfPath, await assembleDocumentPdf(input));
  });

  it('passes qpdf --check', async () => {
    expect(await qpdfCheck(pdfPath)).toContain('No syntax or stream encoding errors');
  });

  it('embeds the scanner JPEG bytes unchanged, gray and colour', async () => {
    const out = join(dir, 'extract');
    await tool('pdfimages', ['-all', pdfPath, out]);
    const files = (await readdir(dir)).filter((f) => f.startsWith('extract-')).sort();
    expect(files).toEqual(['extract-000.jpg', 'extract-001.jpg', 'extract-002.png']);
    expect(Buffer.compare(await readFile(join(dir, 'extract-000.jpg')), gray300)).toBe(0);
    expect(Buffer.compare(await readFile(join(dir, 'extract-001.jpg')), colour150)).toBe(0);
  });

  it('keeps line art at 1 bit per pixel, losslessly', async () => {
    const list = await tool('pdfimages', ['-list', pdfPath]);
    const rows = list.split('\n').filter((l) => /^\s+\d+\s+\d+\s+image/.test(l));
    expect(rows).toHaveLength(3);
    // page 3 (the PNG): gray, 1 component, 1 bit per component
    expect(rows[2]).toMatch(/^\s+3\s+2\s+image\s+2480\s+3508\s+gray\s+1\s+1\s/);
    expect(rows[0]).toMatch(/gray\s+1\s+8\s+jpeg/);
    expect(rows[1]).toMatch(/rgb\s+3\s+8\s+jpeg/);
    // The file is small: the 1-bit page costs its PNG's zlib data, not 8-bit RGB.
    const size = (await readFile(pdfPath)).length;
    expect(size).toBeLessThan(gray300.length + colour150.length + lineArt.length + 64 * 1024);
    // Decoding what the PDF holds gives exactly the pixels we scanned.
    const [fromPdf, original] = await Promise.all([
      sharp(join(dir, 'extract-002.png')).extractChannel(0).raw().toBuffer(),
      sharp(lineArt).extractChannel(0).raw().toBuffer(),
    ]);
    expect(fromPdf.length).toBe(2480 * 3508);
    expect(Buffer.compare(fromPdf, original)).toBe(0);
  });

  it('sizes pages from pixels and dpi, applies order, rotation and deletion', async () => {
    const info = await pdfInfo(pdfPath, ['-f', '1', '-l', '3']);
    expect(info).toMatch(/Pages:\s+3\n/);
    expect(info).toMatch(/Page\s+1 size:\s+595\.2 x 841\.92 pts \(A4\)/);
    expect(info).toMatch(/Page\s+1 rot:\s+0\n/);
    expect(info).toMatch(/Page\s+2 size:\s+595\.2 x 841\.92 pts \(A4\)/); // 1240 px at 150 dpi
    expect(info).toMatch(/Page\s+2 rot:\s+90\n/);
    expect(info).toMatch(/Page\s+3 rot:\s+180\n/);
  });

  it('writes the metadata in the info dictionary and in XMP (PDF/A-2b identification)', async () => {
    const info = await pdfInfo(pdfPath);
    expect(info).toMatch(/Title:\s+Заңды тұлғаның жарғысы/);
    expect(info).toMatch(/Author:\s+Омаров Ерлан Серікұлы/);
    expect(info).toMatch(/CreationDate:\s+Wed Mar 18 05:42:00 2026 UTC/);
    const custom = await pdfInfo(pdfPath, ['-custom']);
    expect(custom).toMatch(/RequestNumber:\s+ALM-01-2026-000123/);
    expect(custom).toMatch(/DocumentType:\s+charter_copy/);
    const xmp = await pdfInfo(pdfPath, ['-meta']);
    expect(xmp).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(xmp).toContain('<rdf:li xml:lang="x-default">Заңды тұлғаның жарғысы</rdf:li>');
    expect(xmp).toContain('<xmp:CreateDate>2026-03-18T10:42:00+05:00</xmp:CreateDate>');
    expect(xmp).toContain('<qab:requestNumber>ALM-01-2026-000123</qab:requestNumber>');
    expect(xmp).toContain('<qab:operator>Омаров Ерлан Серікұлы</qab:operator>');
    const raw = (await readFile(pdfPath)).toString('latin1');
    expect(raw).toMatch(/\/OutputIntents \[ \d+ 0 R \]/);
    expect(raw).toContain('/S /GTS_PDFA1');
    expect(raw).toMatch(/\/ID \[ <[0-9a-f]{32}> <[0-9a-f]{32}> \]/);
    expect(raw.slice(0, 14)).toBe('%PDF-1.7\n%\x81\x81\x81\x81');
  });

  it('refuses bad pages with a typed error', async () => {
    expect(await errorCode(assembleDocumentPdf({ ...meta, pages: [{ source: gray300, deleted: true }] }))).toBe('DOCS_NO_PAGES');
    expect(await errorCode(assembleDocumentPdf({ ...meta, pages: [{ source: Buffer.from('not an image') }] }))).toBe('DOCS_PAGE_UNSUPPORTED');
    const noDpi = Buffer.from(gray300);
    noDpi[13] = 0; // JFIF density units: none
    expect(await errorCode(assembleDocumentPdf({ ...meta, pages: [{ source: noDpi }] }))).toBe('DOCS_PAGE_DPI_UNKNOWN');
    const withDpi = await assembleDocumentPdf({ ...meta, pages: [{ source: noDpi, dpi: 300 }] });
    expect(withDpi.length).toBeGreaterThan(noDpi.length);
    expect(await errorCode(assembleDocumentPdf({ ...meta, pages: [{ source: gray300.subarray(0, 40) }] }))).toBe('DOCS_PAGE_CORRUPT');
    expect(await errorCode(assembleDocumentPdf({ ...meta, pages: [{ source: { path: join(dir, 'missing.jpg') } }] }))).toBe('DOCS_PAGE_UNREADABLE');
    expect(await errorCode(assembleDocumentPdf({ ...meta, pages: [{ source: gray300, rotation: 45 as never }] }))).toBe('DOCS_INVALID_INPUT');
  });
});
