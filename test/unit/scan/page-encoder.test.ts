import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeLineArtPng, FrameSpool, jfifDensity, withJfifDensity, type FrameLayout } from '../../../src-main/scan/page-encoder.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qab-enc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('page encoding', () => {
  it('puts the dpi in a JFIF header, replacing one that is there', async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000000' } }).jpeg().toBuffer();
    const once = withJfifDensity(jpeg, 300);
    expect(jfifDensity(once)).toEqual({ units: 1, x: 300, y: 300 });
    const twice = withJfifDensity(once, 200);
    expect(jfifDensity(twice)).toEqual({ units: 1, x: 200, y: 200 });
    expect(twice.length).toBe(once.length);
    expect((await sharp(twice).metadata()).width).toBe(8);
  });

  it('writes 1-bit PNGs losslessly, also for widths that are not a multiple of 8', async () => {
    const width = 13;
    const height = 5;
    const rowBytes = 2;
    const packed = Buffer.alloc(rowBytes * height);
    const black = new Set(['0,0', '12,0', '3,2', '7,4', '8,4']);
    for (const k of black) {
      const [x, y] = k.split(',').map(Number) as [number, number];
      const i = y * rowBytes + (x >> 3);
      packed[i] = packed[i]! | (0x80 >> (x & 7));
    }
    const png = await encodeLineArtPng(packed, width, height, 300);
    const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([width, height]);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) expect(data[y * width + x] === 0, `${x},${y}`).toBe(black.has(`${x},${y}`));
    expect((await sharp(png).metadata()).density).toBe(300);
  });

  it("spools a frame without the device's line padding, even when its height was unknown", async () => {
    // 10 pixels wide, 4 bytes of padding per line, 3 lines, height announced as -1.
    const f: FrameLayout = { mode: 'gray', width: 10, lines: -1, bytesPerLine: 14, channels: 1, depth: 8, dpi: 100 };
    const spool = await FrameSpool.create(join(dir, 'a.v'), f, 0);
    const stream = Buffer.alloc(14 * 3, 0xee);
    for (let y = 0; y < 3; y++) for (let x = 0; x < 10; x++) stream[y * 14 + x] = y * 10 + x;
    // Arbitrary chunk boundaries, as sane_read delivers them.
    for (const [a, b] of [[0, 5], [5, 20], [20, 23], [23, 42]] as const) await spool.write(stream.subarray(a, b));
    expect(await spool.finish()).toBe(3);
    const { data, info } = await sharp(join(dir, 'a.v')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([10, 3]);
    expect([...data]).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect((await readFile(join(dir, 'a.v'))).length).toBe(64 + 30);
  });

  it('measures ink inside the margins only (blank-page detection)', async () => {
    const f: FrameLayout = { mode: 'gray', width: 100, lines: 100, bytesPerLine: 100, channels: 1, depth: 8, dpi: 100 };
    const white = Buffer.alloc(100 * 100, 255);
    // A black frame 3 pixels wide all around: a scanner's shadow, inside a 4 % margin.
    for (let y = 0; y < 100; y++) for (let x = 0; x < 100; x++) if (x < 3 || y < 3 || x > 96 || y > 96) white[y * 100 + x] = 0;
    const spool = await FrameSpool.create(join(dir, 'b.v'), f, 0.04);
    await spool.write(white);
    const lines = await spool.finish();
    expect(spool.ink.ratio(lines)).toBe(0);
    const marked = await FrameSpool.create(join(dir, 'c.v'), f, 0.04);
    const page = Buffer.from(white);
    page.fill(0, 50 * 100 + 10, 50 * 100 + 90); // one line of "text"
    await marked.write(page);
    expect(marked.ink.ratio(await marked.finish())).toBeCloseTo(80 / (92 * 92), 5);
  });
});
