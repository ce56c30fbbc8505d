/**
 * File type sniffing from content (magic bytes), never from the file name.
 */
import { open } from 'node:fs/promises';

export type ImportFileType = 'jpeg' | 'png' | 'tiff' | 'pdf';

/** Reads the first bytes of a file (up to `n`). */
export async function readHead(path: string, n = 1024): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export function sniff(head: Buffer): ImportFileType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (head.length >= 4) {
    const le = head[0] === 0x49 && head[1] === 0x49 && (head[2] === 0x2a || head[2] === 0x2b) && head[3] === 0x00;
    const be = head[0] === 0x4d && head[1] === 0x4d && head[2] === 0x00 && (head[3] === 0x2a || head[3] === 0x2b);
    if (le || be) return 'tiff';
  }
  // PDF readers accept the header anywhere in the first 1024 bytes.
  if (head.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  return null;
}

/** PNG's IHDR dimensions, read before any decoding (decompression-bomb check). */
export function pngDimensions(head: Buffer): { width: number; height: number } | null {
  if (head.length < 24 || head.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

/** JPEG's frame dimensions (first SOFn marker), read before any decoding. */
export function jpegDimensions(data: Buffer): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < data.length) {
    if (data[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = data[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    const len = data.readUInt16BE(i + 2);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: data.readUInt16BE(i + 5), width: data.readUInt16BE(i + 7) };
    if (marker === 0xda) return null;
    i += 2 + len;
  }
  return null;
}
