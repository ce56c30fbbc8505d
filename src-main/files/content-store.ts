/**
 * Content-addressed file store: every scan, PDF and result lives under
 * `<root>/<aa>/<bb>/<sha256>`, named by the SHA-256 of its bytes.
 *
 * A file is durable before `put` resolves: it is written to a temporary name in the same
 * directory, fsync'd, renamed into place, and the directory is fsync'd. Callers commit the row
 * that refers to it only after that, so a row never points at a file that a power cut can take
 * back. A file without a row (a crash between the rename and the commit) is an orphan that
 * `list()` lets the store's reconciliation find.
 *
 * Writing the same content twice is idempotent: the second put finds the file and returns.
 *
 * Encrypted at rest (the store always passes keys): files are written and read through the
 * chunked AES-256-GCM format of crypto/content-cipher.ts; the name stays the SHA-256 of the plain
 * bytes (what the signed manifest and the backend know the document by). Nothing clear is written
 * on the way: a stream is encrypted chunk by chunk into the temporary file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../contract/errors.js';
import {
  type ContentKeys,
  type ContentKeysWire,
  keysToWire,
  openBytes,
  openSealedSource,
  type PlainSource,
  sealBytes,
  Sealer,
} from '../crypto/content-cipher.js';

export interface StoredFile {
  sha256: string;
  size: number;
  path: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class ContentStore {
  /** `keys`: encrypt what is written, decrypt what is read (without: clear files, for tools and tests). */
  constructor(
    readonly root: string,
    private readonly keys: ContentKeys | null = null,
  ) {}

  get encrypted(): boolean {
    return this.keys !== null;
  }

  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new AppError('FILE_BAD_HASH');
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Stores bytes durably; resolves once file and directory entry are on disk. */
  async put(data: Uint8Array): Promise<StoredFile> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    const keys = this.keys;
    return this.writeDurably(sha256, async (fh) => {
      await fh.writeFile(keys ? sealBytes(data, keys) : data);
    }, data.byteLength);
  }

  /**
   * Stores a stream durably, hashing while writing (one pass over the bytes). The temporary file
   * lives in the store's own `tmp/` so the rename never crosses a filesystem.
   */
  async putStream(source: Readable): Promise<StoredFile> {
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${randomBytes(8).toString('hex')}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const fh = await open(tmp, 'w', 0o600);
    const sealer = this.keys ? new Sealer(this.keys) : null;
    try {
      for await (const chunk of source) {
        const buf = chunk as Buffer;
        hash.update(buf);
        size += buf.byteLength;
        const out = sealer ? sealer.push(buf) : buf;
        if (out.byteLength) await fh.write(out);
      }
      if (sealer) await fh.write(sealer.finish());
      await fh.sync();
    } catch (e) {
      await fh.close().catch(() => {});
      await rm(tmp, { force: true });
      throw mapFsError(e);
    }
    await fh.close();
    const sha256 = hash.digest('hex');
    const finalPath = this.pathOf(sha256);
    try {
      await mkdir(join(finalPath, '..'), { recursive: true });
      if (await exists(finalPath)) {
        await rm(tmp, { force: true });
      } else {
        await rename(tmp, finalPath);
        await fsyncDir(join(finalPath, '..'));
      }
    } catch (e) {
      await rm(tmp, { force: true });
      throw mapFsError(e);
    }
    return { sha256, size, path: finalPath };
  }

  /** Stores a file that is already on disk (for example a scanner worker's spool file). */
  async putFile(sourcePath: string): Promise<StoredFile> {
    return this.putStream(createReadStream(sourcePath));
  }

  /** The bytes as this store keeps them on disk (encrypted when it has keys): for tools that fill a store directly. */
  storedForm(data: Uint8Array): Buffer {
    return this.keys ? sealBytes(data, this.keys) : Buffer.from(data);
  }

  /** The plain bytes (STORAGE_FILE_TAMPERED when an encrypted file fails its check). */
  async read(sha256: string): Promise<Buffer> {
    const path = this.pathOf(sha256);
    const raw = await readFile(path);
    return this.keys ? openBytes(raw, this.keys, basename(path)) : raw;
  }

  /** Random access to the plain bytes (resumable uploads). */
  async openSource(sha256: string): Promise<PlainSource> {
    const path = this.pathOf(sha256);
    if (this.keys) return openSealedSource(path, this.keys);
    const fh = await open(path, 'r');
    const { size } = await fh.stat();
    return {
      size,
      async read(offset, length) {
        const buf = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        let got = 0;
        while (got < buf.length) {
          const { bytesRead } = await fh.read(buf, got, buf.length - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return buf.subarray(0, got);
      },
      close: () => fh.close(),
    };
  }

  /** What a worker thread needs to read a stored file itself: its path and, when encrypted, the keys. */
  fileSource(sha256: string): { path: string; keys?: ContentKeysWire } {
    const path = this.pathOf(sha256);
    return this.keys ? { path, keys: keysToWire(this.keys) } : { path };
  }

  async has(sha256: string): Promise<boolean> {
    return exists(this.pathOf(sha256));
  }

  /** Every stored hash, for reconciliation against the database. */
  async list(): Promise<string[]> {
    const out: string[] = [];
    for (const a of await readdirSafe(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await readdirSafe(join(this.root, a))) {
        for (const name of await readdirSafe(join(this.root, a, b))) {
          if (SHA256_HEX.test(name)) out.push(name);
        }
      }
    }
    return out;
  }

  private async writeDurably(
    sha256: string,
    write: (fh: Awaited<ReturnType<typeof open>>) => Promise<void>,
    size: number,
  ): Promise<StoredFile> {
    const finalPath = this.pathOf(sha256);
    const dir = join(finalPath, '..');
    try {
      await mkdir(dir, { recursive: true });
      if (await exists(finalPath)) return { sha256, size, path: finalPath };
      const tmp = join(dir, `.${sha256.slice(0, 16)}.${randomBytes(6).toString('hex')}.part`);
      const fh = await open(tmp, 'w', 0o600);
      try {
        await write(fh);
        await fh.sync();
      } catch (e) {
        await fh.close().catch(() => {});
        await rm(tmp, { force: true });
        throw e;
      }
      await fh.close();
      await rename(tmp, finalPath);
      await fsyncDir(dir);
      return { sha256, size, path: finalPath };
    } catch (e) {
      throw mapFsError(e);
    }
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function readdirSafe(p: string): Promise<string[]> {
  try {
    return await readdir(p);
  } catch {
    return [];
  }
}

async function fsyncDir(dir: string): Promise<void> {
  // Directories cannot be opened for fsync on Windows; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Maps the file-system failures an operator can meet to typed errors. */
export function mapFsError(e: unknown): unknown {
  if (e instanceof AppError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new AppError('STORAGE_DISK_FULL', {}, { cause: e });
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return new AppError('STORAGE_READ_ONLY', {}, { cause: e });
  return e;
}
