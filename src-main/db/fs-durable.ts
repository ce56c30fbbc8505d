/** Small durable file-system steps shared by backup and restore. */
import { closeSync, fsyncSync, openSync } from 'node:fs';

export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function fsyncDirSync(dir: string): void {
  // Directories cannot be opened for fsync on Windows; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A sortable UTC stamp for file names: 20261123-093000. */
export function fileStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
