import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jfifDensity } from '../../../src-main/scan/page-encoder.js';
import { jpegFile, lineArtPng, multiPageTiff, pdfFile } from '../../support/scan/files.js';
import { importHarness, type ImportHarness } from '../../support/scan/import-harness.js';

let h: ImportHarness;
beforeEach(async () => {
  h = await importHarness();
});
afterEach(async () => {
  await h.dispose();
});

describe('file import (the fallback without a scanner)', () => {
  it('imports a colour JPEG as a JPEG page with its dpi, stored and recorded', async () => {
    const path = await h.file('passport.jpg', await jpegFile({ width: 1240, height: 1754, dpi: 150, color: true }));
    const [page, ...rest] = await h.importer.importFile(path);
    expect(rest).toEqual([]);
    expect(page).toMatchObject({ format: 'image/jpeg', width: 1240, height: 1754, dpi: 150, mode: 'color', source: 'import', imported: { pageOfFile: 1, fileType: 'jpeg' } });
    const bytes = await h.store.read(page!.sha256);
    expect(jfifDensity(bytes)).toEqual({ units: 1, x: 150, y: 150 });
    expect(await h.store.has(page!.thumbnail.sha256)).toBe(true);
    expect(h.recorder.has(page!.id)).toBe(true);
  });

  it('imports a gray JPEG as a one-channel JPEG and guesses a dpi when the file has none', async () => {
    const path = await h.file('scan.jpeg', await jpegFile({ width: 2480, height: 3508 }));
    const [page] = await h.importer.importFile(path);
    expect(page!.mode).toBe('gray');
    expect((await sharp(await h.store.read(page!.sha256)).metadata()).channels).toBe(1);
    // No density in the file: the long side is fitted to A4 (297 mm) → 300 dpi.
    expect(page!.dpi).toBe(300);
  });

  it('keeps a 1-bit PNG lossless as a 1-bit PNG', async () => {
    const src = await lineArtPng(800, 600, 200);
    const path = await h.file('text.png', src);
    const [page] = await h.importer.importFile(path);
    expect(page).toMatchObject({ format: 'image/png', mode: 'lineart', width: 800, height: 600, dpi: 200 });
    const stored = await h.store.read(page!.sha256);
    expect(stored[24]).toBe(1); // IHDR bit depth
    const a = await sharp(src).raw().toBuffer();
    const b = await sharp(stored).raw().toBuffer();
    expect(b.equals(a)).toBe(true);
  });

  it('imports every page of a multi-page TIFF, in order', async () => {
    const path = await h.file('docs.tif', await multiPageTiff(3));
    const pages = await h.importer.importFile(path);
    expect(pages.map((p) => p.index)).toEqual([1, 2, 3]);
    expect(pages.map((p) => p.imported?.fileType)).toEqual(['tiff', 'tiff', 'tiff']);
    const first = await sharp(await h.store.read(pages[0]!.sha256)).raw().toBuffer();
    expect(first[0]).toBeGreaterThan(200); // page 1 is red
    expect(first[1]).toBeLessThan(60);
    expect(h.recorder.rows(pages[0]!.jobId)).toHaveLength(3);
  });

  it('rasterises a PDF with pdftoppm at 300 dpi', async () => {
    const path = await h.file('application.pdf', pdfFile(2));
    const pages = await h.importer.importFile(path);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toMatchObject({ dpi: 300, imported: { fileType: 'pdf' } });
    // A4 is 595.28 x 841.89 pt: 2480.3 x 3507.9 px at 300 dpi (pdftoppm rounds up).
    expect(Math.abs(pages[0]!.width - 2480)).toBeLessThanOrEqual(1);
    expect(Math.abs(pages[0]!.height - 3508)).toBeLessThanOrEqual(1);
    expect(['gray', 'lineart']).toContain(pages[0]!.mode);
  });

  it('sniffs the type from the content, not the name: a PNG called .pdf is imported as PNG', async () => {
    const path = await h.file('looks-like.pdf', await lineArtPng(64, 64));
    const [page] = await h.importer.importFile(path);
    expect(page!.imported?.fileType).toBe('png');
  });

  it('reports PDF as unavailable where poppler is missing (Windows), images still import', async () => {
    const noPdf = await importHarness({ pdfTools: null });
    try {
      expect(noPdf.importer.formats()).toEqual(['jpeg', 'png', 'tiff']);
      const pdf = await noPdf.file('a.pdf', pdfFile(1));
      await expect(noPdf.importer.importFile(pdf)).rejects.toMatchObject({ code: 'SCAN_IMPORT_PDF_UNAVAILABLE' });
      const png = await noPdf.file('a.png', await lineArtPng(32, 32));
      expect(await noPdf.importer.importFile(png)).toHaveLength(1);
    } finally {
      await noPdf.dispose();
    }
  });
});
