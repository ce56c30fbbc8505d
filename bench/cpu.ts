/**
 * CPU time for benchmarks on a machine shared with other work, where wall-clock ratios swing: the
 * CPU seconds a run cost this process and another process tree (a sandbox started under tsx runs
 * in a child node process).
 */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds used so far by a process and its descendants (Linux /proc; null elsewhere): the
 * sandbox runs under tsx, which runs it in a child node process.
 */
export function treeCpuSeconds(root: number): number | null {
  try {
    const tick = 100; // USER_HZ on Linux
    const stats = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map((d) => {
        try {
          const f = readFileSync(`/proc/${d}/stat`, 'utf8');
          const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
          return { pid: Number(d), ppid: Number(rest[1]), cpu: (Number(rest[11]) + Number(rest[12])) / tick };
        } catch {
          return null;
        }
      })
      .filter((x): x is { pid: number; ppid: number; cpu: number } => x !== null);
    const tree = new Set([root]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of stats) {
        if (!tree.has(p.pid) && tree.has(p.ppid)) {
          tree.add(p.pid);
          grew = true;
        }
      }
    }
    return stats.filter((p) => tree.has(p.pid)).reduce((a, p) => a + p.cpu, 0);
  } catch {
    return null;
  }
}

export interface CpuMeasure {
  /** Wall seconds. */
  s: number;
  /** CPU seconds of this process. */
  cpuSelf: number;
  /** CPU seconds of the sandbox's process tree (null where /proc is absent). */
  cpuSandbox: number | null;
}

/**
 * Wall seconds of `fn`, and the CPU seconds this process and the sandbox spent meanwhile. Wrap
 * only the part being compared (not its set-up: a store opened, files written), so that CPU per
 * MiB is the transfer's own.
 */
export async function measuredCpu(sandboxPid: number, fn: () => Promise<unknown>): Promise<CpuMeasure> {
  const c0 = process.cpuUsage();
  const s0 = treeCpuSeconds(sandboxPid);
  const t0 = performance.now();
  await fn();
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const s1 = treeCpuSeconds(sandboxPid);
  return { s, cpuSelf: (c.user + c.system) / 1e6, cpuSandbox: s0 === null || s1 === null ? null : s1 - s0 };
}
