/** Dates in words as official papers write them (kk "2026 жылғы 2 желтоқсан"), the same on screen and paper. */
import { describe, expect, it } from 'vitest';
import { formatLocalDate, KK_MONTHS } from '../../../src-main/contract/date-words.js';

describe('dates in words', () => {
  it('writes a date the Kazakh, Russian and English way', () => {
    expect(formatLocalDate('2026-12-02', 'kk')).toBe('2026 жылғы 2 желтоқсан');
    expect(formatLocalDate('2027-03-22', 'kk')).toBe('2027 жылғы 22 наурыз');
    expect(formatLocalDate('2026-12-02', 'ru')).toBe('2 декабря 2026 г.');
    expect(formatLocalDate('2027-01-01', 'en')).toBe('1 January 2027');
    expect(formatLocalDate('not a date', 'kk')).toBe('not a date');
  });

  it("the Kazakh month names are the ones ICU's kk data gives (where this Node has them)", () => {
    if (Intl.DateTimeFormat.supportedLocalesOf(['kk']).length === 0) {
      // A small-ICU build: the table is then the only source, and it must still be complete.
      expect(KK_MONTHS).toHaveLength(12);
      return;
    }
    const intl = new Intl.DateTimeFormat('kk', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    for (let m = 0; m < 12; m++) {
      const month = intl.formatToParts(new Date(Date.UTC(2026, m, 2))).find((p) => p.type === 'month')?.value;
      expect([m, month]).toEqual([m, KK_MONTHS[m]]);
    }
  });
});
