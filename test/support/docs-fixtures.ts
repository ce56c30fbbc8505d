/**
 * Scanner-like page fixtures for the docs tests and the PDF bench: JPEG pages (gray or colour,
 * the dpi in the JFIF header) made with sharp, and 1-bit gray PNG line-art pages written by hand
 * (colour type 0, bit depth 1, with a pHYs chunk), the format our scan service writes.
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** A page-like picture: white paper, dark "text lines" and a frame, some grain. */
function pagePixels(width: number, height: number, channels: 1 | 3, seed: number, grain = true): Buffer {
  const px = Buffer.alloc(width * height * channels);
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const lineH = Math.max(8, Math.round(height / 60));
  for (let y = 0; y < height; y++) {
    const inLine = y % (lineH * 2) < lineH * 0.6 && y > height * 0.08 && y < height * 0.92;
    for (let x = 0; x < width; x++) {
      let v = grain ? 245 + Math.floor(rnd() * 10) : 250;
      const frame = x < 4 || y < 4 || x >= width - 4 || y >= height - 4;
      // "letters": random specks, or (without grain) solid word-like blocks
      const ink = grain ? rnd() < 0.45 : ((x + seed * 37) >> 5) % 5 !== 0;
      if (frame || (inLine && x > width * 0.1 && x < width * 0.9 && ink)) v = grain ? 20 + Math.floor(rnd() * 40) : 30;
      const o = (y * width + x) * channels;
      px[o] = v;
      if (channels === 3) {
        px[o + 1] = Math.min(255, v + 5);
        px[o + 2] = Math.max(0, v - 25);
      }
    }
  }
  return px;
}

export async function makeJpeg(opts: {
  width: number;
  height: number;
  dpi: number;
  color?: boolean;
  seed?: number;
  quality?: number;
  /** Paper grain and noisy ink (large files, like a real scan); off: clean, small files. */
  grain?: boolean;
}): Promise<Buffer> {
  const channels = opts.color ? 3 : 1;
  const raw = pagePixels(opts.width, opts.height, channels, opts.seed ?? 7, opts.grain ?? true);
  let img = sharp(raw, { raw: { width: opts.width, height: opts.height, channels } });
  if (channels === 1) img = img.toColourspace('b-w');
  const jpeg = await img.jpeg({ quality: opts.quality ?? 80, chromaSubsampling: '4:2:0' }).toBuffer();
  return withJfifDensity(jpeg, opts.dpi);
}

/**
 * Puts the resolution into the JFIF APP0 segment, as our scanner driver writes it (sharp writes
 * resolution only into Exif, so its JFIF header is replaced here).
 */
export function withJfifDensity(jpeg: Buffer, dpi: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x01, 0, 0, 0, 0, 0x00, 0x00]);
  app0.writeUInt16BE(dpi, 12);
  app0.writeUInt16BE(dpi, 14);
  let i = 2;
  // drop an existing JFIF APP0, keep every other segment
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) i = 4 + jpeg.readUInt16BE(4);
  return Buffer.concat([jpeg.subarray(0, 2), app0, jpeg.subarray(i)]);
}

function crc32(buf: Uint8Array): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A 1-bit gray PNG (0 = black, 1 = white), the line-art format. */
export function makeBitonalPng(opts: { width: number; height: number; dpi: number; seed?: number }): Buffer {
  const { width, height } = opts;
  const gray = pagePixels(width, height, 1, opts.seed ?? 3);
  const rowBytes = Math.ceil(width / 8);
  const rows = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (rowBytes + 1);
    rows[o] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      if ((gray[y * width + x] ?? 0) >= 128) rows[o + 1 + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // gray
  const phys = Buffer.alloc(9);
  const ppm = Math.round(opts.dpi / 0.0254);
  phys.writeUInt32BE(ppm, 0);
  phys.writeUInt32BE(ppm, 4);
  phys[8] = 1;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('pHYs', phys),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
