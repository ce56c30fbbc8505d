/**
 * The renderer's "today" is the Centre's day in Almaty, the day the main process dates requests,
 * due dates and the dashboard's periods by (calendar/local-date.ts), whatever the workstation's
 * time zone: late in the UTC evening it is already tomorrow at the counter, and a request due
 * yesterday shows as overdue there.
 */
import { describe, expect, it } from 'vitest';
import { localDateOf } from '../../../src-main/calendar/index.js';
import { almatyToday } from '../../../src-renderer/i18n/format.js';

describe('almatyToday', () => {
  it('is the Almaty date, not the UTC or the machine date', () => {
    expect(almatyToday(new Date('2026-12-01T18:59:59Z'))).toBe('2026-12-01');
    expect(almatyToday(new Date('2026-12-01T19:00:00Z'))).toBe('2026-12-02'); // midnight at UTC+5
  });

  it("agrees with the main process's dates around every midnight of a year", () => {
    for (let t = Date.parse('2026-01-01T18:30:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 86_400_000) {
      for (const dt of [-60_000, 0, 60_000]) {
        const at = new Date(t + 30 * 60_000 + dt);
        expect(almatyToday(at), at.toISOString()).toBe(localDateOf(at));
      }
    }
  });
});
