/**
 * PDF bench: assemble 100 JPEG pages at 300 dpi with our writer and with img2pdf (the
 * reference for lossless JPEG-to-PDF), on the same files in the same run, and compare time and
 * size. Then the p50 time to render an acceptance receipt.
 *
 *   npx tsx bench/pdf/run.ts            (targets: time ratio <= 1.5, size within 2 %)
 *
 * Needs img2pdf (apt: img2pdf). Pages are generated once with sharp into the OS temp folder:
 * 10 distinct A4 pages at 300 dpi (gray and colour), written as 100 files.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { renderReceipt, writeDocumentPdf } from '../../src-main/papers/index.js';
import { makeJpeg } from '../../test/support/docs-fixtures.js';
import { sampleReceipt } from '../../test/support/docs-samples.js';

const run = promisify(execFile);
const PAGES = 100;
const ROUNDS = 5;
const dir = join(tmpdir(), 'qabyldau-bench-pdf');

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

async function fixtures(): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths = Array.from({ length: PAGES }, (_, i) => join(dir, `page-${String(i).padStart(3, '0')}.jpg`));
  if (await exists(paths[PAGES - 1]!)) return paths;
  console.log(`generating ${PAGES} pages in ${dir} …`);
  for (let i = 0; i < 10; i++) {
    const jpeg = await makeJpeg({ width: 2480, height: 3508, dpi: 300, color: i % 5 === 4, seed: 1000 + i, quality: 75 });
    await writeFile(paths[i]!, jpeg);
  }
  for (let i = 10; i < PAGES; i++) await copyFile(paths[i % 10]!, paths[i]!);
  return paths;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const paths = await fixtures();
let inputBytes = 0;
for (const p of paths) inputBytes += (await stat(p)).size;

const oursOut = join(dir, 'ours.pdf');
const refOut = join(dir, 'img2pdf.pdf');
const oursMs: number[] = [];
const refMs: number[] = [];
let oursSize = 0;
for (let r = 0; r < ROUNDS; r++) {
  let t = performance.now();
  const res = await writeDocumentPdf(
    {
      title: 'bench',
      requestNumber: 'BENCH-1',
      documentType: 'bench',
      operator: 'bench',
      createdAt: new Date('2026-01-05T04:00:00Z'),
      pages: paths.map((path) => ({ source: { path } })),
    },
    oursOut,
  );
  oursMs.push(performance.now() - t);
  oursSize = res.size;
  t = performance.now();
  await run('img2pdf', ['-o', refOut, ...paths]);
  refMs.push(performance.now() - t);
}
const refSize = (await stat(refOut)).size;

const receiptMs: number[] = [];
for (let i = 0; i < 60; i++) {
  const t = performance.now();
  await renderReceipt(sampleReceipt(i % 2 ? 'ru' : 'kk'));
  if (i >= 10) receiptMs.push(performance.now() - t); // after warm-up
}

const timeRatio = median(oursMs) / median(refMs);
const sizeDiff = (oursSize - refSize) / refSize;
console.log(`pages: ${PAGES} JPEG at 300 dpi, ${(inputBytes / 1e6).toFixed(1)} MB of JPEG`);
console.log(`ours     : p50 ${median(oursMs).toFixed(0)} ms, ${oursSize} bytes`);
console.log(`img2pdf  : p50 ${median(refMs).toFixed(0)} ms, ${refSize} bytes (process start included)`);
console.log(`time ratio ours/img2pdf: ${timeRatio.toFixed(2)} (target <= 1.5) ${timeRatio <= 1.5 ? 'OK' : 'MISSED'}`);
console.log(`size difference: ${(sizeDiff * 100).toFixed(3)} % (target within 2 %) ${Math.abs(sizeDiff) <= 0.02 ? 'OK' : 'MISSED'}`);
console.log(`receipt: p50 ${median(receiptMs).toFixed(1)} ms per receipt (${receiptMs.length} runs, kk and ru)`);
