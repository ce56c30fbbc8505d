// Builders for import test files, made at test time (no binary fixtures in the repository):
// good images and PDFs, and hostile ones (bombs, absurd page counts and sizes, truncations).
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { encodeLineArtPng } from '../../../src-main/scan/page-encoder.js';

export async function jpegFile(o: { width: number; height: number; dpi?: number; color?: boolean }): Promise<Buffer> {
  const img = sharp({ create: { width: o.width, height: o.height, channels: 3, background: o.color ? '#3366cc' : '#888888' } })
    .composite([{ input: { create: { width: Math.floor(o.width / 2), height: Math.floor(o.height / 4), channels: 3, background: '#000000' } }, top: 10, left: 10 }]);
  return (o.dpi ? img.withDensity(o.dpi) : img).jpeg({ quality: 90 }).toBuffer();
}

/** A 1-bit PNG: black bars on white. */
export async function lineArtPng(width: number, height: number, dpi = 300): Promise<Buffer> {
  const rowBytes = Math.ceil(width / 8);
  const packed = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) if (y % 20 < 5) packed.fill(0xff, y * rowBytes, y * rowBytes + Math.floor(rowBytes / 2));
  return encodeLineArtPng(packed, width, height, dpi);
}

export async function multiPageTiff(pages: number, width = 200, height = 280): Promise<Buffer> {
  const colours = ['#ff0000', '#00aa00', '#0000ff', '#444444'];
  const imgs = await Promise.all(
    Array.from({ length: pages }, (_, i) => sharp({ create: { width, height, channels: 3, background: colours[i % colours.length]! } }).png().toBuffer()),
  );
  return sharp(imgs, { join: { animated: true } }).tiff({ compression: 'lzw' }).toBuffer();
}

/**
 * A little-endian TIFF with `pages` IFDs, each declaring width x height 8-bit gray pixels but
 * holding one strip of `stripBytes` bytes: a cheap file with many pages or huge dimensions.
 */
export function syntheticTiff(pages: number, width: number, height: number): Buffer {
  return syntheticTiffPages(Array.from({ length: pages }, () => [width, height]));
}

/** Like syntheticTiff, with each page's declared size given. */
export function syntheticTiffPages(sizes: [number, number][], stripBytes = 16): Buffer {
  const pages = sizes.length;
  const entries = 8;
  const ifdSize = 2 + entries * 12 + 4;
  const strip = 8;
  const firstIfd = strip + stripBytes;
  const buf = Buffer.alloc(firstIfd + pages * ifdSize);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(firstIfd, 4);
  for (let p = 0; p < pages; p++) {
    let o = firstIfd + p * ifdSize;
    const [width, height] = sizes[p]!;
    buf.writeUInt16LE(entries, o);
    o += 2;
    const tags: [number, number, number][] = [
      [256, 4, width], // ImageWidth (LONG)
      [257, 4, height], // ImageLength
      [258, 3, 8], // BitsPerSample
      [259, 3, 1], // Compression: none
      [262, 3, 1], // Photometric: black is zero
      [273, 4, strip], // StripOffsets
      [278, 4, height], // RowsPerStrip
      [279, 4, stripBytes], // StripByteCounts
    ];
    for (const [tag, type, value] of tags) {
      buf.writeUInt16LE(tag, o);
      buf.writeUInt16LE(type, o + 2);
      buf.writeUInt32LE(1, o + 4);
      if (type === 3) buf.writeUInt16LE(value, o + 8);
      else buf.writeUInt32LE(value, o + 8);
      o += 12;
    }
    buf.writeUInt32LE(p + 1 < pages ? firstIfd + (p + 1) * ifdSize : 0, o);
  }
  return buf;
}

/** A PNG whose header claims width x height, with a tiny IDAT: a decompression-bomb shape. */
export function pngBomb(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1 << 20))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A valid PDF with `pages` pages of `widthPt` x `heightPt`, each drawing a black rectangle
 * (all pages share one content stream, so thousands of pages stay small).
 */
export function pdfFile(pages: number, widthPt = 595.28, heightPt = 841.89): Buffer {
  const objs: string[] = [];
  const content = '0 0 0 rg 72 600 300 100 re f\n';
  objs[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  const kids = Array.from({ length: pages }, (_, i) => `${4 + i} 0 R`).join(' ');
  objs[2] = `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`;
  objs[3] = `<< /Length ${content.length} >>\nstream\n${content}endstream`;
  for (let i = 0; i < pages; i++) objs[4 + i] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${widthPt} ${heightPt}] /Contents 3 0 R /Resources << >> >>`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let n = 1; n < objs.length; n++) {
    offsets[n] = Buffer.byteLength(out, 'latin1');
    out += `${n} 0 obj\n${objs[n]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length}\n0000000000 65535 f \n`;
  for (let n = 1; n < objs.length; n++) out += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
