/**
 * Electron's main process: the thin shell. It builds the host (src-main/host), creates one
 * hardened window, serves the renderer from the app's own protocol with a strict CSP, wires the
 * contract to IPC, and enforces kiosk mode. No application logic lives here.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, type WebContents } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type Envelope } from './contract/wire.js';
import { describeStartError, startHost, type Started } from './host/start.js';
import { listPrinters, printPdf } from './electron/print.js';
import type { KeySealer } from './crypto/keyring.js';
import { safeStorageSealer } from './electron/safe-storage.js';
import { electronScanWorkerSpawner } from './electron/scan-worker-electron.js';
import { customerWindowOptions, CUSTOMER_DISPLAY_URL, isCustomerDisplayUrl } from './electron/customer-window.js';
import { APP_ORIGIN, APP_SCHEME, devToolsAllowed, electronCsp, isTrustedSender, windowOptions } from './electron/window-options.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '..', 'renderer');
const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// `Qabyldau.exe --admin <command> [options]`: the administrator's commands (scripts/admin.ts,
// bundled as dist/main/admin.js) through the app itself, because the packaged Electron cannot run
// as Node (the RunAsNode fuse is off) and only the app can unseal a keyring sealed by safeStorage.
// No window, no single-instance lock (backup-now and integrity run beside the app).
/** dist/main/admin.js (scripts/admin.ts): runAdmin(argv, out?, env?, now?, { sealer }) → exit status. */
type AdminModule = {
  runAdmin: (argv: string[], out?: (line: string) => void, env?: Record<string, string | undefined>, now?: () => Date, o?: { sealer?: KeySealer }) => Promise<number>;
};
const adminAt = process.argv.indexOf('--admin');
if (adminAt >= 0) {
  void app
    .whenReady()
    .then(async () => {
      const adminModule = new URL('./admin.js', import.meta.url).href;
      const { runAdmin } = (await import(adminModule)) as AdminModule;
      return runAdmin(process.argv.slice(adminAt + 1), undefined, undefined, undefined, { ...(safeStorageSealer() ? { sealer: safeStorageSealer()! } : {}) });
    })
    .then(
      (code) => app.exit(code),
      (e: unknown) => {
        const err = e as { code?: string; params?: unknown };
        console.error(`failed: ${err.code ?? 'INTERNAL'} ${JSON.stringify(err.params ?? {})}`);
        app.exit(2);
      },
    );
} else if (!app.requestSingleInstanceLock()) {
  // A second launch: the first instance focuses its window (see 'second-instance' below).
  app.quit();
} else {
  let win: BrowserWindow | null = null;
  let started: Started | null = null;
  let quitAllowed = false;
  let customer: BrowserWindow | null = null;

  // The customer display (the questionnaire turned to the applicant): one window, made here with
  // its own options (no preload), never by window.open's defaults; on a second screen if any.
  const openCustomerDisplay = () => {
    if (customer) {
      customer.show();
      return;
    }
    const main = screen.getPrimaryDisplay();
    const other = screen.getAllDisplays().find((d) => d.id !== main.id);
    customer = new BrowserWindow(customerWindowOptions(other ? { bounds: other.bounds, isSecond: true } : { bounds: main.bounds, isSecond: false }));
    customer.once('ready-to-show', () => customer?.showInactive());
    customer.on('closed', () => (customer = null));
    void customer.loadURL(CUSTOMER_DISPLAY_URL);
  };

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });

  // Every web contents, present and future: no navigation away, no new windows, no webviews.
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      // The one window the renderer may ask for, made by us (the request itself is refused).
      if (contents === win?.webContents && isCustomerDisplayUrl(url)) openCustomerDisplay();
      return { action: 'deny' };
    });
    contents.on('will-navigate', (e, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault();
    });
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  app.on('before-quit', (e) => {
    if (started?.loaded.config.kiosk && !quitAllowed) e.preventDefault();
  });

  app.on('window-all-closed', () => {
    if (!started?.loaded.config.kiosk || quitAllowed) app.quit();
  });

  app
    .whenReady()
    .then(async () => {
      const keySealer = safeStorageSealer();
      started = await startHost('electron', {
        // The data key sealed by DPAPI / the desktop keyring (else the key file's rights).
        ...(keySealer ? { keySealer } : {}),
        // The scanner worker runs as Electron's utilityProcess (a crash there never takes main down).
        scanSpawner: electronScanWorkerSpawner(join(here, 'scan-worker.mjs')),
        onQuit: () => {
          quitAllowed = true;
          app.quit();
        },
        printer: {
          list: async () => (win ? (await listPrinters(win.webContents)).map((p) => ({ name: p.name, displayName: p.displayName })) : []),
          // Kiosk mode prints silently to the default (or chosen) printer; otherwise the system dialog.
          print: async (pdf, { deviceName }) => {
            if (!win) throw new Error('no window');
            const file = join(app.getPath('temp'), `qabyldau-${randomUUID()}.pdf`);
            await writeFile(file, pdf, { mode: 0o600 });
            try {
              await printPdf(win.webContents, { pdfPath: file, silent: Boolean(started?.loaded.config.kiosk), ...(deviceName ? { deviceName } : {}) });
            } finally {
              await rm(file, { force: true });
            }
          },
        },
      });
      const { host, loaded } = started;
      const kiosk = loaded.config.kiosk;
      const csp = electronCsp();

      session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
      session.defaultSession.setPermissionCheckHandler(() => false);
      session.defaultSession.setDevicePermissionHandler(() => false);

      protocol.handle(APP_SCHEME, async (request) => {
        const url = new URL(request.url);
        const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
        const file = normalize(join(rendererDir, rel));
        if (url.host !== 'app' || !file.startsWith(normalize(rendererDir) + sep)) return new Response('not found', { status: 404 });
        try {
          const body = await readFile(file);
          return new Response(body, {
            headers: { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-security-policy': csp, 'x-content-type-options': 'nosniff' },
          });
        } catch {
          return new Response('not found', { status: 404 });
        }
      });

      ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, op: unknown, input: unknown): Promise<Envelope> => {
        if (!win || event.sender !== win.webContents || !isTrustedSender(event.senderFrame?.url)) {
          return { ok: false, error: { code: 'FORBIDDEN', params: {}, retryable: false } };
        }
        return host.dispatcher.invoke(op, input);
      });

      if (kiosk) Menu.setApplicationMenu(null);
      win = new BrowserWindow(
        windowOptions({
          kiosk,
          preloadPath: join(here, 'preload.cjs'),
          devTools: devToolsAllowed(app.isPackaged, process.env),
        }),
      );
      win.on('close', (e) => {
        if (kiosk && !quitAllowed) e.preventDefault();
      });
      win.once('ready-to-show', () => win?.show());
      const unsubscribe = host.events.subscribe((name, payload) => win?.webContents.send(IPC_EVENT_CHANNEL, name, payload));
      win.on('closed', () => {
        unsubscribe();
        customer?.destroy();
        win = null;
      });
      await win.loadURL(`${APP_ORIGIN}/index.html`);
    })
    .catch((e: unknown) => {
      dialog.showErrorBox('Qabyldau', describeStartError(e));
      app.exit(2);
    });

  app.on('will-quit', (e) => {
    if (!started) return;
    const s = started;
    started = null;
    e.preventDefault();
    void s.host
      .close()
      .then(() => s.logger.close())
      .finally(() => app.exit(0));
  });
}
