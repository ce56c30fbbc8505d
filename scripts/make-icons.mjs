#!/usr/bin/env node
// @ts-check
/**
 * Draws the application icon (a gold check mark on the Centre's blue, rounded square) and writes
 * assets/icons/<size>x<size>.png for Linux, icon.png, and icon.ico (PNG-compressed entries) for
 * Windows. Uses only Node's zlib; run it again after changing the drawing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { root } from './setup.mjs';

const BLUE = [0x00, 0x62, 0x8b];
const GOLD = [0xfe, 0xc5, 0x0c];

/** Distance from point p to segment ab. */
function segDist(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function draw(size) {
  const px = Buffer.alloc(size * size * 4);
  const s = size / 64;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / s, v = (y + 0.5) / s;
      // rounded square (radius 12 in 64-unit space), anti-aliased over one pixel
      const qx = Math.max(Math.abs(u - 32) - 20, 0), qy = Math.max(Math.abs(v - 32) - 20, 0);
      const box = Math.hypot(qx, qy) - 12;
      const boxA = Math.max(0, Math.min(1, 0.5 - box * s));
      const check = Math.min(segDist(u, v, 18, 34, 27, 43), segDist(u, v, 27, 43, 46, 22)) - 3.5;
      const checkA = Math.max(0, Math.min(1, 0.5 - check * s));
      const i = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) px[i + c] = Math.round(BLUE[c] * (1 - checkA) + GOLD[c] * checkA);
      px[i + 3] = Math.round(255 * boxA);
    }
  }
  return px;
}

function png(size) {
  const raw = draw(size);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) raw.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function ico(sizes) {
  const images = sizes.map((s) => png(s));
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((s, i) => {
    const e = 6 + 16 * i;
    header[e] = s >= 256 ? 0 : s;
    header[e + 1] = s >= 256 ? 0 : s;
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(images[i].length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += images[i].length;
  });
  return Buffer.concat([header, ...images]);
}

const dir = join(root, 'assets', 'icons');
for (const s of [16, 32, 48, 64, 128, 256, 512]) writeFileSync(join(dir, `${s}x${s}.png`), png(s));
writeFileSync(join(dir, 'icon.png'), png(512));
writeFileSync(join(dir, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256]));
console.log(`[icons] written to ${dir}`);
