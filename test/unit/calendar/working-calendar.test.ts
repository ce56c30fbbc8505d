import { describe, expect, it } from 'vitest';
import {
  WorkingCalendar,
  kzCalendar,
  localDateOf,
  localTimeOf,
  parseCalendarData,
  plusDays,
  isoWeekday,
  shippedCalendarData,
  type LocalDate,
} from '../../../src-main/calendar/index.js';
import { thrownBy } from '../../support/app-error.js';

const cal = kzCalendar();

function weekdaysOff(year: number): LocalDate[] {
  const out: LocalDate[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = plusDays(d, 1)) {
    if (isoWeekday(d) <= 5 && !cal.isWorkingDay(d)) out.push(d);
  }
  return out;
}

function errorCode(fn: () => unknown): string {
  return thrownBy(fn).code;
}

describe('Kazakhstan working-day calendar: the days off', () => {
  it('2025: every weekday off matches the published calendar, and Sunday 5 January was worked', () => {
    expect(weekdaysOff(2025)).toEqual([
      '2025-01-01', '2025-01-02', '2025-01-03', // New Year + the day moved from Sunday 5 Jan (Order No. 436)
      '2025-01-07', // Orthodox Christmas
      '2025-03-10', // 8 March was a Saturday
      '2025-03-21', '2025-03-24', '2025-03-25', // Nauryz: 22-23 fell on the weekend
      '2025-05-01', '2025-05-07', '2025-05-09',
      '2025-06-06', // Kurban Ait
      '2025-07-07', // 6 July was a Sunday
      '2025-09-01', // 30 August was a Saturday
      '2025-10-27', // 25 October was a Saturday
      '2025-12-16',
    ]);
    expect(cal.isWorkingDay('2025-01-05')).toBe(true);
    expect(cal.nonWorkingReason('2025-01-03')).toMatchObject({ kind: 'transfer' });
    expect(cal.nonWorkingReason('2025-03-24')).toMatchObject({ kind: 'holiday_shift', holidayId: 'nauryz_2' });
  });

  it('2026: the 15 extra weekdays off that the egov calendar announces', () => {
    const off = weekdaysOff(2026);
    expect(off).toEqual([
      '2026-01-01', '2026-01-02', '2026-01-07',
      '2026-03-09', // 8 March on a Sunday
      '2026-03-23', '2026-03-24', '2026-03-25', // Nauryz 21-22 on the weekend -> 24, 25
      '2026-05-01', '2026-05-07', '2026-05-11', // 9 May a Saturday -> Monday 11
      '2026-05-27', // Kurban Ait
      '2026-07-06', '2026-08-31', '2026-10-26', '2026-12-16',
    ]);
    expect(off).toHaveLength(15);
  });

  it('2027: statutory shifts are computed (1 Jan-2 Jan, Nauryz, May), and the year is provisional', () => {
    expect(cal.isWorkingDay('2027-01-04')).toBe(false); // 2 January is a Saturday
    expect(cal.isWorkingDay('2027-03-24')).toBe(false); // 21 March is a Sunday
    expect(cal.isWorkingDay('2027-05-03')).toBe(false); // 1 May is a Saturday
    expect(cal.isWorkingDay('2027-05-10')).toBe(false); // 9 May is a Sunday
    expect(cal.isWorkingDay('2027-01-08')).toBe(true); // no bridge is invented
    expect(cal.yearStatus(2027)).toBe('provisional');
  });

  it('religious holidays on a weekend give no extra day off (7 January 2029 is a Sunday)', () => {
    expect(cal.isWorkingDay('2029-01-08')).toBe(true);
    expect(cal.yearStatus(2029)).toBe('not_in_data');
  });
});

