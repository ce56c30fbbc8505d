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
 *
 * It tells the truth about how things ended: the exit code is 0 only when the app was closed
 * normally (or Ctrl+C); when the app or the sandbox dies abnormally (a non-zero exit, a signal) it
 * says which one died and how, stops the other, and exits non-zero, so whatever launched it sees a
 * failure. A sandbox of its own that is already running (recognised through the sandbox's admin API
 * with the token in its data folder, never through its public answers, which may be 503 during a
 * maintenance window) is reused, and a maintenance window is named.
 *
 *   node scripts/start.mjs [--prebuilt]     (--prebuilt: use the node_modules and dist/ already there, as the
 *                                            tests do: no npm ci, no build)
 *
 * Environment: SANDBOX_PORT (default 8787; the CRL point and the admin API use the next two ports),
 * QAB_DEV_DIR (default .qabyldau-dev: the development PKI and the sandbox's data).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureSystemPackages, root, setup } from './setup.mjs';

const say = (/** @type {string} */ m) => console.log(`[start] ${m}`);
const devDir = process.env.QAB_DEV_DIR ? resolve(process.env.QAB_DEV_DIR) : join(root, '.qabyldau-dev');

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
 * What the sandbox's admin API (on `adminPort`) says about itself when asked with the token the
 * sandbox wrote into its data folder: `ours` (it accepted our token: this is our own sandbox, in
 * maintenance or not), `foreign` (something answers there but does not know our token), or
 * `none` (nothing listens, or no token was ever written). The gateway's public answers are not
 * asked: during a maintenance window they are 503 like any other backend's.
 * @param {number} adminPort
 * @param {string} dataDir
 * @returns {Promise<{ kind: 'ours', maintenanceUntil: string | null } | { kind: 'foreign' | 'none' }>}
 */
export function askOwnSandbox(adminPort, dataDir) {
  const tokenFile = join(dataDir, 'admin-token');
  const token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '';
  return new Promise((done) => {
    const req = http.get(
      { host: '127.0.0.1', port: adminPort, path: '/admin/faults', timeout: 2000, agent: false, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          if (res.statusCode !== 200 || !token) return done({ kind: 'foreign' });
          try {
            const until = /** @type {{ maintenanceUntil?: unknown }} */ (JSON.parse(body)).maintenanceUntil;
            done({ kind: 'ours', maintenanceUntil: typeof until === 'string' ? until : null });
          } catch {
            done({ kind: 'foreign' });
          }
        });
      },
    );
    req.on('error', () => done({ kind: 'none' }));
    req.on('timeout', () => {
      req.destroy();
      done({ kind: 'foreign' });
    });
  });
}

/**
 * How a child ended, in words, and whether that was abnormal (a signal or a non-zero code).
 * @param {number | null} code
 * @param {NodeJS.Signals | null} signal
 */
export function describeExit(code, signal) {
  if (signal) return { abnormal: true, text: `was killed by ${signal}`, exitCode: 128 + (os.constants.signals[signal] ?? 1) };
  if (code !== 0) return { abnormal: true, text: `exited with code ${code}`, exitCode: code ?? 1 };
  return { abnormal: false, text: 'exited normally', exitCode: 0 };
}

