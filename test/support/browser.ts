/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), with the flags this
 * machine needs. Screenshots go to test-results/<dir>/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { appRoot } from '../../src-main/host/paths.js';

export const CHROMIUM = process.env.QABYLDAU_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export function screenshotter(dir: string) {
  const out = join(appRoot(), 'test-results', dir);
  mkdirSync(out, { recursive: true });
  let n = 0;
  return async (page: Page, name: string) => {
    n += 1;
    const file = join(out, `${String(n).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
}
