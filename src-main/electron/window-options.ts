/**
 * The security settings of the one window Electron creates, as plain data so a unit test can
 * assert each of them (test/unit/electron/electron-window.test.ts). Type-only import from electron.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { contentSecurityPolicy } from '../host/csp.js';

export const APP_SCHEME = 'qabyldau';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

export function windowOptions(opts: {
  kiosk: boolean;
  preloadPath: string;
  iconPath?: string;
  devTools?: boolean;
}): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: '#f4f6f8',
    title: 'Qabyldau',
    ...(opts.iconPath ? { icon: opts.iconPath } : {}),
    autoHideMenuBar: true,
    kiosk: opts.kiosk,
    fullscreen: opts.kiosk,
    fullscreenable: true,
    closable: true,
    webPreferences: { preload: opts.preloadPath, ...hardenedWebPreferences(opts.devTools ?? false) },
  };
}

/** The web preferences every window of the app shares (the main window adds its preload). */
export function hardenedWebPreferences(devTools: boolean) {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    disableDialogs: false,
    devTools,
  } satisfies BrowserWindowConstructorOptions['webPreferences'];
}

/** The CSP the Electron window gets (on every response of the app protocol). */
export function electronCsp(): string {
  return contentSecurityPolicy();
}

/** Whether devtools may open: only in a development run, never in a packaged build. */
export function devToolsAllowed(isPackaged: boolean, env: Record<string, string | undefined>): boolean {
  return !isPackaged && env.QABYLDAU_DEVTOOLS === '1';
}

/** Only our own app origin may call the contract over IPC. */
export function isTrustedSender(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'app';
  } catch {
    return false;
  }
}
