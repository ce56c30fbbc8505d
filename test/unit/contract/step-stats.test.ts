/**
 * The dashboard's median and 95th percentile are found by selection, not a sort: they must be the
 * very R-7 values (PERCENTILE.INC) a sort gives, for any order, duplicates and size.
 */
import { describe, expect, it } from 'vitest';
import { medianAndP95, quantileSorted } from '../../../src-main/contract/step-stats.js';

function bySort(values: number[]) {
  const sorted = Float64Array.from(values).sort();
  return { count: values.length, medianMs: quantileSorted(sorted, 0.5), p95Ms: quantileSorted(sorted, 0.95) };
}

describe('medianAndP95', () => {
  it('gives the values computed by hand', () => {
    expect(medianAndP95([120, 30, 95, 60, 80])).toEqual({ count: 5, medianMs: 80, p95Ms: 115 });
    expect(medianAndP95([200, 100])).toEqual({ count: 2, medianMs: 150, p95Ms: 195 });
    expect(medianAndP95([7])).toEqual({ count: 1, medianMs: 7, p95Ms: 7 });
    expect(medianAndP95([])).toEqual({ count: 0, medianMs: null, p95Ms: null });
  });

  it('equals the sorted R-7 quantiles for random, sorted, reversed and repeated values, leaving the input unchanged', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 1; n < 400; n += 7) {
      const cases = [
        Array.from({ length: n }, () => rand() * 100_000),
        Array.from({ length: n }, () => Math.floor(rand() * 5)), // many equal values
        Array.from({ length: n }, (_, i) => i),
        Array.from({ length: n }, (_, i) => n - i),
        Array.from({ length: n }, () => 42),
      ];
      for (const values of cases) {
        const copy = [...values];
        expect(medianAndP95(values)).toEqual(bySort(values));
        expect(values).toEqual(copy);
      }
    }
    const big = Array.from({ length: 100_003 }, () => rand() * 600_000);
    expect(medianAndP95(Float64Array.from(big))).toEqual(bySort(big));
  });
});
