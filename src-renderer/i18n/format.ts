/** Dates and times in the UI language's own way (kk and ru: 23.11.2026, en: 23 Nov 2026). */
const LOCALES: Record<string, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

export function formatDate(iso: string, lang: string): string {
  return new Date(iso).toLocaleDateString(LOCALES[lang] ?? 'kk-KZ', { day: '2-digit', month: '2-digit', year: 'numeric' });
}

export function formatDateTime(iso: string, lang: string): string {
  return new Date(iso).toLocaleString(LOCALES[lang] ?? 'kk-KZ', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}
