/**
 * How late this thread's event loop is, told apart from how late the machine made it.
 *
 * A tick can be late because the thread was busy (a synchronous call, a long commit: the stall a
 * test is after) or because it was ready to run but another process held both cores (another test
 * file, another build on a shared machine). Linux counts the second kind per thread: the second
 * field of /proc/thread-self/schedstat is the time it spent runnable, waiting for a CPU. `own`
 * figures subtract that wait from the wall time; where the file is missing (not Linux, a kernel
 * without scheduler statistics) they are the wall figures, as strict as before.
 */
import { readFileSync } from 'node:fs';

/** Milliseconds this thread has waited for a CPU while runnable, or null where the kernel does not say. */
export function runqueueWaitMs(): number | null {
  try {
    const f = readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(/\s+/);
    const ns = Number(f[1]);
    return Number.isFinite(ns) ? ns / 1e6 : null;
  } catch {
    return null;
  }
}

/** Wall milliseconds of `fn` and the part of them not spent waiting for a CPU. */
export async function ownTime(fn: () => unknown): Promise<{ wallMs: number; ownMs: number }> {
  const q0 = runqueueWaitMs();
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0;
  const q1 = runqueueWaitMs();
  return { wallMs, ownMs: q0 === null || q1 === null ? wallMs : Math.max(0, wallMs - (q1 - q0)) };
}

/**
 * Samples the event loop every `intervalMs` with a timer: each sample is how late the timer fired
 * (`late`) and that lateness less the thread's wait for a CPU since the previous sample (`own`).
 */
export class LoopStallMonitor {
  readonly late: number[] = [];
  readonly own: number[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs = 5) {}

  start(): this {
    let due = performance.now() + this.intervalMs;
    let q = runqueueWaitMs();
    const tick = () => {
      const now = performance.now();
      const q1 = runqueueWaitMs();
      const late = Math.max(0, now - due);
      this.late.push(late);
      this.own.push(q === null || q1 === null ? late : Math.max(0, late - (q1 - q)));
      q = q1;
      due = performance.now() + this.intervalMs;
      this.timer = setTimeout(tick, this.intervalMs);
    };
    this.timer = setTimeout(tick, this.intervalMs);
    return this;
  }

  /** Stops sampling; a tick held up by the last job fires (and is counted) first. */
  async stop(): Promise<this> {
    await new Promise<void>((r) => setTimeout(r, this.intervalMs * 4));
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return this;
  }

  get count(): number {
    return this.late.length;
  }
}

export const max = (xs: number[]): number => xs.reduce((a, b) => Math.max(a, b), 0);

/** The p-th percentile (nearest rank) of `xs`. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
