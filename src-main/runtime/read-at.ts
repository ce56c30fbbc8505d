import type { FileHandle } from 'node:fs/promises';

/**
 * Reads `length` bytes at `position` into a new buffer, going on after short reads (a read may
 * return less than asked); stops early only at the end of the file. Returns the buffer cut to
 * what was read.
 */
export async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}
