/**
 * Retry-After as a misbehaving gateway may write it: each form is parsed or refused, and what is
 * taken is bounded (src-main/gateway/retry-after.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, RETRY_AFTER_MAX_SECONDS } from '../../../src-main/gateway/retry-after.js';

const workstation = () => new Date('2026-12-01T10:00:00.000Z');

describe('Retry-After', () => {
  it('takes delay-seconds, a fraction rounded up, and the body number', () => {
    expect(parseRetryAfter('120', undefined, workstation)).toEqual({ seconds: 120, form: 'seconds' });
    expect(parseRetryAfter(' 1.5 ', undefined, workstation)).toEqual({ seconds: 2, form: 'seconds' });
    expect(parseRetryAfter('0', undefined, workstation)).toEqual({ seconds: 0, form: 'seconds' });
    expect(parseRetryAfter(7, undefined, workstation)).toEqual({ seconds: 7, form: 'seconds' });
  });

  it("reads an HTTP-date against the answer's own Date (the server's clock), not the workstation's", () => {
    // The workstation is an hour behind the server: the server's 5 minutes are still 5 minutes.
    const serverDate = 'Tue, 01 Dec 2026 11:00:00 GMT';
    expect(parseRetryAfter('Tue, 01 Dec 2026 11:05:00 GMT', serverDate, workstation)).toEqual({ seconds: 300, form: 'date' });
    // RFC 850 and asctime forms too.
    expect(parseRetryAfter('Tuesday, 01-Dec-26 11:01:00 GMT', serverDate, workstation)?.seconds).toBe(60);
    expect(parseRetryAfter('Tue Dec  1 11:00:30 2026', serverDate, workstation)?.seconds).toBe(30);
    // Without a Date header: the workstation's clock, the only one left.
    expect(parseRetryAfter('Tue, 01 Dec 2026 10:02:00 GMT', undefined, workstation)?.seconds).toBe(120);
    // A date in the past: now.
    expect(parseRetryAfter('Tue, 01 Dec 2026 09:00:00 GMT', serverDate, workstation)).toEqual({ seconds: 0, form: 'date' });
  });

  it('refuses garbage, negative numbers, numbers with units, empty values and non-finite numbers', () => {
    for (const v of ['soon', '-5', '-0.5', '5s', '', '   ', '1e3', 'NaN', 'Infinity', '12:30', 'tomorrow', '0x10', 'Tue', 'Mon, 99 Foo 2026 99:99:99 GMT', 'x'.repeat(500)]) {
      expect(parseRetryAfter(v, undefined, workstation), JSON.stringify(v)).toBeNull();
    }
    for (const v of [-1, Number.NaN, Number.POSITIVE_INFINITY, null, undefined, {}, ['5']]) expect(parseRetryAfter(v, undefined, workstation)).toBeNull();
  });

  it('bounds huge values, as seconds or as a date', () => {
    expect(parseRetryAfter('99999999999999999999999', undefined, workstation)?.seconds).toBe(RETRY_AFTER_MAX_SECONDS);
    expect(parseRetryAfter(1e12, undefined, workstation)?.seconds).toBe(RETRY_AFTER_MAX_SECONDS);
    expect(parseRetryAfter('Fri, 01 Dec 2034 10:00:00 GMT', undefined, workstation)?.seconds).toBe(RETRY_AFTER_MAX_SECONDS);
  });
});
