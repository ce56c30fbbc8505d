/**
 * What the operator is told when the data cannot be opened at start (the window has no screen to
 * show yet): the sentence for the error code in Kazakh, Russian and English, from the same
 * translation files the renderer uses (src-renderer/i18n/<lang>/errors/crypto.json).
 */
import en from '../../src-renderer/i18n/en/errors/crypto.json' with { type: 'json' };
import kk from '../../src-renderer/i18n/kk/errors/crypto.json' with { type: 'json' };
import ru from '../../src-renderer/i18n/ru/errors/crypto.json' with { type: 'json' };

const TEXTS: Record<string, Record<string, string>> = { kk, ru, en };

export function isKeyStartError(code: string | undefined): boolean {
  return code !== undefined && code in en;
}

/** The three sentences, Kazakh first, with the error's parameters filled in. */
export function keyStartMessage(code: string, params: Record<string, string | number | boolean> = {}): string {
  return ['kk', 'ru', 'en']
    .map((lang) => (TEXTS[lang]![code] ?? code).replace(/\{\{(\w+)\}\}/g, (_m, k: string) => String(params[k] ?? '')))
    .join('\n');
}
