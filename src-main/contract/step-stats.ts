/**
 * The dashboard's statistics, one definition for the workstation and the Centre (the sandbox's
 * report endpoint computes the Centre's with the same functions).
 *
 * Percentiles interpolate linearly between closest ranks (R-7; the same as a spreadsheet's
 * PERCENTILE.INC / MEDIAN), so an exported sheet can check the figures it holds.
 */

/** The q-quantile (0..1) of ascending-sorted values, or null for none. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Median and 95th percentile of values (in any order; not changed). */
export function medianAndP95(values: ArrayLike<number>): { count: number; medianMs: number | null; p95Ms: number | null } {
  const sorted = Float64Array.from(values).sort();
  return { count: sorted.length, medianMs: quantileSorted(sorted, 0.5), p95Ms: quantileSorted(sorted, 0.95) };
}

/** How many of the values are over the norm (strictly longer). */
export function overNorm(values: ArrayLike<number>, normMs: number): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > normMs) n++;
  return n;
}
