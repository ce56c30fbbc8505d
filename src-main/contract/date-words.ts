/**
 * Dates as the papers and the screens write them in words, the way each language writes a date
 * in an official paper: kk "2026 жылғы 2 желтоқсан", ru "2 декабря 2026 г.", en "2 December 2026".
 *
 * Russian and English come from Intl (every ICU build has them). Kazakh comes from the month
 * names below, the ones ICU's own kk data uses (test/unit/contract/date-words.test.ts compares
 * them with Node's Intl and the e2e walk with Chromium's), because ICU writes the year as
 * "2026 ж." where official Kazakh texts write "2026 жылғы", and a build without kk data (small ICU)
 * would fall back to English.
 */

export type DateLanguage = 'kk' | 'ru' | 'en';

/** Kazakh month names, January first (nominative, as in "2026 жылғы 2 желтоқсан"). */
export const KK_MONTHS = [
  'қаңтар',
  'ақпан',
  'наурыз',
  'сәуір',
  'мамыр',
  'маусым',
  'шілде',
  'тамыз',
  'қыркүйек',
  'қазан',
  'қараша',
  'желтоқсан',
] as const;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const INTL: Record<'ru' | 'en', Intl.DateTimeFormat> = {
  ru: new Intl.DateTimeFormat('ru-RU', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
};

/** A calendar date ('YYYY-MM-DD') in words; anything else is returned as it came. */
export function formatLocalDate(date: string, lang: DateLanguage): string {
  const m = LOCAL_DATE.exec(date);
  if (!m) return date;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return date;
  if (lang === 'kk') return `${year} жылғы ${day} ${KK_MONTHS[month - 1]}`;
  return INTL[lang].format(new Date(Date.UTC(year, month - 1, day)));
}
