/** The benches' order statistics: nearest rank on a sorted copy (NaN for no samples). */
export function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
}

/** The middle sample (the upper one of two for an even count). */
export const median = (xs: readonly number[]): number => pct(xs, 50);