describe('due dates counted from registration (registration day not counted)', () => {
  it('working days across Nauryz 2026', () => {
    expect(cal.dueDate('2026-03-16', { unit: 'working_days', count: 10 })).toEqual({
      date: '2026-04-02',
      registeredOn: '2026-03-16',
      rule: { unit: 'working_days', count: 10 },
      provisional: false,
    });
    expect(cal.dueDate('2026-03-20', { unit: 'working_days', count: 1 }).date).toBe('2026-03-26');
  });

  it('working days across Nauryz 2025 and 8 March on a Saturday', () => {
    expect(cal.dueDate('2025-03-20', { unit: 'working_days', count: 3 }).date).toBe('2025-03-28');
    expect(cal.dueDate('2025-03-07', { unit: 'working_days', count: 1 }).date).toBe('2025-03-11');
  });

  it('working days across New Year', () => {
    expect(cal.dueDate('2025-12-31', { unit: 'working_days', count: 2 }).date).toBe('2026-01-06');
    expect(cal.dueDate('2025-12-31', { unit: 'working_days', count: 3 }).date).toBe('2026-01-08');
    expect(cal.dueDate('2025-12-26', { unit: 'working_days', count: 15 }).date).toBe('2026-01-21');
  });

  it('a moved working day counts: Sunday 5 January 2025', () => {
    expect(cal.dueDate('2025-01-02', { unit: 'working_days', count: 1 }).date).toBe('2025-01-05');
    expect(cal.dueDate('2025-01-04', { unit: 'working_days', count: 2 }).date).toBe('2025-01-06');
    // counted from 2024 (a year without data in the file): the result is flagged provisional
    const fromOldYear = cal.dueDate('2024-12-31', { unit: 'working_days', count: 5 });
    expect(fromOldYear.date).toBe('2025-01-10');
    expect(fromOldYear.provisional).toBe(true);
  });

  it('calendar days: an end on a holiday or weekend moves to the next working day', () => {
    expect(cal.dueDate('2026-02-21', { unit: 'calendar_days', count: 30 }).date).toBe('2026-03-26');
    expect(cal.dueDate('2026-04-01', { unit: 'calendar_days', count: 30 }).date).toBe('2026-05-04'); // 1 May Fri, 2-3 weekend
    expect(cal.dueDate('2026-04-10', { unit: 'calendar_days', count: 15 }).date).toBe('2026-04-27'); // 25 April is a Saturday
  });

  it('months: same-numbered day, or the last day of a shorter month, then the next working day', () => {
    expect(cal.addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(cal.addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(cal.addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(cal.dueDate('2026-01-31', { unit: 'months', count: 1 }).date).toBe('2026-03-02'); // 28 Feb is a Saturday
    expect(cal.dueDate('2026-02-23', { unit: 'months', count: 1 }).date).toBe('2026-03-26'); // 23 March Nauryz, then shifts
    expect(cal.dueDate('2025-12-01', { unit: 'months', count: 1 }).date).toBe('2026-01-05');
    expect(cal.dueDate('2026-05-12', { unit: 'months', count: 1 }).date).toBe('2026-06-12');
  });

  it('a period reaching into 2027 is provisional; one inside 2026 is not', () => {
    expect(cal.dueDate('2026-12-20', { unit: 'months', count: 1 }).provisional).toBe(true);
    expect(cal.dueDate('2026-11-02', { unit: 'months', count: 1 }).provisional).toBe(false);
  });
});

describe('time zone: dates are Almaty dates (UTC+6 until 1 March 2024, UTC+5 since)', () => {
  it('a registration at 00:30 local time belongs to that local date', () => {
    expect(localDateOf(new Date('2026-03-19T19:30:00Z'))).toBe('2026-03-20'); // 00:30 +05
    expect(localTimeOf(new Date('2026-03-19T19:30:00Z'))).toBe('00:30');
    expect(localDateOf(new Date('2026-03-19T18:59:00Z'))).toBe('2026-03-19'); // 23:59 +05
    expect(localDateOf(new Date('2024-02-15T18:30:00Z'))).toBe('2024-02-16'); // 00:30 +06
    expect(localDateOf(new Date('2024-02-29T17:59:00Z'))).toBe('2024-02-29'); // 23:59 +06, last minute of UTC+6
    expect(localDateOf(new Date('2024-02-29T18:00:00Z'))).toBe('2024-02-29'); // 23:00 +05 after the switch
    expect(localDateOf(new Date('2024-02-29T19:00:00Z'))).toBe('2024-03-01');
  });

  it('the due date uses the Almaty date of the registration instant', () => {
    // 19:30 UTC on 19 March is already 20 March in Almaty: counted from Friday 20 March
    expect(cal.dueDate(new Date('2026-03-19T19:30:00Z'), { unit: 'working_days', count: 1 }).date).toBe('2026-03-26');
    expect(cal.dueDate(new Date('2026-03-19T12:00:00Z'), { unit: 'working_days', count: 1 }).date).toBe('2026-03-20');
  });

  it('agrees with this runtime\'s ICU time-zone data for Asia/Almaty', () => {
    const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit', day: '2-digit' });
    for (let t = Date.UTC(2023, 0, 1, 17, 30); t < Date.UTC(2027, 0, 1); t += 7 * 86_400_000 + 3_600_000) {
      const d = new Date(t);
      expect(localDateOf(d)).toBe(fmt.format(d));
    }
  });
});

describe('bad input gets a typed error', () => {
  it('invalid dates, rules and years', () => {
    expect(errorCode(() => cal.dueDate('2026-02-30', { unit: 'working_days', count: 1 }))).toBe('CALENDAR_INVALID_DATE');
    expect(errorCode(() => cal.dueDate('2026-02-03', { unit: 'working_days', count: -1 }))).toBe('CALENDAR_INVALID_RULE');
    expect(errorCode(() => cal.dueDate('2026-02-03', { unit: 'weeks' as never, count: 1 }))).toBe('CALENDAR_INVALID_RULE');
    expect(errorCode(() => cal.isWorkingDay('2100-01-04'))).toBe('CALENDAR_OUT_OF_RANGE');
    expect(errorCode(() => localDateOf(new Date('2001-01-01T00:00:00Z')))).toBe('CALENDAR_OUT_OF_RANGE');
  });

  it('a data file with a malformed transfer is refused when loaded', () => {
    const data = structuredClone(shippedCalendarData()) as unknown as { years: Record<string, { transfers: unknown[] }> };
    data.years['2025']!.transfers.push({ dayOff: '3 Jan', workingDay: '2025-01-05', source: 'x' });
    expect(errorCode(() => parseCalendarData(data))).toBe('CALENDAR_DATA_INVALID');
  });

  it('an edited data file changes the answer (administrators add a new order)', () => {
    const data = structuredClone(shippedCalendarData());
    data.years['2027']!.transfers.push({ dayOff: '2027-01-08', workingDay: '2027-01-09', source: 'test order' });
    const edited = new WorkingCalendar(data);
    expect(edited.isWorkingDay('2027-01-08')).toBe(false);
    expect(edited.isWorkingDay('2027-01-09')).toBe(true);
    expect(edited.dueDate('2027-01-06', { unit: 'working_days', count: 1 }).date).toBe('2027-01-09');
  });
});
