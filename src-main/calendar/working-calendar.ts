/**
 * Kazakhstan's working-day calendar and due-date arithmetic.
 *
 * Counting rules (docs/documents.md, "Due dates"):
 * - A period counted from registration starts on the day after the registration date: the
 *   registration day itself is not counted (Civil Code, "Calculation of terms": the period
 *   starts on the day after the date that defines its beginning; the state-service standards say
 *   the same for the Centre: the day of acceptance is not part of the service period).
 * - N working days: the N-th working day after the registration date.
 * - N calendar days: the date N days after registration; if that is not a working day, the next
 *   working day.
 * - N months: the same-numbered day N months later; if that month has no such day, its last
 *   day; if the result is not a working day, the next working day.
 */
import { AppError } from '../contract/errors.js';
import type { CalendarData, HolidayNames, YearStatus } from './data.js';
import { shippedCalendarData } from './data.js';
import {
  type LocalDate,
  daysInMonth,
  isoWeekday,
  localDateOf,
  makeLocalDate,
  parseLocalDate,
  plusDays,
} from './local-date.js';

export type DeadlineUnit = 'calendar_days' | 'working_days' | 'months';

export interface DeadlineRule {
  unit: DeadlineUnit;
  count: number;
}

export interface DueDate {
  /** The last day of the period, an Almaty calendar date. */
  date: LocalDate;
  /** The Almaty date of registration the period was counted from (not itself counted). */
  registeredOn: LocalDate;
  rule: DeadlineRule;
  /**
   * True when a year the period touches has incomplete calendar data (no order on transfers
   * known, an estimated Kurban Ait, or a year beyond the data file): the date may still move.
   */
  provisional: boolean;
}

export type NonWorkingReason =
  | { kind: 'weekend' }
  | { kind: 'holiday'; id: string; name: HolidayNames }
  /** The next working day after a holiday that fell on a Saturday or Sunday. */
  | { kind: 'holiday_shift'; holidayId: string; name: HolidayNames }
  /** A day off moved here by an order of the authorised body. */
  | { kind: 'transfer'; source: string };

interface YearTable {
  off: Map<LocalDate, NonWorkingReason>;
  workingWeekend: Set<LocalDate>;
  provisional: boolean;
  status: YearStatus | 'not_in_data';
}

/** Upper bound for one computation, so a typo (count = 1e9) cannot hang the host. */
const MAX_DAYS = 3660;

export class WorkingCalendar {
  private readonly years = new Map<number, YearTable>();

  constructor(private readonly data: CalendarData = shippedCalendarData()) {}

  /** Whether government bodies work that day (five-day week, holidays, shifts and transfers). */
  isWorkingDay(date: LocalDate): boolean {
    return this.nonWorkingReason(date) === null;
  }

  /** Why a day is not a working day, or null when it is one. */
  nonWorkingReason(date: LocalDate): NonWorkingReason | null {
    const table = this.year(parseLocalDate(date).year);
    if (table.workingWeekend.has(date)) return null;
    const off = table.off.get(date);
    if (off) return off;
    return isoWeekday(date) >= 6 ? { kind: 'weekend' } : null;
  }

  /** How complete the data for a year is. */
  yearStatus(year: number): YearStatus | 'not_in_data' {
    return this.year(year).status;
  }

  addCalendarDays(from: LocalDate, n: number): LocalDate {
    checkCount(n);
    return plusDays(from, n);
  }

  /** The n-th working day after `from` (`from` itself is not counted); n = 0 gives `from`. */
  addWorkingDays(from: LocalDate, n: number): LocalDate {
    checkCount(n);
    let d = from;
    let counted = 0;
    let steps = 0;
    while (counted < n) {
      d = plusDays(d, 1);
      if (this.isWorkingDay(d)) counted++;
      if (++steps > MAX_DAYS * 2) throw new AppError('CALENDAR_OUT_OF_RANGE', { year: parseLocalDate(d).year });
    }
    return d;
  }

  /**
   * The same-numbered day n months after `from`, or the last day of that month when it has no
   * such day. Not moved off non-working days: `dueDate` does that.
   */
  addMonths(from: LocalDate, n: number): LocalDate {
    checkCount(n);
    const { year, month, day } = parseLocalDate(from);
    const index = year * 12 + (month - 1) + n;
    const y = Math.floor(index / 12);
    const m = (index % 12) + 1;
    return makeLocalDate(y, m, Math.min(day, daysInMonth(y, m)));
  }

