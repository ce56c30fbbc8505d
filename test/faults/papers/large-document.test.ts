/**
 * A resource limit, not a feature check (so it runs in `npm test`, not in `npm run test:quick`):
 * a 500-page document (a ~70 MB PDF) is assembled from page files with flat memory, page images
 * read one at a time, and qpdf accepts the result. The document PDF's features are checked in
 * test/integration/papers/assemble.test.ts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDocumentPdf } from '../../../src-main/papers/index.js';
import { makeJpeg } from '../../support/docs-fixtures.js';
import { DOCUMENT_META as meta } from '../../support/docs-samples.js';
import { pdfInfo, qpdfCheck } from '../../support/pdf-tools.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qab-docs-big-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a 500-page document', () => {
  it('assembles from page files with flat memory, and qpdf accepts it', async () => {
    const paths: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = join(dir, `p${i}.jpg`);
      await writeFile(p, await makeJpeg({ width: 2480, height: 3508, dpi: 300, seed: 100 + i, quality: 75, grain: false }));
      paths.push(p);
    }
    const pages = Array.from({ length: 500 }, (_, i) => ({ source: { path: paths[i % 5]! } }));
    const out = join(dir, 'big.pdf');
    global.gc?.();
    const before = process.memoryUsage();
    let peakExternal = 0;
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      peakExternal = Math.max(peakExternal, m.arrayBuffers - before.arrayBuffers);
    }, 5);
    const { size, pageCount } = await writeDocumentPdf({ ...meta, pages }, out);
    clearInterval(timer);
    expect(pageCount).toBe(500);
    expect(await pdfInfo(out)).toMatch(/Pages:\s+500\n/);
    expect(await qpdfCheck(out)).toContain('No syntax or stream encoding errors');
    // Page images are read one at a time: buffers in flight stay below the file size, where
    // building in memory and saving with pdf-lib would hold about twice the file size. The figure
    // includes page buffers the garbage collector has not freed yet, which varies with what else
    // runs (27 MB and 50 MB for this 73 MB file in two CI runs): hence the file size as the bound.
    console.log(`500 pages: ${(size / 1e6).toFixed(1)} MB file, peak buffer growth ${(peakExternal / 1e6).toFixed(1)} MB`);
    expect(peakExternal).toBeLessThan(size);
  }, 300_000); // it bounds memory, not time: a loaded machine may take minutes
});
