/**
 * UI languages: Kazakh (default), Russian, English, through i18next. Locale files live in
 * i18n/<lang>/<namespace>.json; every file under i18n/<lang>/errors/ is merged into the "errors"
 * namespace (one file per service, keyed by error code).
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../src-main/contract/model';

type Dict = Record<string, string>;
const files = import.meta.glob<Dict>('./*/**/*.json', { eager: true, import: 'default' });

export const LANGUAGES: Language[] = ['kk', 'ru', 'en'];

function resources(): Record<string, Record<string, Dict>> {
  const out: Record<string, Record<string, Dict>> = {};
  for (const [path, dict] of Object.entries(files)) {
    const m = /^\.\/(kk|ru|en)\/(?:(errors)\/[^/]+|([^/]+))\.json$/.exec(path);
    if (!m) continue;
    const lang = m[1]!;
    const ns = m[2] ?? m[3]!;
    out[lang] ??= {};
    out[lang][ns] = { ...(out[lang][ns] ?? {}), ...dict };
  }
  return out;
}

const STORAGE_KEY = 'qabyldau.language';

export function savedLanguage(): Language | null {
  const v = localStorage.getItem(STORAGE_KEY);
  return v === 'kk' || v === 'ru' || v === 'en' ? v : null;
}

export async function setLanguage(lang: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  await i18next.changeLanguage(lang);
}

export async function initI18n(): Promise<void> {
  const lang = savedLanguage() ?? 'kk';
  document.documentElement.lang = lang;
  const res = resources();
  await i18next.use(initReactI18next).init({
    resources: res,
    lng: lang,
    fallbackLng: 'kk',
    defaultNS: 'common',
    // Every namespace there is a file of (Kazakh has them all: the default and the fallback).
    ns: Object.keys(res.kk ?? {}),
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

export default i18next;
