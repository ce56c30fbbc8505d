/**
 * Files at rest (scans, document PDFs, results, receipts): AES-256-GCM in fixed-size chunks, each
 * chunk authenticated on its own, so a file is written and read as a stream, read at any offset
 * (uploads resume mid-file), and one flipped byte anywhere is detected.
 *
 *   header  "QBYLENC1" (8) ‖ key id (8) ‖ salt (16) ‖ chunk size (u32 BE)          = 36 bytes
 *   chunk i ciphertext (chunk size, the last one shorter or empty) ‖ GCM tag (16)
 *
 * The file's own key is HKDF-SHA256(files key, salt, "qabyldau/v1/file"): a fresh random salt per
 * file, so the chunk nonce can simply be the chunk's index. Each chunk's associated data is the
 * header ‖ index (u64) ‖ final flag (1 byte): chunks cannot be swapped, moved to another file,
 * dropped from the end or appended to without the check failing. The key id names the data key
 * the files key came from (key rotation leaves files of two generations for a while).
 *
 * A tampered or truncated file is STORAGE_FILE_TAMPERED; a file of a key this workstation does
 * not hold is STORAGE_KEY_WRONG. Neither is ever "repaired": the caller reports it.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { readAt } from '../runtime/read-at.js';
import { AppError } from '../contract/errors.js';

export const MAGIC = Buffer.from('QBYLENC1', 'latin1');
export const HEADER_BYTES = 36;
export const TAG_BYTES = 16;
export const DEFAULT_CHUNK = 64 * 1024;
const FILE_INFO = Buffer.from('qabyldau/v1/file');

/** The files keys this workstation holds, by data-key id (16 hex); `current` encrypts new files. */
export interface ContentKeys {
  current: string;
  keys: Record<string, Buffer>;
}

/** The same keys as plain data (hex), to hand to a worker thread. */
export type ContentKeysWire = { current: string; keys: Record<string, string> };

export function keysToWire(k: ContentKeys): ContentKeysWire {
  return { current: k.current, keys: Object.fromEntries(Object.entries(k.keys).map(([id, b]) => [id, b.toString('hex')])) };
}

export function keysFromWire(w: ContentKeysWire): ContentKeys {
  return { current: w.current, keys: Object.fromEntries(Object.entries(w.keys).map(([id, h]) => [id, Buffer.from(h, 'hex')])) };
}

function fileKey(filesKey: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', filesKey, salt, FILE_INFO, 32));
}

function nonce(index: number): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(BigInt(index), 4);
  return n;
}

function aad(header: Buffer, index: number, final: boolean): Buffer {
  const a = Buffer.alloc(HEADER_BYTES + 9);
  header.copy(a, 0);
  a.writeBigUInt64BE(BigInt(index), HEADER_BYTES);
  a[HEADER_BYTES + 8] = final ? 1 : 0;
  return a;
}

export function isSealed(head: Uint8Array): boolean {
  return head.length >= MAGIC.length && Buffer.from(head.subarray(0, MAGIC.length)).equals(MAGIC);
}

/** Size of the plain content of a sealed file of `total` bytes. */
export function plainSize(total: number, chunk: number): number {
  const body = total - HEADER_BYTES;
  const chunks = Math.max(1, Math.ceil(body / (chunk + TAG_BYTES)));
  return body - chunks * TAG_BYTES;
}

interface Header {
  header: Buffer;
  keyId: string;
  chunk: number;
  key: Buffer;
}

function parseHeader(head: Buffer, keys: ContentKeys, name: string): Header {
  if (head.length < HEADER_BYTES || !isSealed(head)) throw tampered(name);
  const header = head.subarray(0, HEADER_BYTES);
  const keyId = header.subarray(8, 16).toString('hex');
  const chunk = header.readUInt32BE(32);
  if (chunk < 1024 || chunk > 16 * 1024 * 1024) throw tampered(name);
  const filesKey = keys.keys[keyId];
  if (!filesKey) throw new AppError('STORAGE_KEY_WRONG', { what: 'file', file: name });
  return { header: Buffer.from(header), keyId, chunk, key: fileKey(filesKey, header.subarray(16, 32)) };
}

export function tampered(name: string, cause?: unknown): AppError {
  return new AppError('STORAGE_FILE_TAMPERED', { file: name }, { cause });
}

/**
 * Encrypts a stream of plain chunks: call `push` with any sizes, then `finish`; each returns the
 * sealed bytes ready to be written (the header comes out with the first call).
 */
export class Sealer {
  readonly keyId: string;
  private readonly header: Buffer;
  private readonly key: Buffer;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;
  private headerOut = false;

  constructor(keys: ContentKeys, private readonly chunk = DEFAULT_CHUNK) {
    this.keyId = keys.current;
    const filesKey = keys.keys[keys.current];
    if (!filesKey) throw new AppError('STORAGE_KEY_MISSING', { what: 'file' });
    const salt = randomBytes(16);
    this.header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(this.header, 0);
    Buffer.from(keys.current, 'hex').copy(this.header, 8);
    salt.copy(this.header, 16);
    this.header.writeUInt32BE(chunk, 32);
    this.key = fileKey(filesKey, salt);
  }

