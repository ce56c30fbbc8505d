/**
 * The words for a service deadline, written once: the receipt, the issuance sheet and the screens
 * all say them (src-main/papers/texts.ts and the renderer import this file), so the operator and
 * the applicant read the same sentence.
 *
 * Plural forms come from the language's CLDR plural rules (Intl.PluralRules, the rules i18next
 * uses): ru one/few/many ("1 рабочий день", "2 рабочих дня", "10 рабочих дней"), en one/other;
 * Kazakh keeps the noun singular after a numeral ("10 жұмыс күні").
 *
 * Pure code with no dependencies, importable by the renderer.
 */
import { formatLocalDate } from './date-words.js';

export type DeadlineUnit = 'calendar_days' | 'working_days' | 'months';
/**
 * What a deadline is counted from, by the request's own regulation: the registration of the
 * request in E-licensing, or the handing of the package of documents to the State Corporation
 * (seed 003: "from the moment the package is handed to the provider or the State Corporation").
 */
export type DeadlineBasis = 'registration' | 'handover';
export type WordsLanguage = 'kk' | 'ru' | 'en';

export interface DeadlineWordsRule {
  unit: DeadlineUnit;
  count: number;
  countsFrom: DeadlineBasis;
}

type Forms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const UNIT_WORDS: Record<WordsLanguage, Record<DeadlineUnit, Forms>> = {
  kk: {
    working_days: { other: 'жұмыс күні' },
    calendar_days: { other: 'күнтізбелік күн' },
    months: { other: 'ай' },
  },
  ru: {
    working_days: { one: 'рабочий день', few: 'рабочих дня', many: 'рабочих дней', other: 'рабочего дня' },
    calendar_days: { one: 'календарный день', few: 'календарных дня', many: 'календарных дней', other: 'календарного дня' },
    months: { one: 'месяц', few: 'месяца', many: 'месяцев', other: 'месяца' },
  },
  en: {
    working_days: { one: 'working day', other: 'working days' },
    calendar_days: { one: 'calendar day', other: 'calendar days' },
    months: { one: 'month', other: 'months' },
  },
};

const plurals = new Map<WordsLanguage, Intl.PluralRules>();

/** The word form a count takes in the language (CLDR cardinal plural rules). */
export function pluralForm(lang: WordsLanguage, count: number, forms: Forms): string {
  let rules = plurals.get(lang);
  if (!rules) plurals.set(lang, (rules = new Intl.PluralRules(lang)));
  return forms[rules.select(count)] ?? forms.other;
}

/** "10 рабочих дней", "1 month", "30 күнтізбелік күн". */
export function periodWords(lang: WordsLanguage, unit: DeadlineUnit, count: number): string {
  return `${count} ${pluralForm(lang, count, UNIT_WORDS[lang][unit])}`;
}

const SENTENCE: Record<WordsLanguage, { lead: string; from: Record<DeadlineBasis, string>; dayOff: string }> = {
  kk: {
    lead: 'қызмет көрсету мерзімі',
    from: {
      registration: 'өтініш «Е-лицензиялау» жүйесінде тіркелген күннің келесі күнінен бастап есептеледі',
      handover: 'құжаттар топтамасы Мемлекеттік корпорацияға тапсырылған күннің келесі күнінен бастап есептеледі',
    },
    dayOff: 'соңғы күні демалыс не мереке күніне түссе, келесі жұмыс күні',
  },
  ru: {
    lead: 'срок оказания услуги',
    from: {
      registration: 'исчисляется со дня, следующего за днём регистрации заявления в «Е-лицензировании»',
      handover: 'исчисляется со дня, следующего за днём сдачи пакета документов в Государственную корпорацию',
    },
    dayOff: 'если последний день приходится на выходной или праздничный день, — следующий рабочий день',
  },
  en: {
    lead: 'service period',
    from: {
      registration: 'counted from the day after the request is registered in E-licensing',
      handover: 'counted from the day after the package of documents is handed to the State Corporation',
    },
    dayOff: 'if the last day is a day off or a holiday, the next working day',
  },
};

/**
 * The deadline rule as a sentence: the period, what it is counted from, and (for calendar days
 * and months, whose last day can fall on a day off) the day-off rule. Working days end on a
 * working day by themselves.
 */
export function deadlineWords(lang: WordsLanguage, rule: DeadlineWordsRule): string {
  const s = SENTENCE[lang];
  const dayOff = rule.unit === 'working_days' ? '' : `; ${s.dayOff}`;
  return `${s.lead}: ${periodWords(lang, rule.unit, rule.count)}, ${s.from[rule.countsFrom]}${dayOff}`;
}

const ESTIMATE: Record<WordsLanguage, Record<DeadlineBasis, string>> = {
  kk: {
    registration: 'болжамды күн: өтініш тіркелгеннен кейін нақтыланады',
    handover: 'болжамды күн: құжаттар бүгін қабылданса',
  },
  ru: {
    registration: 'дата предварительная: уточнится после регистрации заявления',
    handover: 'дата предварительная: если документы будут приняты сегодня',
  },
  en: {
    registration: 'an estimate until the request is registered',
    handover: 'an estimate: if the documents are accepted today',
  },
};

/** Said when what the period counts from has not happened yet, so the date is an estimate. */
export function estimateWords(lang: WordsLanguage, countsFrom: DeadlineBasis): string {
  return ESTIMATE[lang][countsFrom];
}

const PROVISIONAL: Record<WordsLanguage, string> = {
  kk: 'мерзім мереке күндерінің бекітілмеген кестесі бойынша есептелді, өзгеруі мүмкін',
  ru: 'срок рассчитан по неутверждённому календарю праздничных дней и может измениться',
  en: 'computed with a holiday calendar not yet confirmed; the date may change',
};

/** Said when the holiday calendar of a year the period touches is not final. */
export function provisionalWords(lang: WordsLanguage): string {
  return PROVISIONAL[lang];
}

const REFUSAL: Record<WordsLanguage, (date: string, period: string) => string> = {
  kk: (date, period) => `дәлелді бас тарту болса: ${date} кешіктірмей (${period})`,
  ru: (date, period) => `мотивированный отказ, если он будет: не позднее ${date} (${period})`,
  en: (date, period) => `a reasoned refusal, if any: by ${date} (${period})`,
};

/** The refusal deadline the regulation gives (seed 003: 15 / 5 calendar days), as screen and receipt say it. */
export function refusalWords(lang: WordsLanguage, r: { date: string; unit: DeadlineUnit; count: number }): string {
  return REFUSAL[lang](formatLocalDate(r.date, lang), periodWords(lang, r.unit, r.count));
}

/** A due date as the papers and the screens print it, in words (date-words.ts): "2026 жылғы 2 желтоқсан". */
export function dueDateWords(date: string, lang: WordsLanguage): string {
  return formatLocalDate(date, lang);
}
