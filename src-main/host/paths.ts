/**
 * Where the application's own files are. The same code runs from src-main (tests, under Vite),
 * from dist/main (the bundled browser host) and from an Electron asar: walk up from this module to
 * the folder holding Qabyldau's package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function appRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'qabyldau') return (cached = dir);
      } catch {
        // not ours; keep walking
      }
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the application folder (package.json of qabyldau)');
}

export function assetPath(...parts: string[]): string {
  return join(appRoot(), 'assets', ...parts);
}

export function appVersion(): string {
  return (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

export type RunMode = 'development' | 'production';

/**
 * 'development' when running from a source checkout (`npm start`, the tests): the sources sit
 * beside the bundles. An installed app carries only its bundles (electron-builder.yml `files`),
 * in a folder only the machine's administrators can write, so a local user cannot turn a
 * workstation into 'development'.
 */
export function runMode(): RunMode {
  return existsSync(join(appRoot(), 'src-main', 'host')) ? 'development' : 'production';
}
