#!/usr/bin/env node
// @ts-check
/**
 * `npm start`: everything a newcomer needs, on the app's embedded defaults.
 *
 *  1. set-up (scripts/setup.mjs): Node, system packages, npm dependencies;
 *  2. build (renderer + main bundles) and the development PKI (a test operator key);
 *  3. the sandbox licensing backend on https://127.0.0.1:8787 with mutual TLS (the development PKI's
 *     certificates; reused when one already answers there), its CRL distribution point on 8788 and
 *     its admin API on 8789;
 *  4. the app: Electron when its binary is installed and a display is present; otherwise the
 *     browser host, opened in Chromium's app mode when a display is present, else its URL printed.
 *     It always says which it chose and why.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, setup } from './setup.mjs';

const say = (/** @type {string} */ m) => console.log(`[start] ${m}`);
const devDir = join(root, '.qabyldau-dev');

/** @returns {{ path: string } | { reason: string }} */
export function findElectron() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(p) ? { path: p } : { reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron binary (${p})` };
  }
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(pkg)) return { reason: 'the electron package is not installed' };
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return { reason: "Electron's binary is not downloaded (on a machine with internet: npx install-electron)" };
  const bin = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? { path: bin } : { reason: `Electron's binary is missing (${bin})` };
}

export function hasDisplay() {
  if (process.platform === 'win32' || process.platform === 'darwin') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** @returns {string | null} */
export function findChromium() {
  const candidates =
    process.platform === 'win32'
      ? [
          `${process.env['ProgramFiles(x86)']}\\Microsoft\\Edge\\Application\\msedge.exe`,
          `${process.env.ProgramFiles}\\Google\\Chrome\\Application\\chrome.exe`,
        ]
      : process.platform === 'darwin'
        ? ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']
        : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((c) => existsSync(c)) ?? null;
}

/**
 * Whether a sandbox answers on the port, over mutual TLS with the development PKI.
 * @param {number} port
 * @param {{ tls: { ca: string, clientCert: string, clientKey: string } } | null} pki
 */
function sandboxAnswers(port, pki) {
  return new Promise((resolve) => {
    const tls = pki ? { ca: readFileSync(pki.tls.ca), cert: readFileSync(pki.tls.clientCert), key: readFileSync(pki.tls.clientKey) } : {};
    const req = https.get({ host: '127.0.0.1', port, path: '/v1/health', timeout: 1000, agent: false, ...tls }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** Starts the sandbox unless one answers already; returns its URL. */
async function startSandbox(
  /** @type {import('node:child_process').ChildProcess[]} */ children,
  /** @type {{ dir: string, tls: { ca: string, clientCert: string, clientKey: string } } | null} */ pki,
) {
  const port = Number(process.env.SANDBOX_PORT ?? 8787);
  if (pki && (await sandboxAnswers(port, pki))) {
    say(`sandbox licensing backend already running on https://127.0.0.1:${port}: reusing it`);
    return `https://127.0.0.1:${port}`;
  }
  const args = ['--port', String(port), '--data', join(devDir, 'sandbox')];
  // Without openssl there is no PKI: the sandbox then runs on plain HTTP (development only).
  if (pki) args.push('--pki', pki.dir);
  else args.push('--insecure-http');
  const child = spawn(process.execPath, [join(root, 'dist', 'sandbox', 'server.js'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c) => {
      out += String(c);
      process.stdout.write(String(c));
      const m = /listening on (https?:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`the sandbox exited (${code}); is port ${port}, ${port + 1} or ${port + 2} taken by another program? Set SANDBOX_PORT.`)));
  });
}

async function main() {
  setup('start');
  const { buildMain, buildRenderer } = await import('./build.mjs');
  await buildMain();
  await buildRenderer();
  mkdirSync(devDir, { recursive: true });
  const { ensureDevPki } = await import('./dev-pki.mjs');
  const pki = ensureDevPki(devDir, Number(process.env.SANDBOX_PORT ?? 8787));

  /** @type {import('node:child_process').ChildProcess[]} */
  const children = [];
  const stopAll = () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  };
  process.on('SIGINT', () => {
    stopAll();
    process.exit(0);
  });
  process.on('SIGTERM', () => {
    stopAll();
    process.exit(0);
  });

  const backendUrl = await startSandbox(children, pki);
  // Development wiring on top of the embedded defaults: the sandbox backend and the test PKI.
  // A value the user configured (file or environment) wins.
  const env = {
    ...process.env,
    QABYLDAU_BACKEND__URL: process.env.QABYLDAU_BACKEND__URL ?? backendUrl,
    // Demo accounts (operator/operator123, admin/admin123) exist in development only.
    QABYLDAU_AUTH__SEED_DEMO_ACCOUNTS: process.env.QABYLDAU_AUTH__SEED_DEMO_ACCOUNTS ?? 'true',
    // Mutual TLS with the sandbox: its CA, and the workstation's client certificate.
    ...(pki ? { QABYLDAU_BACKEND__CA_FILE: process.env.QABYLDAU_BACKEND__CA_FILE ?? pki.tls.ca } : {}),
    ...(pki ? { QABYLDAU_BACKEND__CLIENT_CERT_FILE: process.env.QABYLDAU_BACKEND__CLIENT_CERT_FILE ?? pki.tls.clientCert } : {}),
    ...(pki ? { QABYLDAU_BACKEND__CLIENT_KEY_FILE: process.env.QABYLDAU_BACKEND__CLIENT_KEY_FILE ?? pki.tls.clientKey } : {}),
    ...(pki ? { QABYLDAU_SIGNING__KEYSTORE_FILE: process.env.QABYLDAU_SIGNING__KEYSTORE_FILE ?? pki.keystore } : {}),
    ...(pki ? { QABYLDAU_SIGNING__TRUST_ROOTS_FILE: process.env.QABYLDAU_SIGNING__TRUST_ROOTS_FILE ?? pki.trustRoots } : {}),
    // Results are shown only once the provider's signature verifies: the sandbox's provider root.
    ...(pki ? { QABYLDAU_SIGNING__RESULT_TRUST_ROOTS_FILE: process.env.QABYLDAU_SIGNING__RESULT_TRUST_ROOTS_FILE ?? pki.providerRoot } : {}),
    // The sandbox serves the test CA's CRL but speaks no OCSP.
    ...(pki ? { QABYLDAU_SIGNING__REVOCATION__OCSP: process.env.QABYLDAU_SIGNING__REVOCATION__OCSP ?? 'false' } : {}),
  };

  const electron = findElectron();
  const display = hasDisplay();
  if ('path' in electron && display) {
    say(`Electron found (${electron.path}): starting the desktop app`);
    const child = spawn(electron.path, [root], { cwd: root, stdio: 'inherit', env });
    children.push(child);
    child.on('exit', (code) => {
      stopAll();
      process.exit(code ?? 0);
    });
    return;
  }
  say(
    'path' in electron
      ? 'Electron is installed but there is no display: serving the UI through the browser host instead'
      : `${electron.reason}: serving the UI through the browser host instead`,
  );
  const host = spawn(process.execPath, [join(root, 'dist', 'main', 'browser-host.js')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env });
  children.push(host);
  host.on('exit', (code) => {
    stopAll();
    process.exit(code ?? 0);
  });
  let buf = '';
  host.stdout?.on('data', (c) => {
    buf += String(c);
    const m = /QABYLDAU_URL=(\S+)/.exec(buf);
    if (!m) return;
    buf = '';
    const url = m[1];
    const chromium = findChromium();
    if (display && chromium) {
      say(`display found: opening the app in ${chromium} (app mode)`);
      const profile = join(devDir, 'chromium-profile');
      const browser = spawn(
        chromium,
        [`--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        { stdio: 'ignore' },
      );
      children.push(browser);
    } else {
      say(display ? 'no Chromium/Chrome/Edge found: open this URL in a browser on this machine' : 'no display: open this URL in a browser on this machine');
      console.log(`\n    ${url}\n`);
      say('Sign in with operator / operator123 (demo account). Press Ctrl+C to stop.');
    }
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(`[start] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
