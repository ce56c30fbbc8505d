/** Small durable file-system steps shared by backup and restore. */
import { closeSync, fsyncSync, openSync } from 'node:fs';

function fsyncPath(path: string, flags: 'r' | 'r+'): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function fsyncFile(path: string): void {
  fsyncPath(path, 'r+');
}

export function fsyncDirSync(dir: string): void {
  // Directories cannot be opened for fsync on Windows; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  fsyncPath(dir, 'r');
}

/** A sortable UTC stamp for file names: 20261123-093000. */
export function fileStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