/** Starts the sandbox unless our own one runs already; returns its URL and the child (null when reused). */
async function startSandbox(
  /** @type {{ dir: string, tls: { ca: string, clientCert: string, clientKey: string } } | null} */ pki,
) {
  const port = Number(process.env.SANDBOX_PORT ?? 8787);
  const dataDir = join(devDir, 'sandbox');
  const url = `${pki ? 'https' : 'http'}://127.0.0.1:${port}`;
  const own = await askOwnSandbox(port + 2, dataDir);
  if (own.kind === 'ours') {
    const until = own.maintenanceUntil ? new Date(own.maintenanceUntil) : null;
    say(
      until
        ? `our sandbox licensing backend is already running on ${url}, in a maintenance window until ${until.toLocaleTimeString()} (its admin API says so): reusing it; the app shows the maintenance and sends once it ends`
        : `our sandbox licensing backend is already running on ${url}: reusing it`,
    );
    return { url, child: null };
  }
  if (own.kind === 'foreign') {
    throw new Error(`another program answers on port ${port + 2} (the sandbox's admin API port) and it is not our sandbox: stop it, or set SANDBOX_PORT to another port`);
  }
  const args = ['--port', String(port), '--data', dataDir];
  // Without openssl there is no PKI: the sandbox then runs on plain HTTP (development only).
  if (pki) args.push('--pki', pki.dir);
  else args.push('--insecure-http');
  const child = spawn(process.execPath, [join(root, 'dist', 'sandbox', 'server.js'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const started = await new Promise((resolveUrl, reject) => {
    let out = '';
    const onData = (/** @type {Buffer} */ c) => {
      out += String(c);
      process.stdout.write(String(c));
      const m = /listening on (https?:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (/** @type {Buffer} */ more) => process.stdout.write(String(more)));
        resolveUrl(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`the sandbox ${describeExit(code, signal).text} before it listened; is port ${port}, ${port + 1} or ${port + 2} taken by another program? Set SANDBOX_PORT.`)),
    );
  });
  say(`sandbox licensing backend started (pid ${child.pid})`);
  return { url: /** @type {string} */ (started), child };
}

async function main() {
  const prebuilt = process.argv.includes('--prebuilt');
  if (prebuilt) {
    ensureSystemPackages('start');
    if (!existsSync(join(root, 'dist', 'main', 'browser-host.js'))) throw new Error('--prebuilt, but dist/ is not built: run node scripts/build.mjs');
    say('--prebuilt: using the node_modules and dist/ already there');
  } else {
    setup('start');
    const { buildMain, buildRenderer } = await import('./build.mjs');
    await buildMain();
    await buildRenderer();
  }
  mkdirSync(devDir, { recursive: true });
  const { ensureDevPki } = await import('./dev-pki.mjs');
  const pki = ensureDevPki(devDir, Number(process.env.SANDBOX_PORT ?? 8787));

  /** @type {import('node:child_process').ChildProcess[]} */
  const children = [];
  let stopping = false;
  const stopAll = () => {
    stopping = true;
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  };
  /** Ends `npm start` with `code`, after saying why when it is not a success. */
  const finish = (/** @type {number} */ code, /** @type {string | null} */ why) => {
    if (why) console.error(`[start] ${why}`);
    stopAll();
    process.exit(code);
  };
  process.on('SIGINT', () => finish(0, null));
  process.on('SIGTERM', () => finish(0, null));
  /**
   * Watches a child: when it dies abnormally (a signal, a non-zero code) and we did not stop it,
   * everything stops and `npm start` exits non-zero naming it. `normal` handles a normal exit.
   */
  const watch = (/** @type {import('node:child_process').ChildProcess} */ child, /** @type {string} */ name, /** @type {() => void} */ normal) => {
    children.push(child);
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const how = describeExit(code, signal);
      if (how.abnormal) finish(how.exitCode, `${name} ${how.text}: stopping everything (exit code ${how.exitCode})`);
      else normal();
    });
  };

  const sandbox = await startSandbox(pki);
  if (sandbox.child) {
    watch(sandbox.child, 'the sandbox licensing backend', () => say('the sandbox licensing backend stopped (exited normally); the app keeps running and shows the backend unreachable'));
  }
  const backendUrl = sandbox.url;
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
    say(`the desktop app started (pid ${child.pid})`);
    watch(child, 'the app (Electron)', () => finish(0, null));
    return;
  }
  say(
    'path' in electron
      ? 'Electron is installed but there is no display: serving the UI through the browser host instead'
      : `${electron.reason}: serving the UI through the browser host instead`,
  );
  const host = spawn(process.execPath, [join(root, 'dist', 'main', 'browser-host.js')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env });
  say(`the app (browser host) started (pid ${host.pid})`);
  watch(host, 'the app (browser host)', () => finish(0, null));
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
