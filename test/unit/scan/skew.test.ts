/**
 * Skew (issue 14): a page fed a few degrees askew is told from a straight one, on generated A4
 * pages (text-like lines, 150 dpi) turned by a known angle; through the estimator and through the
 * scan encoder (the measure that is stored with the page).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeSpool, vipsHeader } from '../../../src-main/scan/page-encoder.js';
import { estimateSkew, SKEW_MARK_DEG } from '../../../src-main/scan/skew.js';

/** A 1240 x 1754 page of 30 dark "text lines" turned by `deg` (clockwise on screen). */
function pageSvg(deg: number): Buffer {
  const lines = Array.from({ length: 30 }, (_, i) => `<rect x="${120 + (i % 3) * 40}" y="${160 + i * 45}" width="${900 - (i % 5) * 80}" height="14" fill="#222"/>`).join('');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1754"><rect width="1240" height="1754" fill="#fff"/><g transform="rotate(${deg} 620 877)">${lines}</g></svg>`,
  );
}

async function grey(img: Buffer, width: number): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(img).resize({ width }).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

describe('skew', () => {
  it('measures a turned page within half a degree, with its direction, and a straight one as straight', async () => {
    for (const deg of [0, 1, -2, 3, -4, 5]) {
      const g = await grey(pageSvg(deg), 320);
      const found = estimateSkew(g.data, g.width, g.height);
      expect(found, `turned ${deg}°`).not.toBeNull();
      expect(Math.abs(found! - deg), `turned ${deg}°, measured ${found}°`).toBeLessThanOrEqual(0.5);
    }
    expect(SKEW_MARK_DEG).toBeGreaterThan(0.5);
  });

  it('says nothing about a page with no ink', async () => {
    const g = await grey(await sharp({ create: { width: 1240, height: 1754, channels: 3, background: '#fff' } }).png().toBuffer(), 320);
    expect(estimateSkew(g.data, g.width, g.height)).toBeNull();
  });

  it('the scan encoder stores the measure with the page: 4° askew vs straight', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qab-skew-'));
    const measured: (number | null)[] = [];
    for (const deg of [0, 4]) {
      // The spool as the scan worker writes it: a vips header, then grey lines.
      const { data, info } = await sharp(pageSvg(deg)).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
      const spool = join(dir, `p${deg}.v`);
      writeFileSync(spool, Buffer.concat([vipsHeader(info.width, info.height, 1, 150), data]));
      const enc = await encodeSpool(spool, { mode: 'gray', width: info.width, lines: info.height, bytesPerLine: info.width, channels: 1, depth: 8, dpi: 150 }, info.height, {
        file: join(dir, `p${deg}.jpg`),
        thumbFile: join(dir, `p${deg}.thumb.jpg`),
        thumbMaxPx: 320,
      });
      measured.push(enc.skewDeg);
    }
    expect(measured[0]).toBe(0);
    expect(measured[1]).toBeGreaterThanOrEqual(3.5);
    expect(measured[1]).toBeLessThanOrEqual(4.5);
  });
});