  push(data: Uint8Array): Buffer {
    this.pending.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    this.pendingBytes += data.byteLength;
    const out: Buffer[] = [this.takeHeader()];
    // Keep at least one byte back: the last chunk must be sealed with the final flag.
    while (this.pendingBytes > this.chunk) out.push(this.seal(this.take(this.chunk), false));
    return Buffer.concat(out);
  }

  finish(): Buffer {
    return Buffer.concat([this.takeHeader(), this.seal(this.take(this.pendingBytes), true)]);
  }

  private takeHeader(): Buffer {
    if (this.headerOut) return Buffer.alloc(0);
    this.headerOut = true;
    return this.header;
  }

  private take(n: number): Buffer {
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.pending = rest.length ? [rest] : [];
    this.pendingBytes = rest.length;
    return head;
  }

  private seal(plain: Buffer, final: boolean): Buffer {
    const c = createCipheriv('aes-256-gcm', this.key, nonce(this.index));
    c.setAAD(aad(this.header, this.index, final));
    const body = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
    this.index++;
    return body;
  }
}

/** Encrypts bytes in memory (small files: receipts, results). */
export function sealBytes(data: Uint8Array, keys: ContentKeys): Buffer {
  const s = new Sealer(keys);
  return Buffer.concat([s.push(data), s.finish()]);
}

function openChunk(h: Header, sealed: Buffer, index: number, final: boolean, name: string): Buffer {
  if (sealed.length < TAG_BYTES) throw tampered(name);
  const d = createDecipheriv('aes-256-gcm', h.key, nonce(index));
  d.setAAD(aad(h.header, index, final));
  d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    const plain = d.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    const rest = d.final();
    return rest.length ? Buffer.concat([plain, rest]) : plain;
  } catch (e) {
    throw tampered(name, e);
  }
}

/** Decrypts a whole sealed file held in memory. */
export function openBytes(sealed: Buffer, keys: ContentKeys, name = 'file'): Buffer {
  const h = parseHeader(sealed, keys, name);
  const body = sealed.subarray(HEADER_BYTES);
  const step = h.chunk + TAG_BYTES;
  const count = Math.max(1, Math.ceil(body.length / step));
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) out.push(openChunk(h, body.subarray(i * step, (i + 1) * step), i, i === count - 1, name));
  return Buffer.concat(out);
}

/** Reads and decrypts a sealed file. */
export async function readSealedFile(path: string, keys: ContentKeys): Promise<Buffer> {
  return openBytes(await readFile(path), keys, basename(path));
}

/** Random access to a sealed file's plain bytes (resumable uploads read chunk by chunk). */
export interface PlainSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openSealedSource(path: string, keys: ContentKeys): Promise<PlainSource> {
  const name = basename(path);
  const fh = await open(path, 'r');
  try {
    const { size: total } = await fh.stat();
    const head = Buffer.alloc(HEADER_BYTES);
    await fh.read(head, 0, HEADER_BYTES, 0);
    const h = parseHeader(head, keys, name);
    const step = h.chunk + TAG_BYTES;
    const count = Math.max(1, Math.ceil((total - HEADER_BYTES) / step));
    const size = plainSize(total, h.chunk);
    // The last chunk decrypted (reads of a few KiB at a time walk through one chunk).
    let cached: { index: number; plain: Buffer } | null = null;
    /** Chunks first..last, read from the file in ONE read (a resumed upload reads a megabyte at a time) and decrypted. */
    const chunks = async (first: number, last: number): Promise<Buffer[]> => {
      if (first === last && cached?.index === first) return [cached.plain];
      const start = HEADER_BYTES + first * step;
      const len = Math.max(0, Math.min((last - first + 1) * step, total - start));
      const buf = await readAt(fh, start, len);
      const got = buf.length;
      const out: Buffer[] = [];
      for (let index = first; index <= last; index++) {
        const at = (index - first) * step;
        out.push(openChunk(h, buf.subarray(Math.min(at, got), Math.min(at + step, got)), index, index === count - 1, name));
      }
      cached = { index: last, plain: out[out.length - 1]! };
      return out;
    };
    return {
      size,
      async read(offset, length) {
        const end = Math.min(size, offset + length);
        if (end <= offset) return Buffer.alloc(0);
        const first = Math.floor(offset / h.chunk);
        const plains = await chunks(first, Math.floor((end - 1) / h.chunk));
        const from = offset - first * h.chunk;
        if (plains.length === 1) return plains[0]!.subarray(from, from + (end - offset));
        return Buffer.concat(plains).subarray(from, from + (end - offset));
      },
      close: () => fh.close(),
    };
  } catch (e) {
    await fh.close();
    throw e;
  }
}
