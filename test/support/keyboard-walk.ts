/**
 * A whole acceptance at the counter driven with the keyboard only, in a real Chromium: log in,
 * search the service, identify the applicant by IIN, five documents (a 10-page batch from the
 * SANE test device's feeder into the first, one sheet from the glass into each of the others),
 * look at a page at reading size, sign, print the receipt. Shared by the e2e test (no pacing)
 * and `npm run bench:acceptance` (a scripted operator: 200 characters a minute, 1 s per decision).
 *
 * Keyboard only is checked, not assumed: the page counts every pointer event (pointerdown,
 * mousedown, a click with a mouse's detail) from the start, and the walk fails on any.
 * The page also records, for every key press, the time to the next frame after it (a
 * requestAnimationFrame, then a message: the frame's work is done).
 */
import type { Page } from 'playwright-core';

export interface WalkPace {
  /** Milliseconds per character typed (200 per minute = 300). */
  charMs: number;
  /** Milliseconds the operator takes to decide before each action. */
  decisionMs: number;
}

export type WaitKind = 'app' | 'backend' | 'scan';
/** Diagram 3's steps the walk covers (P4 is the refusal, not walked; P6/P7 are the machines'), then the receipt. */
export type WalkPhase = 'P1' | 'P2' | 'P3' | 'P5' | 'receipt';
export interface Wait {
  step: string;
  phase: WalkPhase;
  kind: WaitKind;
  ms: number;
  /** For a scan: the pages it brought. */
  pages?: number;
}

export interface WalkResult {
  totalMs: number;
  operatorMs: number;
  /** When each phase began, ms from the start (in walk order; the last ends at totalMs). */
  phases: { phase: WalkPhase; atMs: number }[];
  waits: Wait[];
  /** Key press → next frame, ms, for every key pressed. */
  frames: number[];
  pointerEvents: number;
  localNumber: string;
  /** The reviewed page's width on screen, px. */
  viewerWidth: number;
}

export interface WalkHooks {
  /** Called when a screen is ready (axe, screenshots); its time is not counted. */
  onScreen?: (name: 'login' | 'service' | 'search' | 'applicant' | 'documents' | 'viewer' | 'help' | 'sign' | 'done') => Promise<void>;
  /** The SANE test device's feeder gives this many sheets (10). */
  adfPages?: number;
  scanTimeoutMs?: number;
}

declare global {
  interface Window {
    __qabPointer?: number;
    __qabFrames?: number[];
    /** The done screen's request status as it changes: [status, performance.now()]. */
    __qabStatus?: [string, number][];
  }
}

/** Installs the pointer guard and the frame probe; call before the first navigation. */
export async function instrument(page: Page): Promise<void> {
  // A string, not a function: a transpiler's helpers (esbuild's __name) do not exist in the page.
  await page.addInitScript({
    content: `
      window.__qabPointer = 0;
      window.__qabFrames = [];
      function qabCount() { window.__qabPointer += 1; }
      addEventListener('pointerdown', qabCount, true);
      addEventListener('mousedown', qabCount, true);
      addEventListener('click', function (e) { if (e.detail > 0) qabCount(); }, true);
      window.__qabStatus = [];
      new MutationObserver(function () {
        var el = document.querySelector('[data-testid="done-status"]');
        var s = el && el.getAttribute('data-status');
        var last = window.__qabStatus[window.__qabStatus.length - 1];
        if (s && (!last || last[0] !== s)) window.__qabStatus.push([s, performance.now()]);
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
      addEventListener('keydown', function (e) {
        var t = e.timeStamp;
        requestAnimationFrame(function () {
          var ch = new MessageChannel();
          ch.port1.onmessage = function () { window.__qabFrames.push(performance.now() - t); };
          ch.port2.postMessage(0);
        });
      }, true);
    `,
  });
}

