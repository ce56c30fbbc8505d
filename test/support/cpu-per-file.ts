/**
 * Opt-in measurement (vitest setup file): with QAB_TEST_CPU_LOG=<file>, each test file appends one
 * JSON line with the CPU seconds (user + system) its process used, children it reaped included
 * (scanner workers, sandboxes), and its wall seconds. Vitest's `forks` pool runs every file in a
 * new process, so that is the file's own cost, import included: on a shared machine a better guide
 * than the durations Vitest prints, which grow with whatever else runs. Without isolation
 * (`--no-isolate`, as `test:quick` runs) one process runs several files one after another: each
 * line is then the file's share since the previous file of the same process ended (the modules
 * the earlier files imported are not counted again, which is the point of sharing them).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll } from 'vitest';

const log = process.env.QAB_TEST_CPU_LOG;

function reapedChildrenSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return 0;
  }
}

if (log) {
  // The suite comes second (the first argument is the fixtures, none here).
  // eslint-disable-next-line no-empty-pattern
  afterAll(({}, suite) => {
    const file = 'filepath' in suite ? suite.filepath : suite.name;
    const u = process.cpuUsage();
    const cpuTotal = (u.user + u.system) / 1e6 + reapedChildrenSeconds();
    const wallTotal = process.uptime();
    // The previous file's end in this process (a file's module state is fresh; the process's is not).
    const g = globalThis as { qabCpuPerFile?: { cpu: number; wall: number } };
    const before = g.qabCpuPerFile ?? { cpu: 0, wall: 0 };
    g.qabCpuPerFile = { cpu: cpuTotal, wall: wallTotal };
    const cpu = cpuTotal - before.cpu;
    const wall = wallTotal - before.wall;
    appendFileSync(log, `${JSON.stringify({ file: file.replace(`${process.cwd()}/`, ''), pid: process.pid, cpuS: Number(cpu.toFixed(2)), wallS: Number(wall.toFixed(2)) })}\n`);
  });
}
