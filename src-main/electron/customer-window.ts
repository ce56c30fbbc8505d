/**
 * The customer display: a second window turned to the applicant, showing only the Appendix 3
 * questionnaire (the renderer's #customer-display route). It is harder than the main window: no
 * preload (so no bridge to the contract at all: the answers go back to the operator's window over
 * a BroadcastChannel and that window stores them), sandboxed, no devtools, no navigation, no
 * new windows. On a second screen when there is one. Plain data + one small function; the only
 * Electron calls are in main.ts.
 */
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { CUSTOMER_DISPLAY_HASH } from '../contract/wire.js';
import { APP_ORIGIN, hardenedWebPreferences } from './window-options.js';

export const CUSTOMER_DISPLAY_URL = `${APP_ORIGIN}/index.html${CUSTOMER_DISPLAY_HASH}`;

/** Whether a window.open from the operator's window asks for the customer display (and nothing else). */
export function isCustomerDisplayUrl(url: string): boolean {
  return url === CUSTOMER_DISPLAY_URL;
}

/** The options of the customer display; `screen` is the display to put it on (a second one if any). */
export function customerWindowOptions(screen: { bounds: Rectangle; isSecond: boolean } | null): BrowserWindowConstructorOptions {
  const bounds = screen?.bounds;
  return {
    width: 900,
    height: 700,
    ...(bounds ? { x: bounds.x + 40, y: bounds.y + 40 } : {}),
    // Full screen on the applicant's own display; a plain window beside the app otherwise.
    fullscreen: Boolean(screen?.isSecond),
    show: false,
    title: 'Qabyldau',
    autoHideMenuBar: true,
    backgroundColor: '#f4f6f8',
    // No preload: the display has no bridge to the contract.
    webPreferences: hardenedWebPreferences(false),
  };
}
