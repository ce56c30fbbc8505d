/**
 * Tests that ask the dashboard for "today" must not straddle the Centre's midnight (19:00 UTC):
 * steps written at 23:59 in Almaty are yesterday's once the dashboard is asked at 00:01, and the
 * test would fail at that one moment of the day (CI runs at any hour).
 */
import { localDateOf } from '../../src-main/calendar/index.js';

const DAY_MS = 86_400_000;

const sameDay = (a: number, b: number): boolean => localDateOf(new Date(a)) === localDateOf(new Date(b));

/** The first Almaty midnight after `t` (UTC+5: Kazakhstan's one zone since March 2024). */
function nextMidnight(t: number): number {
  return Date.parse(`${localDateOf(new Date(t))}T00:00:00+05:00`) + DAY_MS;
}

/**
 * A start for a scripted clock, not before `now` (the test PKI's certificates are valid from now),
 * from which `spanMs` stays within one Almaty day: now, or just after the coming midnight.
 */
export function startWithinOneDay(spanMs: number, now = Date.now()): number {
  return sameDay(now, now + spanMs) ? now : nextMidnight(now) + 1_000;
}

/** For tests on the real clock: when the next `spanMs` would cross Almaty midnight, waits until it has passed. */
export async function awaitWholeDay(spanMs: number): Promise<void> {
  const now = Date.now();
  if (!sameDay(now, now + spanMs)) await new Promise((resolve) => setTimeout(resolve, nextMidnight(now) + 1_000 - now));
}
