import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../support/app-error.js';
import { parseImage, parsePng, roundDpi } from '../../../src-main/papers/images.js';
import { makeBitonalPng, makeJpeg, withJfifDensity } from '../../support/docs-fixtures.js';

const code = (fn: () => unknown): string => thrownBy(fn).code;

describe('reading scanner page headers without decoding', () => {
  it('JPEG: size, components and the dpi from the JFIF header', async () => {
    const gray = await makeJpeg({ width: 300, height: 200, dpi: 200 });
    expect(parseImage(gray)).toEqual({ kind: 'jpeg', width: 300, height: 200, components: 1, dpiX: 200, dpiY: 200 });
    const colour = await makeJpeg({ width: 64, height: 48, dpi: 300, color: true });
    expect(parseImage(colour)).toMatchObject({ components: 3, dpiX: 300 });
  });

  it('JPEG: density in dots per centimetre is converted; "no unit" means unknown', async () => {
    const j = Buffer.from(await makeJpeg({ width: 32, height: 32, dpi: 300 }));
    j[13] = 2; // units: dots per cm
    j.writeUInt16BE(118, 14);
    j.writeUInt16BE(118, 16);
    expect(roundDpi((parseImage(j) as { dpiX: number }).dpiX)).toBeCloseTo(299.72, 2);
    j[13] = 0;
    expect(parseImage(j)).toMatchObject({ dpiX: null, dpiY: null });
  });

  it('PNG: 1-bit gray line art with its pHYs resolution', () => {
    const png = makeBitonalPng({ width: 100, height: 50, dpi: 300 });
    const info = parsePng(png);
    expect(info).toMatchObject({ width: 100, height: 50, bitDepth: 1, colorType: 0, interlaced: false, hasTransparency: false });
    expect(roundDpi(info.dpiX!)).toBe(300);
    expect(info.idatLength).toBeGreaterThan(0);
  });

  it('refuses what is not a page image, or is cut short', async () => {
    expect(code(() => parseImage(Buffer.from('%PDF-1.7')))).toBe('DOCS_PAGE_UNSUPPORTED');
    const j = await makeJpeg({ width: 32, height: 32, dpi: 300 });
    expect(code(() => parseImage(j.subarray(0, 30)))).toBe('DOCS_PAGE_CORRUPT');
    expect(code(() => parseImage(makeBitonalPng({ width: 8, height: 8, dpi: 300 }).subarray(0, 40)))).toBe('DOCS_PAGE_CORRUPT');
    const noJfif = withJfifDensity(j, 300);
    expect(parseImage(noJfif)).toMatchObject({ dpiX: 300 });
  });
});
