/**
 * Row ids: UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. They sort by
 * creation time, so a new request's rows land at the end of every index keyed by an id (one page
 * touched per index per commit) instead of on a random page of a large index (one page each, all
 * over the file): fewer pages written per durable commit, and the same 122-bit-class uniqueness
 * in practice (74 random bits per millisecond).
 */
import { randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;

export function newId(now: number = Date.now()): string {
  const b = randomBytes(16);
  // Monotonic within a millisecond: a 12-bit counter in rand_a.
  if (now === lastMs) seq = (seq + 1) & 0xfff;
  else {
    lastMs = now;
    seq = b.readUInt16BE(6) & 0x7ff;
  }
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
