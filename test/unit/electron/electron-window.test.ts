/**
 * The window main.ts creates is built by windowOptions(); main.ts passes it straight to
 * new BrowserWindow(). Every security option is asserted here, and the CSP it serves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../../../src-main/host/paths.js';
import { devToolsAllowed, electronCsp, isTrustedSender, windowOptions } from '../../../src-main/electron/window-options.js';

describe('the Electron window', () => {
  const opts = windowOptions({ kiosk: false, preloadPath: '/app/dist/main/preload.cjs' });
  const wp = opts.webPreferences!;

  it('isolates the renderer: context isolation, sandbox, no Node anywhere', () => {
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and risky features off', () => {
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.experimentalFeatures).toBe(false);
    expect(wp.webviewTag).toBe(false);
    expect(wp.navigateOnDragDrop).toBe(false);
    expect(wp.preload).toBe('/app/dist/main/preload.cjs');
  });

  it('has devtools off unless explicitly allowed, and never in a packaged build', () => {
    expect(wp.devTools).toBe(false);
    expect(devToolsAllowed(true, { QABYLDAU_DEVTOOLS: '1' })).toBe(false);
    expect(devToolsAllowed(false, {})).toBe(false);
    expect(devToolsAllowed(false, { QABYLDAU_DEVTOOLS: '1' })).toBe(true);
  });

  it('goes full screen in kiosk mode with no menu bar', () => {
    const k = windowOptions({ kiosk: true, preloadPath: 'p' });
    expect(k.kiosk).toBe(true);
    expect(k.fullscreen).toBe(true);
    expect(k.autoHideMenuBar).toBe(true);
    expect(opts.kiosk).toBe(false);
  });

  it('serves a CSP with no inline script, no eval, nothing from outside the app', () => {
    const csp = electronCsp();
    const directives: Record<string, string[]> = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(directives['form-action']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-|\*|https?:/);
  });

  it('accepts IPC only from the app origin', () => {
    expect(isTrustedSender('qabyldau://app/index.html')).toBe(true);
    expect(isTrustedSender('file:///app/index.html')).toBe(false);
    expect(isTrustedSender('https://evil.example/')).toBe(false);
    expect(isTrustedSender('qabyldau://other/index.html')).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });

  it('is the window main.ts creates, with every guard wired (source check)', () => {
    // main.ts cannot run here (no Electron binary); assert it uses these options and guards.
    const src = readFileSync(join(appRoot(), 'src-main', 'main.ts'), 'utf8');
    for (const needle of [
      'new BrowserWindow(\n        windowOptions(',
      'requestSingleInstanceLock()',
      "app.on('second-instance'",
      // Every window.open is refused; the customer display is made by main.ts itself (customer-window.test.ts).
      "if (contents === win?.webContents && isCustomerDisplayUrl(url)) openCustomerDisplay();\n      return { action: 'deny' };",
      "contents.on('will-navigate'",
      'setPermissionRequestHandler((_wc, _permission, callback) => callback(false))',
      'setPermissionCheckHandler(() => false)',
      'isTrustedSender(event.senderFrame?.url)',
      "'content-security-policy': csp",
      'if (kiosk && !quitAllowed) e.preventDefault()',
      'Menu.setApplicationMenu(null)',
    ]) {
      expect(src, needle).toContain(needle);
    }
  });
});
