/**
 * Who may touch the data folder and the key file (POSIX; on Windows the MSI sets the folder's
 * ACL, see docs/encryption.md and scripts/installer/).
 *
 * - The data folder, the key folder and the backup folder must be owned by the account the app
 *   runs as and not writable by group or others: a folder someone else created (or opened up) may
 *   already hold files planted by them, so it is refused (STORAGE_DIR_UNSAFE), never "fixed".
 *   Group or world *read* bits on a folder of our own are removed (older versions created folders
 *   with the process's umask).
 * - The key folder is 0700 and the keyring 0600, owned by the app's account: a keyring that
 *   someone else could have read is refused (STORAGE_KEY_FILE_UNSAFE): the administrator rotates
 *   the key.
 */
import { chmodSync, lstatSync, mkdirSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '../contract/errors.js';

const POSIX = process.platform !== 'win32';

function uid(): number {
  return typeof process.getuid === 'function' ? process.getuid() : -1;
}

/** Creates (0700) or checks a folder that only this account may use. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  assertPrivateDir(dir);
}

export function assertPrivateDir(dir: string): void {
  if (!POSIX) return;
  const st = statSync(dir);
  if (!st.isDirectory()) throw new AppError('STORAGE_DIR_UNSAFE', { dir: basename(dir), reason: 'not-a-folder' });
  if (st.uid !== uid()) throw new AppError('STORAGE_DIR_UNSAFE', { dir: basename(dir), reason: 'other-owner' });
  if ((st.mode & 0o022) !== 0) throw new AppError('STORAGE_DIR_UNSAFE', { dir: basename(dir), reason: 'writable-by-others' });
  if ((st.mode & 0o077) !== 0) chmodSync(dir, st.mode & 0o700);
}

export function assertPrivateFile(file: string): void {
  if (!POSIX) return;
  const st = lstatSync(file);
  if (!st.isFile()) throw new AppError('STORAGE_KEY_FILE_UNSAFE', { file: basename(file), reason: 'not-a-file' });
  if (st.uid !== uid()) throw new AppError('STORAGE_KEY_FILE_UNSAFE', { file: basename(file), reason: 'other-owner' });
  if ((st.mode & 0o077) !== 0) throw new AppError('STORAGE_KEY_FILE_UNSAFE', { file: basename(file), reason: 'readable-by-others' });
}
