/**
 * A page's skew, measured cheaply on a small grey copy (a few hundred pixels wide): the
 * projection-profile method. Text lines, table rules and form fields run along the page; projected
 * onto the page's vertical at the angle they are really at, their dark pixels pile up into sharp
 * peaks, so the sum of squared row counts is largest there. Tried over ±MAX_DEG in STEP_DEG steps,
 * then refined once around the best. Returns the angle in degrees (positive: the content turned
 * clockwise as seen on screen), or null when the page has too little ink to tell (blank, a photo).
 */
export const MAX_DEG = 8;
const STEP_DEG = 0.5;
/** At or beyond this |angle| a page is marked skewed for the operator to check. */
export const SKEW_MARK_DEG = 1.5;

export function estimateSkew(gray: Uint8Array, width: number, height: number): number | null {
  // Dark pixels once, as coordinates from the centre (thresholded on the page's own mean).
  let sum = 0;
  for (let i = 0; i < gray.length; i++) sum += gray[i]!;
  const cut = Math.min(128, (sum / Math.max(1, gray.length)) * 0.75);
  const xs: number[] = [];
  const ys: number[] = [];
  const cx = width / 2;
  const cy = height / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (gray[y * width + x]! < cut) {
        xs.push(x - cx);
        ys.push(y - cy);
      }
    }
  }
  const n = xs.length;
  if (n < width || n > gray.length * 0.5) return null;
  const diag = Math.ceil(Math.hypot(width, height));
  const bins = new Float64Array(2 * diag + 1);
  const score = (deg: number): number => {
    const t = (deg * Math.PI) / 180;
    const s = Math.sin(t);
    const c = Math.cos(t);
    bins.fill(0);
    for (let i = 0; i < n; i++) bins[Math.round(ys[i]! * c - xs[i]! * s) + diag]! += 1;
    let q = 0;
    for (let i = 0; i < bins.length; i++) q += bins[i]! * bins[i]!;
    return q;
  };
  let best = 0;
  let bestScore = -1;
  let flat = 0;
  for (let d = -MAX_DEG; d <= MAX_DEG + 1e-9; d += STEP_DEG) {
    const q = score(d);
    if (Math.abs(d) < 1e-9) flat = q;
    if (q > bestScore) [best, bestScore] = [d, q];
  }
  for (let d = best - STEP_DEG / 2; d <= best + STEP_DEG / 2 + 1e-9; d += STEP_DEG / 5) {
    const q = score(d);
    if (q > bestScore) [best, bestScore] = [d, q];
  }
  // No clear winner (the straight projection scores nearly as well): call it straight.
  if (bestScore < flat * 1.05) return 0;
  return Math.round(best * 10) / 10;
}