export async function keyboardAcceptance(page: Page, url: string, pace: WalkPace, hooks: WalkHooks = {}): Promise<WalkResult> {
  const waits: Wait[] = [];
  const phases: WalkResult['phases'] = [];
  let phase: WalkPhase = 'P1';
  let operatorMs = 0;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const screen = async (name: Parameters<NonNullable<WalkHooks['onScreen']>>[0]) => hooks.onScreen?.(name);
  const decide = async () => {
    if (pace.decisionMs) await sleep(pace.decisionMs);
    operatorMs += pace.decisionMs;
  };
  const type = async (text: string) => {
    const t0 = performance.now();
    await page.keyboard.type(text, { delay: pace.charMs });
    operatorMs += performance.now() - t0;
  };
  const press = async (key: string) => {
    await decide();
    await page.keyboard.press(key);
  };
  /** Times from the action just taken to `ready`. */
  const until = async (step: string, kind: WaitKind, ready: () => Promise<unknown>, pages?: number) => {
    const t0 = performance.now();
    await ready();
    waits.push({ step, phase, kind, ms: performance.now() - t0, ...(pages ? { pages } : {}) });
  };
  const begin = (p: WalkPhase) => {
    phase = p;
    phases.push({ phase: p, atMs: performance.now() - start });
  };
  const testId = (id: string) => page.getByTestId(id);
  const focused = (id: string) => page.waitForFunction((x) => document.activeElement?.getAttribute('data-testid') === x, id);
  const scanTimeout = hooks.scanTimeoutMs ?? 120_000;
  const start = performance.now();
  begin('P1');

  await until('open', 'app', async () => {
    await page.goto(url);
    await focused('login');
  });
  await screen('login');
  // P1: log in.
  await decide();
  await type('operator');
  await press('Tab');
  await type('operator123');
  await press('Enter');
  await until('log-in', 'app', () => focused('service-search'));
  begin('P2');
  await screen('service');
  // A question mark typed into the field stays in the field (no shortcut takes it); F1 opens the list.
  await page.keyboard.type('?');
  if ((await testId('service-search').inputValue()) !== '?') throw new Error('a shortcut took the "?" typed into the search field');
  await page.keyboard.press('Backspace');
  await press('F1');
  await testId('shortcut-help').waitFor();
  await screen('help');
  await page.keyboard.press('Escape');
  await focused('service-search');

  // P2: the service by a few words, typed as on a Russian keyboard (қ → к, ғ → г …).
  await decide();
  await type('алматы эмиссия III санатты');
  await until('search', 'app', () => page.waitForFunction(() => document.querySelector('[data-testid="service-result"][aria-selected="true"]')?.getAttribute('data-key') === 'emission-permit-almaty/cat-3'));
  await screen('search');
  await press('Enter');
  await until('to-applicant', 'app', () => focused('idn'));
  await screen('applicant');

  // P3: the IIN, looked up in the registry (the sandbox); Enter again opens the request.
  await decide();
  await type('900702400457');
  await decide();
  begin('P3');
  await page.keyboard.press('Enter');
  await until('registry', 'backend', () => focused('create-request'));
  await press('Enter');
  await until('to-documents', 'app', () => focused('presented-application'));
  begin('P5');
  const localNumber = (await testId('local-number').textContent()) ?? '';

  // P5: five documents. The application from the feeder (the default profile), 10 sheets.
  const adf = hooks.adfPages ?? 10;
  const required = await page.locator('[data-testid^="slot-"][data-required="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice(5)));
  const order = await page.locator('[data-testid^="slot-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice(5)));
  const thumbs = (slot: string, n: number) => page.waitForFunction(([s, k]) => document.querySelectorAll(`[data-testid="slot-${s}"] [data-testid="page-thumb"]`).length >= Number(k), [slot, n] as const, { timeout: scanTimeout });
  let at = 0;
  for (const [i, slot] of required.slice(0, 5).entries()) {
    while (order[at] !== slot) {
      await press('Alt+KeyD');
      at = (at + 1) % order.length;
    }
    await focused(`presented-${slot}`);
    await press('Space');
    // Ready when the mark is saved: the scan button is shown at once, enabled once the answer is in.
    await until(`mark-${slot}`, 'app', () => page.waitForFunction((s) => document.querySelector<HTMLButtonElement>(`[data-testid="scan-${s}"]`)?.disabled === false, slot));
    await press('Alt+KeyS');
    await until(`scan-${slot}`, 'scan', () => thumbs(slot, i === 0 ? adf : 1), i === 0 ? adf : 1);
    if (i > 0) continue;
    await screen('documents');
    // One sheet at a time on the glass from here on: the flatbed profile, in the list just above.
    await press('Shift+Tab');
    await focused('scan-profile');
    await page.keyboard.press('End');
    await page.keyboard.press('Tab');
    await focused('presented-application');
  }
  await until('complete', 'app', () => page.waitForFunction(() => document.querySelector<HTMLButtonElement>('[data-testid="to-sign"]')?.disabled === false));

  // The check before signing: the 10-page document's third page at reading size, zoomed in once.
  for (let k = 0; k < order.length; k++) {
    if (order[at] === 'application') break;
    await press('Alt+KeyD');
    at = (at + 1) % order.length;
  }
  await press('Alt+KeyV');
  await until('viewer', 'app', () => page.getByTestId('viewer-image').waitFor());
  await press('ArrowRight');
  await press('ArrowRight');
  await until('viewer-page', 'app', () => page.waitForFunction(() => /3/.test(document.querySelector('[data-testid="viewer-title"]')?.textContent ?? '') && Boolean(document.querySelector('[data-testid="viewer-image"]'))));
  await press('Equal');
  const viewerWidth = await page.getByTestId('viewer-image').evaluate((img) => img.getBoundingClientRect().width);
  await screen('viewer');
  await press('Escape');
  await until('viewer-closed', 'app', () => page.getByTestId('page-viewer').waitFor({ state: 'detached' }));

  // Sign: Alt+P, the key's password, Enter.
  await press('Alt+KeyP');
  await until('to-sign', 'app', () => focused('key-password'));
  await screen('sign');
  await decide();
  await type('Qwerty12');
  await press('Enter');
  await until('sign', 'app', () => testId('screen-done').waitFor());
  begin('receipt');
  await screen('done');

  // The receipt: one key, in the applicant's language (the first button, focused).
  await focused('receipt-kk');
  const popup = page.waitForEvent('popup');
  await press('Enter');
  await until('receipt', 'app', async () => {
    await (await popup).close();
    await testId('receipt-done').waitFor();
  });
  const totalMs = performance.now() - start;
  const frames = await page.evaluate(() => window.__qabFrames ?? []);
  const pointerEvents = await page.evaluate(() => window.__qabPointer ?? 0);
  return { totalMs, operatorMs, phases, waits, frames, pointerEvents, localNumber, viewerWidth };
}
