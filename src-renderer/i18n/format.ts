/**
 * Dates and times in the UI language's own way: a date in words as official papers write it
 * (kk "2026 жылғы 2 желтоқсан", ru "2 декабря 2026 г.", en "2 December 2026";
 * contract/date-words.ts, the same words the papers print), times as HH:MM.
 */
import { formatLocalDate, type DateLanguage } from '../../src-main/contract/date-words.js';

const LOCALES: Record<string, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

const lang3 = (lang: string): DateLanguage => (lang === 'ru' || lang === 'en' ? lang : 'kk');

/** The local calendar date of an instant, 'YYYY-MM-DD' (the workstation's time zone). */
function localDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * Today in Almaty, 'YYYY-MM-DD': the Centre's day, the one the main process dates requests, due
 * dates and the dashboard's periods by (calendar/local-date.ts), whatever the workstation's zone.
 */
export function almatyToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A date ('YYYY-MM-DD' or an instant) in words. */
export function formatDate(iso: string, lang: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return formatLocalDate(iso, lang3(lang));
  return formatLocalDate(localDay(new Date(iso)), lang3(lang));
}

function timeOf(d: Date, lang: string): string {
  return d.toLocaleTimeString(LOCALES[lang] ?? 'kk-KZ', { hour: '2-digit', minute: '2-digit', hour12: false });
}

export function formatDateTime(iso: string, lang: string): string {
  const d = new Date(iso);
  return `${formatLocalDate(localDay(d), lang3(lang))}, ${timeOf(d, lang)}`;
}

/** A time of day (HH:MM) when it is today, else the date and the time: "until 14:30", "until 2 December 2026, 09:00". */
export function formatTimeOfDay(iso: string, lang: string, now: Date = new Date()): string {
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay ? timeOf(d, lang) : formatDateTime(iso, lang);
}
