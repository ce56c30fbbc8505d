/** Dates and times in the UI language's own way (kk and ru: 23.11.2026, en: 23 Nov 2026). */
const LOCALES: Record<string, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

export function formatDate(iso: string, lang: string): string {
  return new Date(iso).toLocaleDateString(LOCALES[lang] ?? 'kk-KZ', { day: '2-digit', month: '2-digit', year: 'numeric' });
}

export function formatDateTime(iso: string, lang: string): string {
  return new Date(iso).toLocaleString(LOCALES[lang] ?? 'kk-KZ', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A time of day (HH:MM) when it is today, else the date and the time: "until 14:30", "until 02.12.2026, 09:00". */
export function formatTimeOfDay(iso: string, lang: string, now: Date = new Date()): string {
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  const locale = LOCALES[lang] ?? 'kk-KZ';
  return sameDay ? d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }) : formatDateTime(iso, lang);
}
