/**
 * "Until when" on the line indicator and the queue screen: the time alone when the end is today,
 * and the date with it when the end falls on another day, so a maintenance that ends after
 * midnight does not read as ending at 00:05 earlier today. Times are the workstation's.
 */
import { describe, expect, it } from 'vitest';
import { formatTimeOfDay } from '../../../src-renderer/i18n/format.js';

describe('formatTimeOfDay', () => {
  const now = new Date(2026, 11, 2, 23, 50); // 2 December 2026, 23:50 on the workstation's clock

  it('says the time alone when the end is today', () => {
    const at = new Date(2026, 11, 2, 23, 59).toISOString();
    expect(formatTimeOfDay(at, 'ru', now)).toBe('23:59');
    expect(formatTimeOfDay(at, 'kk', now)).toBe('23:59');
    expect(formatTimeOfDay(at, 'en', now)).toBe('23:59');
  });

  it('says the date as well when the end falls on the next day, in each language', () => {
    const at = new Date(2026, 11, 3, 0, 5).toISOString();
    expect(formatTimeOfDay(at, 'ru', now)).toBe('3 декабря 2026 г., 00:05');
    expect(formatTimeOfDay(at, 'kk', now)).toBe('2026 жылғы 3 желтоқсан, 00:05');
    expect(formatTimeOfDay(at, 'en', now)).toBe('3 December 2026, 00:05');
  });
});
