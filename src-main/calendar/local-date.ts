/**
 * Local dates ('YYYY-MM-DD') in Kazakhstan's time, and plain day arithmetic on them.
 *
 * Due dates are dates, not instants: "the result is due on 2 April". Every date here is a
 * calendar date in Asia/Almaty. Kazakhstan moved to one time zone, UTC+5, on 1 March 2024
 * (Almaty and the east were UTC+6 until then). We apply that change explicitly instead of
 * trusting the ICU time-zone data of the machine: an operator's PC with an older ICU would
 * otherwise put a registration at 23:30 on the wrong day.
 */
import { AppError } from '../contract/errors.js';

/** A calendar date, 'YYYY-MM-DD'. */
export type LocalDate = string;

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 2024-03-01T00:00 in Almaty under the old offset (+06:00): the moment Almaty went to +05:00. */
const UTC5_FROM = Date.UTC(2024, 1, 29, 18, 0, 0);
/** Almaty stopped daylight saving in March 2005; earlier instants are out of our range. */
const EARLIEST = Date.UTC(2005, 2, 27, 0, 0, 0);

/** Minutes east of UTC for Asia/Almaty at that instant. */
export function almatyOffsetMinutes(instant: Date): number {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new AppError('CALENDAR_INVALID_DATE');
  if (t < EARLIEST) throw new AppError('CALENDAR_OUT_OF_RANGE', { year: instant.getUTCFullYear() });
  return t < UTC5_FROM ? 360 : 300;
}

/** The last date localDateOf made, by its epoch day: every step event's commit asks for today's. */
let lastDay = Number.NaN;
let lastDate: LocalDate = '';

/** The Almaty calendar date of an instant. */
export function localDateOf(instant: Date): LocalDate {
  const day = Math.floor((instant.getTime() + almatyOffsetMinutes(instant) * 60_000) / DAY_MS);
  if (day !== lastDay) {
    lastDate = fromEpochDay(day);
    lastDay = day;
  }
  return lastDate;
}

/** The Almaty wall-clock time of an instant, 'HH:MM'. */
export function localTimeOf(instant: Date): string {
  const shifted = new Date(instant.getTime() + almatyOffsetMinutes(instant) * 60_000);
  return `${pad2(shifted.getUTCHours())}:${pad2(shifted.getUTCMinutes())}`;
}

export function parseLocalDate(s: string): { year: number; month: number; day: number } {
  const m = LOCAL_DATE.exec(s);
  if (!m) throw new AppError('CALENDAR_INVALID_DATE');
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw new AppError('CALENDAR_INVALID_DATE');
  return { year, month, day };
}

export function makeLocalDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** Days since 1970-01-01 (the date's own calendar, no time zone involved). */
export function toEpochDay(date: LocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function fromEpochDay(n: number): LocalDate {
  const d = new Date(n * DAY_MS);
  return makeLocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function plusDays(date: LocalDate, n: number): LocalDate {
  return fromEpochDay(toEpochDay(date) + n);
}

/** 1 = Monday … 7 = Sunday (ISO 8601). */
export function isoWeekday(date: LocalDate): number {
  const dow = new Date(toEpochDay(date) * DAY_MS).getUTCDay();
  return dow === 0 ? 7 : dow;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Formats a local date for a paper: '02.04.2026'. */
export function formatDmy(date: LocalDate): string {
  const { year, month, day } = parseLocalDate(date);
  return `${pad2(day)}.${pad2(month)}.${year}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
