/**
 * The set-up every end-to-end file shares: a stack (sandbox backend, host, browser host) and
 * Debian's Chromium with one page, started before the file's tests and closed after them.
 *
 *   const world = chromiumWorld({ signing: true });
 *   it('…', async () => { await world.page.goto(world.stack.web.url); });
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';
import { startStack, type Stack, type StackOptions } from './stack.js';

export interface ChromiumWorld {
  readonly stack: Stack;
  readonly browser: Browser;
  readonly page: Page;
}

export function chromiumWorld(opts: StackOptions = {}, viewport = { width: 1280, height: 900 }): ChromiumWorld {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    stack = await startStack(opts);
    browser = await launchChromium();
    page = await browser.newPage({ viewport });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the Chromium world is used before beforeAll started it');
    return v;
  };
  return {
    get stack() {
      return started(stack);
    },
    get browser() {
      return started(browser);
    },
    get page() {
      return started(page);
    },
  };
}

/** Opens the app and signs in with the demo operator account, as the walks that are not about log-in begin. */
export async function signInAsOperator(world: ChromiumWorld): Promise<void> {
  const { page, stack } = world;
  await page.goto(stack.web.url);
  await page.getByTestId('login').fill('operator');
  await page.getByTestId('password').fill('operator123');
  await page.getByTestId('login-submit').click();
}
