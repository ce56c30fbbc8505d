/**
 * Real small file systems for fault tests: a tmpfs of a given size (disk full for real) that can
 * be remounted read-only (root cannot write there either, unlike a chmod'ed folder, which root's
 * privileges bypass). Needs CAP_SYS_ADMIN: CI and the development machines run as root. Without
 * it the test fails with this explanation rather than pretending.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  dir: string;
  remount(mode: 'ro' | 'rw'): void;
  unmount(): void;
}

export function mountTmpfs(sizeKb: number): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), 'qab-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `this fault test mounts a real tmpfs and needs root (CAP_SYS_ADMIN); mount said: ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}`,
      { cause: e },
    );
  }
  let mounted = true;
  return {
    dir,
    remount(mode) {
      execFileSync('mount', ['-o', `remount,${mode}`, dir], { stdio: 'pipe' });
    },
    unmount() {
      if (!mounted) return;
      mounted = false;
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
