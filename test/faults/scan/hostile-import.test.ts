import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jpegFile, pdfFile, pngBomb, syntheticTiff, syntheticTiffPages } from '../../support/scan/files.js';
import { importHarness, type ImportHarness } from '../../support/scan/import-harness.js';

let h: ImportHarness;
beforeEach(async () => {
  h = await importHarness({ limits: { maxFileBytes: 4 * 1024 * 1024, maxPages: 50 } });
});
afterEach(async () => {
  // A rejected file leaves nothing behind: no stored file, no recorded page.
  expect(await h.store.list()).toEqual([]);
  expect((h.recorder.db.prepare('SELECT COUNT(*) AS n FROM pages').get() as { n: number }).n).toBe(0);
  await h.dispose();
});

async function rejects(name: string, data: Buffer, code: string, params?: Record<string, unknown>): Promise<void> {
  const path = await h.file(name, data);
  const err = await h.importer.importFile(path).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ name: 'AppError', code, ...(params ? { params } : {}) });
}

describe('hostile files are rejected with a clear typed error', () => {
  it('zero bytes', async () => {
    await rejects('empty.jpg', Buffer.alloc(0), 'SCAN_IMPORT_EMPTY');
  });

  it('random bytes with an image name', async () => {
    await rejects('photo.jpg', randomBytes(4096), 'SCAN_IMPORT_UNSUPPORTED');
  });

  it('an executable renamed .png (wrong extension)', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), randomBytes(2000)]);
    await rejects('scan.png', elf, 'SCAN_IMPORT_UNSUPPORTED');
  });

  it('an over-size file, before reading it', async () => {
    await rejects('big.jpg', Buffer.alloc(5 * 1024 * 1024, 0xff), 'SCAN_IMPORT_TOO_LARGE', { maxMb: 4 });
  });

  it('a truncated JPEG', async () => {
    const full = await jpegFile({ width: 1200, height: 1600, color: true });
    await rejects('cut.jpg', full.subarray(0, Math.floor(full.length / 2)), 'SCAN_IMPORT_CORRUPT');
  });

  it('a PNG bomb: huge dimensions in a tiny file', async () => {
    const bomb = pngBomb(100_000, 100_000);
    expect(bomb.length).toBeLessThan(10_000);
    await rejects('bomb.png', bomb, 'SCAN_IMPORT_TOO_MANY_PIXELS', { width: 100_000, height: 100_000, maxMegapixels: 60 });
  });

  it('a JPEG whose header claims 65535 x 65535 pixels', async () => {
    const jpeg = await jpegFile({ width: 64, height: 64 });
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.writeUInt16BE(65535, sof + 5);
    jpeg.writeUInt16BE(65535, sof + 7);
    await rejects('huge.jpg', jpeg, 'SCAN_IMPORT_TOO_MANY_PIXELS');
  });

  it('a TIFF with thousands of pages', async () => {
    await rejects('many.tif', syntheticTiff(3000, 10, 10), 'SCAN_IMPORT_TOO_MANY_PAGES', { pages: 3000, maxPages: 50 });
  });

  it('a TIFF with huge dimensions', async () => {
    await rejects('wide.tif', syntheticTiff(1, 200_000, 200_000), 'SCAN_IMPORT_TOO_MANY_PIXELS');
  });

  it('a multi-page TIFF whose later page is a bomb is rejected before any page is stored', async () => {
    const tiff = syntheticTiffPages([
      [100, 100],
      [100_000, 1_000],
      [100, 100],
    ]);
    await rejects('mixed.tif', tiff, 'SCAN_IMPORT_TOO_MANY_PIXELS', { width: 100_000, height: 1_000, maxMegapixels: 60 });
  });

  it('a PDF with an absurd page count', async () => {
    await rejects('many.pdf', pdfFile(5000), 'SCAN_IMPORT_TOO_MANY_PAGES', { pages: 5000, maxPages: 50 });
  });

  it('a PDF with an absurd page size (200 x 200 inches)', async () => {
    await rejects('huge.pdf', pdfFile(1, 14400, 14400), 'SCAN_IMPORT_PAGE_TOO_LARGE', { widthMm: 5080, heightMm: 5080 });
  });

  it('a PDF that is only a header', async () => {
    await rejects('broken.pdf', Buffer.from('%PDF-1.7\n%garbage\n' + 'x'.repeat(200)), 'SCAN_IMPORT_CORRUPT');
  });

  it('a file that does not exist', async () => {
    const err = await h.importer.importFile(`${h.dir}/nope.jpg`).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SCAN_IMPORT_NOT_FOUND' });
  });
});
