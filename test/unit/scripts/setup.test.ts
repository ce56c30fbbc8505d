/**
 * scripts/setup.mjs decides whether `npm ci` must run by what package-lock.json says against what
 * npm installed (node_modules/.package-lock.json), not by the files' times: a checkout that
 * touches the lock file without changing it costs no reinstall. Real files in a temporary folder,
 * starting from this repository's own lock and install record.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without declarations
import { lockDifference as lockDifferenceJs, npmInstallReason as npmInstallReasonJs, root as rootJs } from '../../../scripts/setup.mjs';

const npmInstallReason = npmInstallReasonJs as (dir: string) => string | null;
const lockDifference = lockDifferenceJs as (lock: string, installed: string) => string | null;
const root = rootJs as string;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A project folder holding this repository's lock file and install record, the lock touched an hour later. */
function project(): { dir: string; lock: string; installed: string } {
  const dir = mkdtempSync(join(tmpdir(), 'qab-setup-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'node_modules'));
  const lock = join(dir, 'package-lock.json');
  const installed = join(dir, 'node_modules', '.package-lock.json');
  copyFileSync(join(root, 'package-lock.json'), lock);
  copyFileSync(join(root, 'node_modules', '.package-lock.json'), installed);
  const before = new Date(Date.now() - 7_200_000);
  utimesSync(installed, before, before);
  const later = new Date(Date.now() - 3_600_000);
  utimesSync(lock, later, later);
  return { dir, lock, installed };
}

const edit = (file: string, f: (packages: Record<string, Record<string, unknown>>) => void) => {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { packages: Record<string, Record<string, unknown>> };
  f(json.packages);
  writeFileSync(file, JSON.stringify(json, null, 2));
  const later = new Date(Date.now() - 3_600_000);
  utimesSync(file, later, later);
};

describe('setup: npm ci only when the dependencies changed', () => {
  it('a lock file touched without a change (a checkout) needs no install, and is not compared again', () => {
    const p = project();
    expect(npmInstallReason(p.dir)).toBeNull();
    // Marked as checked: the install record is now at least as new as the lock file.
    expect(statSync(p.installed).mtimeMs).toBeGreaterThanOrEqual(statSync(p.lock).mtimeMs);
  });

  it('a package at another version, a package added or removed: install, saying which', () => {
    let p = project();
    edit(p.lock, (pk) => {
      pk['node_modules/zod']!.version = '0.0.1';
    });
    expect(npmInstallReason(p.dir)).toMatch(/^node_modules\/zod is .+, the lock says 0\.0\.1$/);

    p = project();
    edit(p.lock, (pk) => {
      pk['node_modules/left-pad'] = { version: '1.3.0' };
    });
    expect(npmInstallReason(p.dir)).toBe('node_modules/left-pad is not installed');

    p = project();
    edit(p.lock, (pk) => {
      delete pk['node_modules/zod'];
    });
    expect(npmInstallReason(p.dir)).toBe('node_modules/zod is no longer in the lock');
  });

  it('an optional package absent (not for this platform) is no change; node_modules missing is', () => {
    const p = project();
    edit(p.lock, (pk) => {
      pk['node_modules/@example/other-os'] = { version: '1.0.0', optional: true, os: ['darwin'] };
    });
    expect(npmInstallReason(p.dir)).toBeNull();
    rmSync(join(p.dir, 'node_modules'), { recursive: true });
    expect(npmInstallReason(p.dir)).toBe('node_modules is missing');
    expect(lockDifference('{}', 'not json')).toBe('the record of the install is unreadable');
  });
});
