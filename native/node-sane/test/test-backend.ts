// Helpers for the binding's own tests: a private SANE config directory that enables only the
// `test` backend (Debian ships it commented out in /etc/sane.d/dll.conf; we never edit that).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes dll.conf + test.conf into a fresh temp dir and points SANE_CONFIG_DIR at it. */
export function useTestBackend(): string {
  const dir = mkdtempSync(join(tmpdir(), 'node-sane-cfg-'));
  writeFileSync(join(dir, 'dll.conf'), 'test\n');
  // geometry_max 300 so full A4 (210 x 297 mm) fits; the stock test.conf stops at 200 mm.
  writeFileSync(
    join(dir, 'test.conf'),
    ['number_of_devices 2', 'mode Gray', 'resolution 50', 'geometry_max 300.0', 'br_x 80.0', 'br_y 100.0', ''].join('\n'),
  );
  // No trailing ':' on purpose: only this directory is searched, so the system's backends
  // (and their slow network discovery) stay out of the tests.
  process.env.SANE_CONFIG_DIR = dir;
  return dir;
}
