/**
 * axe on the two screens axe-screens.test.ts does not reach (issue 14), failing on any serious or
 * critical violation; reports in test-results/axe/:
 * - the NCALayer trust section of Settings, on a workstation that signs through NCALayer (a real
 *   local TLS WebSocket server stands in for it, test/support/ncalayer-double.ts), in its three
 *   states (not yet accepted, accepted, changed), in Kazakh, Russian and English;
 * - the customer display (#customer-display, a second tab of the same browser profile): idle, the
 *   Appendix 3 questionnaire, and the thanks. It is the applicant's screen: the questionnaire is in
 *   Kazakh or Russian (the regulation's two texts; the applicant switches), so it is checked in
 *   those two; its idle line is in both at once. Offers reach it over its BroadcastChannel as the
 *   operator's window sends them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAME, CUSTOMER_HASH, type DisplayMessage } from '../../src-main/contract/customer-display.js';
import { AXE_DIR, axeScreen, type AxeFinding } from '../support/axe.js';
import { chromiumWorld } from '../support/e2e.js';
import { startNcaLayerDouble } from '../support/ncalayer-double.js';
import { testPki } from '../support/pki.js';

const pki = testPki();
const stand = await startNcaLayerDouble({ cert: join(pki.dir, 'operator/rsa-valid.pem'), key: join(pki.dir, 'operator/rsa-valid.key.pem'), chain: join(pki.dir, 'ca/chain.pem') });
afterAll(() => stand.close());
const world = chromiumWorld({ signing: true, env: { QABYLDAU_SIGNING__PROVIDER: 'ncalayer', QABYLDAU_SIGNING__NCALAYER__URL: stand.url } });

/** axe on the customer display in the survey's language `lang` (its own switch, when the questionnaire is up). */
async function axeDisplay(display: Page, screen: string, lang: 'kk' | 'ru'): Promise<AxeFinding[]> {
  if (await display.getByTestId(`survey-lang-${lang}`).count()) await display.getByTestId(`survey-lang-${lang}`).click();
  await display.waitForFunction((l) => document.documentElement.lang === l, lang);
  const result = await new AxeBuilder({ page: display }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  mkdirSync(AXE_DIR, { recursive: true });
  writeFileSync(join(AXE_DIR, `${screen}-${lang}.json`), JSON.stringify({ url: result.url, violations: result.violations, passes: result.passes.length }, null, 2));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ screen, lang, id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

describe('axe on the NCALayer trust section and the customer display', () => {
  it('finds no serious or critical violation in the trust section (kk, ru, en) in each of its states', { timeout: 240_000 }, async () => {
    const { stack } = world;
    // A page of its own context: axe opens a helper page beside it in the same context.
    const page = await (await world.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(stack.web.newOpenUrl());
    await page.getByTestId('login').fill('admin');
    await page.getByTestId('password').fill('admin123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-settings').click();
    const panel = page.getByTestId('ncalayer-trust');
    await expect.poll(() => panel.getAttribute('data-state')).toBe('not_pinned');
    const findings: AxeFinding[] = [];
    findings.push(...(await axeScreen(page, 'ncalayer-not-pinned')));
    await page.getByTestId('ncalayer-accept').click();
    await expect.poll(() => panel.getAttribute('data-state')).toBe('pinned');
    findings.push(...(await axeScreen(page, 'ncalayer-pinned')));
    stand.replaceCertificate();
    await page.getByTestId('ncalayer-refresh').click();
    await expect.poll(() => panel.getAttribute('data-state')).toBe('changed');
    await page.getByTestId('ncalayer-pinned').waitFor();
    findings.push(...(await axeScreen(page, 'ncalayer-changed')));
    expect(findings).toEqual([]);
  });

  it('finds no serious or critical violation on the customer display, idle, asking (kk, ru) and thanking', { timeout: 120_000 }, async () => {
    const { stack } = world;
    const context = await world.browser.newContext({ viewport: { width: 900, height: 700 } });
    const operator = await context.newPage();
    // A context of its own opens the app with a fresh one-time link; the display's tab shares its session cookie.
    await operator.goto(stack.web.newOpenUrl());
    await operator.waitForFunction(() => (document.getElementById('root')?.childElementCount ?? 0) > 0);
    const display = await context.newPage();
    await display.goto(`${stack.web.origin}/${CUSTOMER_HASH}`);
    await display.getByTestId('customer-display').waitFor();
    const findings: AxeFinding[] = [];
    findings.push(...(await axeDisplay(display, 'customer-display-idle', 'kk')));

    // What the operator's window sends: an offer (here in Kazakh), then, once answered, "stored".
    const send = (m: DisplayMessage) => operator.evaluate(([name, msg]) => new BroadcastChannel(name).postMessage(msg), [CHANNEL_NAME, m] as const);
    const answers = operator.evaluate(
      (name) =>
        new Promise<unknown>((resolve) => {
          const c = new BroadcastChannel(name);
          c.onmessage = (e: MessageEvent) => (e.data as { type?: string }).type === 'answers' && resolve(e.data);
        }),
      CHANNEL_NAME,
    );
    await send({ type: 'offer', offer: { id: 'axe-offer', language: 'kk', serviceName: { kk: 'Эмиссияларға рұқсат', ru: 'Разрешение на эмиссии' } } });
    await display.getByTestId('survey-form').waitFor();
    findings.push(...(await axeDisplay(display, 'customer-display-asking', 'kk')));
    findings.push(...(await axeDisplay(display, 'customer-display-asking', 'ru')));
    await display.getByTestId('survey-quality-3').check();
    await display.getByTestId('survey-information-2').check();
    await display.getByTestId('survey-send').click();
    expect(await answers).toEqual({ type: 'answers', id: 'axe-offer', answers: { quality: 3, information: 2 } });
    await send({ type: 'stored', id: 'axe-offer' });
    await display.getByTestId('survey-thanks').waitFor();
    findings.push(...(await axeDisplay(display, 'customer-display-thanks', 'ru')));
    await context.close();
    expect(findings).toEqual([]);
  });
});
