/**
 * The dashboard's statistics, one definition for the workstation and the Centre (the sandbox's
 * report endpoint computes the Centre's with the same functions).
 *
 * Percentiles interpolate linearly between closest ranks (R-7; the same as a spreadsheet's
 * PERCENTILE.INC / MEDIAN), so an exported sheet can check the figures it holds.
 */
import { STEP_IDS, type StepId } from './report.js';

/** The q-quantile (0..1) of ascending-sorted values, or null for none. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Puts the k-th smallest of a[left..right] at a[k], smaller ones before it and larger ones after
 * (Hoare's selection with a median-of-three pivot): linear time on average, where a sort is n log n.
 */
function select(a: Float64Array, k: number, left: number, right: number): void {
  let l = left;
  let r = right;
  while (r > l) {
    const m = (l + r) >>> 1;
    // Median of three as the pivot, kept at a[m].
    if (a[m]! < a[l]!) swap(a, m, l);
    if (a[r]! < a[l]!) swap(a, r, l);
    if (a[r]! < a[m]!) swap(a, r, m);
    const pivot = a[m]!;
    let i = l;
    let j = r;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** The q-quantile (0..1) of values in any order (reordered in place), R-7 as quantileSorted. */
function quantileSelected(a: Float64Array, q: number): number | null {
  const n = a.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  select(a, lo, 0, n - 1);
  const low = a[lo]!;
  if (lo + 1 >= n || h === lo) return low;
  // The next rank is the smallest of what lies after the k-th.
  let next = a[lo + 1]!;
  for (let i = lo + 2; i < n; i++) if (a[i]! < next) next = a[i]!;
  return low + (h - lo) * (next - low);
}

/**
 * Median and 95th percentile of values (in any order; not changed): by selection on a copy, not a
 * sort (the dashboard's 90 days hold hundreds of thousands of durations per step).
 */
export function medianAndP95(values: ArrayLike<number>): { count: number; medianMs: number | null; p95Ms: number | null } {
  const a = Float64Array.from(values);
  const p95Ms = quantileSelected(a, 0.95);
  return { count: a.length, medianMs: quantileSelected(a, 0.5), p95Ms };
}

/** How many of the values are over the norm (strictly longer). */
export function overNorm(values: ArrayLike<number>, normMs: number): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > normMs) n++;
  return n;
}

/** One group of measured steps: a step of a service ('' = none, P1) with its durations and app latencies. */
export interface StepGroup {
  step: string;
  serviceId: string;
  durations: ArrayLike<number>[];
  latencies: ArrayLike<number>[];
}

export interface StepFigures {
  step: StepId;
  serviceId: string | null;
  count: number;
  medianMs: number | null;
  p95Ms: number | null;
  normMs: number | null;
  overNormShare: number | null;
  withNorm: number;
  appLatency: { count: number; medianMs: number | null; p95Ms: number | null };
}

function concat(parts: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Per step (in Diagram 3 order): all services together, then each service; median, p95, the
 * service's norm, the share over it (the "all" row: over each service's own norm, among the steps
 * that have one) and the app's latency. `normOf` gives a service's norm of a step, or null.
 */
export function stepFigures(groups: readonly StepGroup[], normOf: (serviceId: string, step: string) => number | null): StepFigures[] {
  const out: StepFigures[] = [];
  for (const step of STEP_IDS) {
    const mine = groups.filter((g) => g.step === step);
    if (mine.length === 0) continue;
    const byService = new Map<string, StepGroup[]>();
    for (const g of mine) {
      const list = byService.get(g.serviceId);
      if (list) list.push(g);
      else byService.set(g.serviceId, [g]);
    }
    const perService = [...byService].map(([serviceId, gs]) => {
      const d = concat(gs.flatMap((g) => g.durations));
      const normMs = normOf(serviceId, step);
      const over = normMs === null ? 0 : overNorm(d, normMs);
      return {
        row: {
          step,
          serviceId: serviceId === '' ? null : serviceId,
          ...medianAndP95(d),
          normMs,
          withNorm: normMs === null ? 0 : d.length,
          overNormShare: normMs === null || d.length === 0 ? null : over / d.length,
          appLatency: medianAndP95(concat(gs.flatMap((g) => g.latencies))),
        },
        over,
        d,
      };
    });
    const withNorm = perService.reduce((a, s) => a + s.row.withNorm, 0);
    const over = perService.reduce((a, s) => a + s.over, 0);
    out.push({
      step,
      serviceId: null,
      ...medianAndP95(concat(perService.map((s) => s.d))),
      normMs: perService.length === 1 ? perService[0]!.row.normMs : null,
      withNorm,
      overNormShare: withNorm ? over / withNorm : null,
      appLatency: medianAndP95(concat(mine.flatMap((g) => g.latencies))),
    });
    // A step of no service (P1) is already the "all" row.
    for (const s of perService) if (s.row.serviceId !== null) out.push(s.row);
  }
  return out;
}
