/**
 * Accessibility checks with axe-core in the real Chromium: every screen is analysed in Kazakh,
 * Russian and English; the results are kept (test-results/axe/) and serious or critical
 * violations are returned for the test to fail on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { appRoot } from '../../src-main/host/paths.js';

export interface AxeFinding {
  screen: string;
  lang: string;
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

export const AXE_DIR = join(appRoot(), 'test-results', 'axe');

/** Sets the UI language the way the language switch does, without a pointer event (test instrumentation, not an operator step). */
export async function switchLanguage(page: Page, lang: 'kk' | 'ru' | 'en'): Promise<void> {
  await page.evaluate((l) => document.querySelector<HTMLButtonElement>(`[data-testid="lang-${l}"]`)?.click(), lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

/** Runs axe on what is on screen now, in each language; returns the serious and critical findings. */
export async function axeScreen(page: Page, screen: string, langs: readonly ('kk' | 'ru' | 'en')[] = ['kk', 'ru', 'en']): Promise<AxeFinding[]> {
  mkdirSync(AXE_DIR, { recursive: true });
  const back = (await page.evaluate(() => document.documentElement.lang)) as 'kk' | 'ru' | 'en';
  const found: AxeFinding[] = [];
  for (const lang of langs) {
    if (lang !== (await page.evaluate(() => document.documentElement.lang))) await switchLanguage(page, lang);
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    writeFileSync(join(AXE_DIR, `${screen}-${lang}.json`), JSON.stringify({ url: result.url, violations: result.violations, passes: result.passes.length, incomplete: result.incomplete.length }, null, 2));
    for (const v of result.violations) {
      if (v.impact === 'serious' || v.impact === 'critical') {
        found.push({ screen, lang, id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) });
      }
    }
  }
  if (back !== (await page.evaluate(() => document.documentElement.lang))) await switchLanguage(page, back);
  return found;
}

/** Writes the summary of every screen checked (test-results/axe/summary.json). */
export function saveAxeSummary(screens: string[], findings: AxeFinding[]): void {
  mkdirSync(AXE_DIR, { recursive: true });
  writeFileSync(join(AXE_DIR, 'summary.json'), JSON.stringify({ screens, seriousOrCritical: findings }, null, 2));
}
