/**
 * A project-owned SANE configuration directory for the scanner worker, so the app can use the
 * SANE `test` backend (Debian ships it commented out in /etc/sane.d/dll.conf) without editing
 * system files.
 *
 * How libsane finds its configuration (sanei_config.c, dll.c in sane-backends):
 * - SANE_CONFIG_DIR is a ':'-separated list of directories (';' on Windows builds). When it ends
 *   with the separator, the default list (".", then the compiled-in dir, /etc/sane.d on Debian)
 *   is appended. Without SANE_CONFIG_DIR only the defaults are searched.
 * - Each file (dll.conf, test.conf, epson2.conf, ...) is read from the FIRST directory that has
 *   it: a dll.conf here replaces the system one entirely; a backend's .conf missing here falls
 *   through to the system's.
 * - dll.d/ (packages' extra backends, e.g. airscan) is read from the first directory that has a
 *   dll.d; we create none, so the system's dll.d still applies in 'system+test' mode.
 * - libsane reads SANE_CONFIG_DIR once per process (first sane_init): the worker gets it in its
 *   environment at spawn; changing it needs a worker restart.
 *
 * Modes:
 * - 'system+test' (the app's default): every backend the system enables, plus `test`. The
 *   service prefers a real scanner and falls back to the test device when there is none.
 * - 'test': only the test backend (tests, demos, CI): no system directory is searched.
 * - 'system': leave SANE alone (no SANE_CONFIG_DIR).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

export type SaneConfigMode = 'system+test' | 'test' | 'system';

/** Where distributions put SANE's own configuration. */
export const SYSTEM_SANE_DIRS = ['/etc/sane.d', '/usr/local/etc/sane.d', '/opt/homebrew/etc/sane.d'];

export interface TestBackendOptions {
  /** Number of virtual devices (test:0, test:1, ...). */
  devices?: number;
  /** Largest scan area in mm; the stock 200 mm is too small for A4 (210 x 297). */
  geometryMaxMm?: number;
  /** The device waits this long (µs) after each buffer it hands over: a slower scanner (0 or absent = full speed). */
  readDelayUs?: number;
}

/** The test backend's configuration, as test.conf lines. */
export function testConf(o: TestBackendOptions = {}): string {
  return [
    '# Written by Qabyldau (src-main/scan/sane-config.ts): the SANE test backend.',
    `number_of_devices ${o.devices ?? 1}`,
    'mode Gray',
    'depth 8',
    'resolution 300',
    'test-picture "Grid"',
    'read-limit false',
    ...(o.readDelayUs ? ['read-delay true', `read-delay-duration ${Math.max(1000, Math.min(200_000, Math.round(o.readDelayUs / 1000) * 1000))}`] : ['read-delay false']),
    'read-status-code "Default"',
    'geometry_min 0.0',
    `geometry_max ${(o.geometryMaxMm ?? 300).toFixed(1)}`,
    'geometry_quant 1.0',
    'tl_x 0.0',
    'tl_y 0.0',
    'br_x 210.0',
    'br_y 297.0',
    '',
  ].join('\n');
}

/** Backends enabled in the system's dll.conf (uncommented names), without `test`. */
export function systemBackends(dirs: string[] = SYSTEM_SANE_DIRS): string[] {
  for (const dir of dirs) {
    const f = join(dir, 'dll.conf');
    if (!existsSync(f)) continue;
    return readFileSync(f, 'utf8')
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter((l) => l.length > 0 && l !== 'test');
  }
  return [];
}

/**
 * Writes dll.conf + test.conf into `dir` and returns the environment the worker needs
 * ({ SANE_CONFIG_DIR }), or {} for mode 'system'.
 */
export async function prepareSaneConfigDir(
  dir: string,
  mode: SaneConfigMode,
  o: TestBackendOptions & { systemDirs?: string[] } = {},
): Promise<Record<string, string>> {
  if (mode === 'system') return {};
  await mkdir(dir, { recursive: true });
  const backends = mode === 'system+test' ? systemBackends(o.systemDirs) : [];
  await writeFile(join(dir, 'dll.conf'), ['# Written by Qabyldau: system backends plus the test backend.', ...backends, 'test', ''].join('\n'));
  await writeFile(join(dir, 'test.conf'), testConf(o));
  // A trailing separator appends the default search list (., /etc/sane.d): the other backends'
  // own .conf files and the system's dll.d are found there.
  return { SANE_CONFIG_DIR: mode === 'system+test' ? dir + delimiter : dir };
}

/** True for the SANE test backend's virtual devices. */
export function isVirtualDevice(d: { id?: string; name?: string; model: string; vendor: string }): boolean {
  const id = d.id ?? d.name ?? '';
  return id.startsWith('test:') || (d.vendor === 'Noname' && d.model === 'frontend-tester');
}
