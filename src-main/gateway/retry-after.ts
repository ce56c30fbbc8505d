/**
 * Retry-After, read defensively (RFC 9110 §10.2.3). The protocol sends delay-seconds only
 * (docs/gateway-protocol.md §5), but a gateway or proxy in between may send an HTTP-date, a
 * fraction, a negative number, an absurd one, or garbage. Each is parsed or refused, never
 * trusted blindly:
 *
 *  - delay-seconds (`120`, also `1.5` → 2): taken, capped at RETRY_AFTER_MAX_SECONDS;
 *  - an HTTP-date: taken relative to the answer's own `Date` header (the server's clock, so the
 *    workstation's clock still judges nothing); without a usable `Date`, relative to the
 *    workstation's clock, the only one left; a date in the past means "now" (0);
 *  - negative, empty, not a number, not a date: refused (null): the caller falls back to its
 *    own backoff, as if no Retry-After had been sent.
 *
 * The engine bounds the pause it takes from these seconds again by `sync.maxPauseSeconds`; the
 * cap here only keeps the figure sane for what the operator is shown ("until HH:MM").
 */

/** Nothing announced beyond a week is believed (a misconfigured gateway). */
export const RETRY_AFTER_MAX_SECONDS = 7 * 24 * 3600;

export interface RetryAfter {
  seconds: number;
  /** How the value was written. */
  form: 'seconds' | 'date';
}

const DELAY = /^\s*\+?(\d+(?:\.\d+)?)\s*$/;
// IMF-fixdate, RFC 850 and asctime all start with a day name; Date.parse reads all three.
const HTTP_DATE = /^\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s/i;

/**
 * Parses a Retry-After header value (or the error body's `retryAfterSeconds`, a number).
 * `serverDate` is the answer's `Date` header; `now` the workstation's clock (last resort).
 */
export function parseRetryAfter(value: unknown, serverDate: string | undefined, now: () => Date): RetryAfter | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? { seconds: Math.min(RETRY_AFTER_MAX_SECONDS, Math.ceil(value)), form: 'seconds' } : null;
  if (typeof value !== 'string' || value.length > 100) return null;
  const delay = DELAY.exec(value);
  if (delay) {
    const n = Number(delay[1]);
    return Number.isFinite(n) ? { seconds: Math.min(RETRY_AFTER_MAX_SECONDS, Math.ceil(n)), form: 'seconds' } : null;
  }
  if (!HTTP_DATE.test(value)) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  const serverNow = serverDate ? Date.parse(serverDate) : NaN;
  const base = Number.isNaN(serverNow) ? now().getTime() : serverNow;
  const seconds = Math.ceil((at - base) / 1000);
  return { seconds: Math.min(RETRY_AFTER_MAX_SECONDS, Math.max(0, seconds)), form: 'date' };
}
