/**
 * The one deadline rule (src-main/requests/expected-result.ts) over every sub-service of the
 * shipped catalogue: the unit and count of the sub-service's own regulation, counted from what
 * that regulation says (003: the package handed to the State Corporation; the others:
 * registration), on Kazakhstan's working-day calendar with its day-off rule. And the words the
 * screens and the papers say for it (src-main/contract/deadline-words.ts).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kzCalendar } from '../../../src-main/calendar/index.js';
import { Catalog } from '../../../src-main/catalog/catalog.js';
import { deadlineWords, dueDateWords, estimateWords, periodWords } from '../../../src-main/contract/deadline-words.js';
import { expectedResult, momentsOf, type RequestMoments } from '../../../src-main/requests/expected-result.js';
import { appRoot } from '../../../src-main/host/paths.js';

const catalog = Catalog.load(join(appRoot(), 'assets', 'catalog', 'services.json'));
const cal = kzCalendar();
const due = (serviceId: string, subId: string, moments: RequestMoments, now = new Date('2026-03-16T05:00:00Z')) =>
  expectedResult(catalog.get(serviceId), subId, moments, now, (a, r) => cal.dueDate(a, r));

/** Accepted Monday 16 March 2026 10:00 in Almaty, registered Friday 20 March: the period crosses Nauryz (21–25 March off). */
const NAURYZ = { acceptedAt: '2026-03-16T05:00:00Z', registeredAt: '2026-03-20T05:00:00Z' };
/** Accepted Wednesday 24 December 2025, registered Friday 26 December: the period crosses New Year and 7 January. */
const NEW_YEAR = { acceptedAt: '2025-12-24T05:00:00Z', registeredAt: '2025-12-26T05:00:00Z' };

// [service, sub-service, due across Nauryz 2026, due across New Year 2026]
const TABLE: [string, string, string, string][] = [
  // Seed 003: counted from the package handed to the State Corporation (the acceptance).
  ['emission-permit-almaty', 'cat-2', '2026-04-15', '2026-01-23'], // 30 calendar days
  ['emission-permit-almaty', 'cat-3', '2026-04-02', '2026-01-12'], // 10 working days
  ['emission-permit-almaty', 'cat-4', '2026-03-26', '2025-12-31'], // 5 working days
  ['emission-permit-almaty', 'reissue', '2026-04-16', '2026-01-26'], // 1 month (24 Jan is a Saturday)
  ['eco-expertise-almaty', 'cat-2', '2026-04-16', '2026-01-26'], // 1 month
  ['eco-expertise-almaty', 'cat-3-4', '2026-04-02', '2026-01-12'], // 10 working days
  ['eco-expertise-almaty', 'repeat-cat-2', '2026-04-02', '2026-01-12'], // 10 working days
  ['eco-expertise-almaty', 'repeat-cat-3-4', '2026-03-26', '2025-12-31'], // 5 working days
  ['eco-expertise-almaty', 'preliminary', '2026-03-19', '2025-12-29'], // 3 working days
  // Seeds 000, 001, 002, 004: counted from registration.
  ['emission-permit-aktobe', 'issue', '2026-04-20', '2026-01-26'], // 1 month
  ['eco-expertise-aktobe', 'issue', '2026-04-20', '2026-01-26'],
  ['scrap-metal-licence-zhambyl', 'issue', '2026-04-15', '2026-01-21'], // 15 working days
  ['scrap-metal-licence-zhambyl', 'reissue', '2026-04-15', '2026-01-21'],
  ['scrap-metal-licence-zhambyl', 'duplicate', '2026-04-15', '2026-01-21'],
  ['cotton-warehouse-licence-almaty-oblast', 'issue', '2026-04-15', '2026-01-21'], // 15 working days
  ['cotton-warehouse-licence-almaty-oblast', 'reissue', '2026-04-08', '2026-01-14'], // 10 working days
  ['cotton-warehouse-licence-almaty-oblast', 'duplicate', '2026-03-27', '2025-12-30'], // 2 working days
  ['minerals-absence-conclusion-almaty', 'issue', '2026-04-07', '2026-01-13'], // 9 working days
  ['construction-on-minerals-permit-almaty', 'issue', '2026-04-07', '2026-01-13'],
];

