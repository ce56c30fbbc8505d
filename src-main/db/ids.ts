/**
 * Row ids: UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. They sort by
 * creation time, so a new request's rows land at the end of every index keyed by an id (one page
 * touched per index per commit) instead of on a random page of a large index (one page each, all
 * over the file): fewer pages written per durable commit, and the same 122-bit-class uniqueness
 * in practice (74 random bits per millisecond).
 */
import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let seq = 0;

/**
 * Random bytes drawn from the system's generator 4 KiB at a time (as crypto.randomUUID does): one
 * call per 256 ids, not one per id (an id is minted in every commit's hot path: step events).
 */
const POOL = Buffer.alloc(4096);
let used = POOL.length;

function random16(): Buffer {
  if (used + 16 > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const b = Buffer.from(POOL.subarray(used, used + 16));
  used += 16;
  return b;
}

export function newId(now: number = Date.now()): string {
  const b = random16();
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