  /** `date` if it is a working day, otherwise the next working day. */
  nextWorkingDayOnOrAfter(date: LocalDate): LocalDate {
    let d = date;
    for (let i = 0; i < MAX_DAYS; i++) {
      if (this.isWorkingDay(d)) return d;
      d = plusDays(d, 1);
    }
    throw new AppError('CALENDAR_OUT_OF_RANGE', { year: parseLocalDate(d).year });
  }

  /**
   * The due date of a period counted from registration. `registeredAt` is an instant (converted
   * to the Almaty date) or an Almaty date.
   */
  dueDate(registeredAt: Date | LocalDate, rule: DeadlineRule): DueDate {
    const registeredOn = typeof registeredAt === 'string' ? registeredAt : localDateOf(registeredAt);
    parseLocalDate(registeredOn);
    let date: LocalDate;
    switch (rule.unit) {
      case 'working_days':
        date = this.addWorkingDays(registeredOn, rule.count);
        break;
      case 'calendar_days':
        date = this.nextWorkingDayOnOrAfter(this.addCalendarDays(registeredOn, rule.count));
        break;
      case 'months':
        date = this.nextWorkingDayOnOrAfter(this.addMonths(registeredOn, rule.count));
        break;
      default:
        throw new AppError('CALENDAR_INVALID_RULE');
    }
    const from = parseLocalDate(registeredOn).year;
    const to = parseLocalDate(date).year;
    let provisional = false;
    for (let y = from; y <= to; y++) provisional ||= this.year(y).provisional;
    return { date, registeredOn, rule: { unit: rule.unit, count: rule.count }, provisional };
  }

  private year(year: number): YearTable {
    const cached = this.years.get(year);
    if (cached) return cached;
    if (year < this.data.firstYear || year > this.data.lastYear) throw new AppError('CALENDAR_OUT_OF_RANGE', { year });
    const table = this.buildYear(year);
    this.years.set(year, table);
    return table;
  }

  private buildYear(year: number): YearTable {
    const perYear = this.data.years[String(year)];
    const off = new Map<LocalDate, NonWorkingReason>();
    const holidays: { date: LocalDate; id: string; kind: string; name: HolidayNames }[] = [];
    for (const h of this.data.holidays) {
      if (h.fromYear !== undefined && year < h.fromYear) continue;
      if (h.untilYear !== undefined && year > h.untilYear) continue;
      holidays.push({ date: makeLocalDate(year, h.month, h.day), id: h.id, kind: h.kind, name: h.name });
    }
    for (const m of perYear?.movable ?? []) {
      if (parseLocalDate(m.date).year !== year) throw new AppError('CALENDAR_DATA_INVALID', { path: `years.${year}.movable` });
      holidays.push({ date: m.date, id: m.id, kind: m.kind, name: m.name });
    }
    holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    for (const h of holidays) off.set(h.date, { kind: 'holiday', id: h.id, name: h.name });

    // Law "On holidays", Art. 5: a state or national holiday on a Saturday or Sunday gives the
    // next working day off. Religious holidays do not (Labour Code Art. 84 para 5).
    for (const h of holidays) {
      if (h.kind === 'religious' || isoWeekday(h.date) < 6) continue;
      let d = plusDays(h.date, 1);
      while (isoWeekday(d) >= 6 || off.has(d)) d = plusDays(d, 1);
      off.set(d, { kind: 'holiday_shift', holidayId: h.id, name: h.name });
    }

    const workingWeekend = new Set<LocalDate>();
    for (const t of perYear?.transfers ?? []) {
      if (parseLocalDate(t.dayOff).year !== year || parseLocalDate(t.workingDay).year !== year) {
        throw new AppError('CALENDAR_DATA_INVALID', { path: `years.${year}.transfers` });
      }
      off.set(t.dayOff, { kind: 'transfer', source: t.source });
      workingWeekend.add(t.workingDay);
    }
    const status = perYear?.status ?? 'not_in_data';
    return { off, workingWeekend, status, provisional: status === 'provisional' || status === 'not_in_data' };
  }
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_DAYS) throw new AppError('CALENDAR_INVALID_RULE');
}

let shared: WorkingCalendar | undefined;

/** The calendar built from the shipped data, created once. */
export function kzCalendar(): WorkingCalendar {
  shared ??= new WorkingCalendar();
  return shared;
}
