#!/usr/bin/env node
// @ts-check
/**
 * The set-up that `npm start` and `npm test` both do first, so a newcomer types nothing else.
 * Uses only Node's built-ins: it runs before node_modules exists.
 *
 *  1. Node.js version.
 *  2. System packages. On Debian as root: installs what is missing with apt-get. Elsewhere: names
 *     each missing package and the command that installs it (never fails silently).
 *  3. npm dependencies: `npm ci` when node_modules is missing or does not hold what
 *     package-lock.json says (compared by content with npm's own record of the install,
 *     node_modules/.package-lock.json, when the lock file is newer: a checkout touches it).
 *
 *   node scripts/setup.mjs [--for start|test]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * What each purpose needs from the system. `check` is a file or a command on PATH; `required`
 * means the purpose cannot work without it (tests), otherwise it only degrades a feature (start).
 * @typedef {{ pkg: string, check: string, why: string, required: { start: boolean, test: boolean }, brew?: string, win?: string }} SystemNeed
 * @type {SystemNeed[]}
 */
export const SYSTEM_NEEDS = [
  { pkg: 'python3', check: 'python3', why: 'node-gyp builds the native modules', required: { start: true, test: true }, brew: 'python', win: 'the Python 3 installer from python.org' },
  { pkg: 'make', check: 'make', why: 'node-gyp builds the native modules', required: { start: true, test: true }, brew: 'make', win: 'Visual Studio Build Tools (C++ workload)' },
  { pkg: 'g++', check: 'g++', why: 'node-gyp builds the native modules', required: { start: true, test: true }, brew: 'gcc', win: 'Visual Studio Build Tools (C++ workload)' },
  { pkg: 'chromium', check: 'chromium', why: 'the app window without Electron, and the end-to-end tests', required: { start: false, test: true }, brew: '--cask chromium', win: 'Google Chrome or Microsoft Edge (already present on Windows)' },
  { pkg: 'sane-utils', check: 'scanimage', why: 'scanning (SANE) and its test device', required: { start: false, test: true }, brew: 'sane-backends', win: '(no SANE on Windows: file import is used)' },
  { pkg: 'libsane-dev', check: '/usr/include/sane/sane.h', why: 'building our SANE binding', required: { start: false, test: true }, brew: 'sane-backends', win: '(no SANE on Windows)' },
  { pkg: 'sane-airscan', check: '/etc/sane.d/airscan.conf', why: 'an independent eSCL client (scanimage through sane-airscan) the tests check the sandbox eSCL scanner with', required: { start: false, test: true }, brew: 'sane-airscan', win: '(not needed on Windows: the app has its own eSCL client)' },
  { pkg: 'openssl', check: 'openssl', why: 'the test PKI and the independent signature verifier', required: { start: true, test: true }, brew: 'openssl', win: 'OpenSSL for Windows (only for development)' },
  { pkg: 'qpdf', check: 'qpdf', why: 'PDF structure checks in the tests', required: { start: false, test: true }, brew: 'qpdf' },
  { pkg: 'poppler-utils', check: 'pdftotext', why: 'PDF text and image checks in the tests', required: { start: false, test: true }, brew: 'poppler' },
  { pkg: 'img2pdf', check: 'img2pdf', why: 'the PDF benchmark baseline', required: { start: false, test: true }, brew: 'img2pdf' },
  { pkg: 'fonts-dejavu-core', check: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', why: "Kazakh letters in the sandbox backend's permit PDFs", required: { start: false, test: true }, brew: '--cask font-dejavu', win: '(the sandbox writes English-only permits)' },
];

const log = (/** @type {string} */ m) => console.log(`[setup] ${m}`);

function onPath(/** @type {string} */ cmd) {
  if (cmd.startsWith('/')) return existsSync(cmd);
  const r = spawnSync(process.platform === 'win32' ? 'where' : 'sh', process.platform === 'win32' ? [cmd] : ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
  return r.status === 0;
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new Error(`Node.js ${process.versions.node} is too old: Qabyldau needs Node.js 20.19 or newer (https://nodejs.org).`);
  }
}

/** @param {'start'|'test'} purpose */
export function ensureSystemPackages(purpose) {
  const missing = SYSTEM_NEEDS.filter((n) => !onPath(n.check));
  if (!missing.length) return;
  const isDebian = process.platform === 'linux' && existsSync('/etc/debian_version');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isDebian && isRoot) {
    const pkgs = missing.map((n) => n.pkg);
    log(`installing missing system packages with apt-get: ${pkgs.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
    return;
  }
  const fatal = missing.filter((n) => n.required[purpose]);
  for (const n of missing) {
    const how = isDebian
      ? `sudo apt-get install -y ${n.pkg}`
      : process.platform === 'darwin'
        ? `brew install ${n.brew ?? n.pkg}`
        : process.platform === 'win32'
          ? `install ${n.win ?? n.pkg}`
          : `install the package that provides "${n.check}" (Debian: ${n.pkg})`;
    console.error(`[setup] missing ${n.pkg} (${n.why}): ${how}`);
  }
  if (fatal.length) {
    throw new Error(`cannot ${purpose === 'test' ? 'run the tests' : 'start'} without: ${fatal.map((n) => n.pkg).join(', ')} (see the commands above)`);
  }
  log(`continuing without ${missing.map((n) => n.pkg).join(', ')}: the features named above are unavailable`);
}

/**
 * How package-lock.json (`lockText`) differs from what npm installed (`installedText`, its
 * node_modules/.package-lock.json): a package added, removed or at another version, or null when
 * they hold the same packages. An optional package may be absent (not for this platform).
 * @param {string} lockText
 * @param {string} installedText
 * @returns {string | null}
 */
export function lockDifference(lockText, installedText) {
  /** @type {Record<string, { version?: string, integrity?: string, optional?: boolean, devOptional?: boolean }>} */
  let want;
  /** @type {typeof want} */
  let have;
  try {
    want = JSON.parse(lockText).packages ?? {};
    have = JSON.parse(installedText).packages ?? {};
  } catch {
    return 'the record of the install is unreadable';
  }
  for (const [path, p] of Object.entries(want)) {
    if (path === '') continue; // the project itself
    const h = have[path];
    if (!h) {
      if (p.optional || p.devOptional) continue;
      return `${path} is not installed`;
    }
    if (h.version !== p.version) return `${path} is ${h.version}, the lock says ${p.version}`;
    if (h.integrity && p.integrity && h.integrity !== p.integrity) return `${path} has another integrity`;
  }
  const extra = Object.keys(have).find((path) => !(path in want));
  return extra ? `${extra} is no longer in the lock` : null;
}

/**
 * Why `npm ci` must run in `dir`, or null when node_modules is current. Cheap when nothing changed
 * (the lock is not newer than the install); when it is newer, the contents decide, and a lock
 * file that was only touched marks the install as checked (its time set to now).
 * @param {string} dir
 * @returns {string | null}
 */
export function npmInstallReason(dir = root) {
  const lock = join(dir, 'package-lock.json');
  const installed = join(dir, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return 'node_modules is missing';
  if (!existsSync(lock) || statSync(lock).mtimeMs <= statSync(installed).mtimeMs + 1000) return null;
  const why = lockDifference(readFileSync(lock, 'utf8'), readFileSync(installed, 'utf8'));
  if (why) return why;
  const now = new Date();
  utimesSync(installed, now, now);
  return null;
}

export function ensureNpmDependencies() {
  const why = npmInstallReason();
  if (!why) return;
  const cmd = existsSync(join(root, 'package-lock.json')) ? 'ci' : 'install';
  log(`installing npm dependencies (npm ${cmd}: ${why}); native modules build from source, this takes a few minutes`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, [cmd, '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
    // Electron's binary comes from the internet; where it cannot, the app runs in the browser host.
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ?? '1' },
  });
  if (r.status !== 0) throw new Error(`npm ${cmd} failed (exit ${r.status})`);
}

/** @param {'start'|'test'} purpose */
export function setup(purpose) {
  checkNode();
  ensureSystemPackages(purpose);
  ensureNpmDependencies();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--for');
  const purpose = i > 0 && process.argv[i + 1] === 'start' ? 'start' : 'test';
  try {
    setup(purpose);
    log('ready');
  } catch (e) {
    console.error(`[setup] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