describe('the expected result date, by each sub-service\'s own rule', () => {
  it('lists every sub-service of the catalogue', () => {
    const all = catalog.services.flatMap((s) => s.subServices.map((x) => `${s.id}/${x.id}`)).sort();
    expect(TABLE.map(([s, x]) => `${s}/${x}`).sort()).toEqual(all);
  });

  it('across Nauryz 2026 and across New Year', () => {
    for (const [s, x, nauryz, newYear] of TABLE) {
      expect([s, x, due(s, x, NAURYZ).date]).toEqual([s, x, nauryz]);
      expect([s, x, due(s, x, NEW_YEAR).date]).toEqual([s, x, newYear]);
    }
  });

  it('counts 003 from the acceptance, the others from registration', () => {
    expect(due('emission-permit-almaty', 'cat-3', NAURYZ)).toMatchObject({ countedFrom: '2026-03-16', estimated: false });
    expect(due('cotton-warehouse-licence-almaty-oblast', 'duplicate', NAURYZ)).toMatchObject({ countedFrom: '2026-03-20', estimated: false });
  });

  it('a moved working day counts (Sunday 5 January 2025 was worked; 3 January was off)', () => {
    const moved = { acceptedAt: '2025-01-02T05:00:00Z', registeredAt: '2025-01-02T06:00:00Z' };
    expect(due('eco-expertise-almaty', 'preliminary', moved).date).toBe('2025-01-08'); // 5, 6, (7 off), 8
    expect(due('cotton-warehouse-licence-almaty-oblast', 'duplicate', moved).date).toBe('2025-01-06'); // 5, 6
  });

  it('is an estimate until what it counts from has happened', () => {
    // Registration-based, accepted but not registered: counted from the acceptance.
    const accepted = due('cotton-warehouse-licence-almaty-oblast', 'reissue', { acceptedAt: NAURYZ.acceptedAt, registeredAt: null });
    expect(accepted).toMatchObject({ countedFrom: '2026-03-16', estimated: true, date: '2026-04-02' });
    // Handover-based, accepted: exact before registration.
    expect(due('emission-permit-almaty', 'cat-4', { acceptedAt: NAURYZ.acceptedAt, registeredAt: null })).toMatchObject({ estimated: false, date: '2026-03-26' });
    // Not yet accepted: counted from today.
    const draft = due('emission-permit-almaty', 'cat-4', { acceptedAt: null, registeredAt: null }, new Date('2026-03-17T12:00:00Z'));
    expect(draft).toMatchObject({ countedFrom: '2026-03-17', estimated: true, date: '2026-03-27' });
  });

  it('a registration late in the evening belongs to that Almaty date', () => {
    // 23:30 in Almaty on Friday 20 March is 18:30 UTC.
    const late = due('cotton-warehouse-licence-almaty-oblast', 'duplicate', { acceptedAt: '2026-03-20T10:00:00Z', registeredAt: '2026-03-20T18:30:00Z' });
    expect(late.countedFrom).toBe('2026-03-20');
    const after = due('cotton-warehouse-licence-almaty-oblast', 'duplicate', { acceptedAt: '2026-03-20T10:00:00Z', registeredAt: '2026-03-20T19:30:00Z' });
    expect(after.countedFrom).toBe('2026-03-21');
  });

  it('takes its moments from the request history', () => {
    const history = [
      { status: 'draft', at: '2026-03-16T04:00:00Z' },
      { status: 'queued', at: '2026-03-16T05:00:00Z' },
      { status: 'sent', at: '2026-03-16T05:01:00Z' },
      { status: 'registered', at: '2026-03-20T05:00:00Z' },
    ];
    expect(momentsOf(history)).toEqual(NAURYZ);
  });
});

describe('the words of a deadline', () => {
  it('Russian plural forms by the CLDR rules: no "2 рабочих дней"', () => {
    const wd = [1, 2, 3, 5, 10, 11, 15, 21, 22].map((n) => periodWords('ru', 'working_days', n));
    expect(wd).toEqual([
      '1 рабочий день',
      '2 рабочих дня',
      '3 рабочих дня',
      '5 рабочих дней',
      '10 рабочих дней',
      '11 рабочих дней',
      '15 рабочих дней',
      '21 рабочий день',
      '22 рабочих дня',
    ]);
    expect(periodWords('ru', 'calendar_days', 30)).toBe('30 календарных дней');
    expect(periodWords('ru', 'months', 1)).toBe('1 месяц');
    expect(periodWords('en', 'working_days', 1)).toBe('1 working day');
    expect(periodWords('en', 'months', 2)).toBe('2 months');
    expect(periodWords('kk', 'working_days', 2)).toBe('2 жұмыс күні');
  });

  it('says what the period counts from, and the day-off rule where a last day can fall on a day off', () => {
    expect(deadlineWords('ru', { unit: 'working_days', count: 10, countsFrom: 'handover' })).toBe(
      'срок оказания услуги: 10 рабочих дней, исчисляется со дня, следующего за днём сдачи пакета документов в Государственную корпорацию',
    );
    expect(deadlineWords('kk', { unit: 'calendar_days', count: 30, countsFrom: 'handover' })).toBe(
      'қызмет көрсету мерзімі: 30 күнтізбелік күн, құжаттар топтамасы Мемлекеттік корпорацияға тапсырылған күннің келесі күнінен бастап есептеледі; соңғы күні демалыс не мереке күніне түссе, келесі жұмыс күні',
    );
    expect(deadlineWords('en', { unit: 'months', count: 1, countsFrom: 'registration' })).toBe(
      'service period: 1 month, counted from the day after the request is registered in E-licensing; if the last day is a day off or a holiday, the next working day',
    );
    expect(estimateWords('ru', 'registration')).toMatch(/после регистрации/);
    expect(dueDateWords('2026-04-02', 'kk')).toBe('2026 жылғы 2 сәуір');
    expect(dueDateWords('2026-04-02', 'ru')).toBe('2 апреля 2026 г.');
    expect(dueDateWords('2026-04-02', 'en')).toBe('2 April 2026');
  });
});
