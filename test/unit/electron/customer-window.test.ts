/**
 * The customer display's window (src-main/electron/customer-window.ts; main.ts passes these options
 * straight to new BrowserWindow): harder than the main window, with no preload at all, and only
 * the one URL of the customer display may ask for it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_DISPLAY_URL, customerWindowOptions, isCustomerDisplayUrl } from '../../../src-main/electron/customer-window.js';
import { appRoot } from '../../../src-main/host/paths.js';

describe('the customer display window', () => {
  const opts = customerWindowOptions(null);
  const wp = opts.webPreferences!;

  it('has no bridge to the contract: no preload, sandboxed, isolated, no Node, no devtools', () => {
    expect(wp.preload).toBeUndefined();
    expect(wp.sandbox).toBe(true);
    expect(wp.contextIsolation).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
    expect(wp.webSecurity).toBe(true);
    expect(wp.webviewTag).toBe(false);
    expect(wp.devTools).toBe(false);
  });

  it('goes full screen on a second display, and is a plain window on the only one', () => {
    expect(customerWindowOptions({ bounds: { x: 1920, y: 0, width: 1280, height: 1024 }, isSecond: true })).toMatchObject({ fullscreen: true, x: 1960, y: 40 });
    expect(customerWindowOptions({ bounds: { x: 0, y: 0, width: 1920, height: 1080 }, isSecond: false }).fullscreen).toBe(false);
  });

  it('opens only for the customer display route of our own origin', () => {
    expect(isCustomerDisplayUrl(CUSTOMER_DISPLAY_URL)).toBe(true);
    expect(CUSTOMER_DISPLAY_URL).toBe('qabyldau://app/index.html#customer-display');
    for (const url of ['https://example.org/#customer-display', 'qabyldau://app/index.html', 'qabyldau://app/index.html#customer-display?x', 'qabyldau://evil/index.html#customer-display']) {
      expect(isCustomerDisplayUrl(url), url).toBe(false);
    }
  });

  it('is the only window main.ts lets the renderer ask for, and is made by main.ts itself', () => {
    const main = readFileSync(join(appRoot(), 'src-main', 'main.ts'), 'utf8');
    expect(main).toMatch(/setWindowOpenHandler\(\(\{ url \}\) => \{[^}]*isCustomerDisplayUrl\(url\)\) openCustomerDisplay\(\);\s*return \{ action: 'deny' \};/);
    expect(main).toContain('new BrowserWindow(customerWindowOptions(');
  });
});
