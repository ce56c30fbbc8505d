// Keyboard-only acceptance, timed (issue 14): `npm run bench:acceptance -- [runs=10] [--ppm=60]`.
//
// A scripted operator (200 characters a minute, 1 s per decision) drives test/support/keyboard-walk.ts
// in Chromium against the full stack (sandbox backend, host, SANE test device): log in, search the
// service, IIN, five documents (a 10-sheet feeder batch + 4 sheets on the glass), a page at reading
// size, sign, receipt. The SANE test device is slowed to `--ppm` pages a minute (its read delay,
// calibrated with scanimage first: bench/acceptance/device.ts).
//
// Baseline in the same script: the same walk, same device, with an instant operator (no typing or
// decision time): the app's and the devices' time alone. Then `runs` paced runs. It prints per run
// and over the runs: the total (target < 120 s), the app's own share (time from an action to the
// screen being ready, target < 10 %), the p95 of key press -> next frame (target < 100 ms), and a
// per-step table beside Table 3's norms (assets/catalog/norms.json: seed 000 R1 Table 3, and the
// walked service's own norms, seed 003 para 10). P6/P7 (sending, registration) are the machines':
// timed from the done screen's status changes, outside the operator's total.
// The machine's load average is printed with the figures. No assertions.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../../test/support/browser.js';
import { instrument, keyboardAcceptance, type WalkPace, type WalkPhase, type WalkResult } from '../../test/support/keyboard-walk.js';
import { startStack } from '../../test/support/stack.js';
import { median, pct } from '../stats.js';
import { calibrateDevice } from './device.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const runs = Number(arg('runs') ?? process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10);
const ppm = Number(arg('ppm') ?? 60);
const SERVICE = 'emission-permit-almaty';
const TABLE3 = 'emission-permit-aktobe'; // seed 000 R1: the service whose Table 3 it is

interface Run extends WalkResult {
  /** Signed -> sent, sent -> registered (ms), from the done screen; null if not seen in 30 s. */
  p6: number | null;
  p7: number | null;
}

async function walk(pace: WalkPace, delayUs: number): Promise<Run> {
  const stack = await startStack({
    signing: true,
    host: { startSync: true },
    env: { QABYLDAU_SYNC__INTERVAL_SECONDS: '1', QABYLDAU_SCANNER__TEST_DEVICE_READ_DELAY_US: String(delayUs) },
  });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await instrument(page);
    const r = await keyboardAcceptance(page, stack.web.url, pace);
    const seen = () => page.evaluate(() => window.__qabStatus ?? []);
    await page.waitForFunction(() => (window.__qabStatus ?? []).some(([s]) => s === 'registered' || s === 'under_review' || s === 'result_ready'), null, { timeout: 30_000 }).catch(() => {});
    const st = await seen();
    const at = (names: string[]) => st.find(([s]) => names.includes(s))?.[1] ?? null;
    const signed = st[0]?.[1] ?? null;
    const sent = at(['sent', 'registered', 'under_review', 'result_ready']);
    const registered = at(['registered', 'under_review', 'result_ready']);
    return { ...r, p6: signed !== null && sent !== null ? sent - signed : null, p7: sent !== null && registered !== null ? registered - sent : null };
  } finally {
    await browser.close();
    await stack.close();
  }
}

const waitSum = (r: WalkResult, kind: string, phase?: WalkPhase) => r.waits.filter((w) => w.kind === kind && (!phase || w.phase === phase)).reduce((n, w) => n + w.ms, 0);
const phaseWall = (r: WalkResult, phase: WalkPhase) => {
  const i = r.phases.findIndex((p) => p.phase === phase);
  return i < 0 ? 0 : (r.phases[i + 1]?.atMs ?? r.totalMs) - r.phases[i]!.atMs;
};
const s1 = (ms: number | null) => (ms === null || Number.isNaN(ms) ? '—' : (ms / 1000).toFixed(1));
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

interface Norm {
  min: number | null;
  max: number;
  unit: 'seconds' | 'minutes';
}
const norms = JSON.parse(readFileSync(join(import.meta.dirname, '../../assets/catalog/norms.json'), 'utf8')) as { services: { serviceId: string; steps: ({ step: string } & Norm)[] }[] };
const normOf = (serviceId: string, step: string) => norms.services.find((s) => s.serviceId === serviceId)?.steps.find((x) => x.step === step) ?? null;
const normMs = (n: Norm | null) => (n ? n.max * (n.unit === 'minutes' ? 60_000 : 1000) : null);
const normText = (n: Norm | null) => (n ? `${n.min !== null ? `${n.min}–` : '≤ '}${n.max} ${n.unit === 'minutes' ? 'min' : 's'}` : '—');

console.log('load average at start: %s (2 cores, shared with other work)', load());
const device = await calibrateDevice(ppm);
console.log('SANE test device: read delay %d µs -> scanimage %s pages/min over a 10-sheet feeder batch (target %d)', device.delayUs, device.ppm.toFixed(1), ppm);

const base = await walk({ charMs: 0, decisionMs: 0 }, device.delayUs);
const results: Run[] = [];
for (let i = 0; i < runs; i++) {
  const r = await walk({ charMs: 300, decisionMs: 1000 }, device.delayUs);
  results.push(r);
  const scan = r.waits.filter((w) => w.kind === 'scan');
  const scanPpm = (scan.reduce((n, w) => n + (w.pages ?? 0), 0) * 60_000) / scan.reduce((n, w) => n + w.ms, 0);
  console.log(
    'run %d: total %s s, operator %s s, app %s s (%s %%), registry %s s, scanner %s s (%s pages/min incl. our pipeline), p95 key→frame %s ms, pointer events %d, load %s',
    i + 1, s1(r.totalMs), s1(r.operatorMs), s1(waitSum(r, 'app')), ((100 * waitSum(r, 'app')) / r.totalMs).toFixed(1), s1(waitSum(r, 'backend')),
    s1(waitSum(r, 'scan')), scanPpm.toFixed(1), pct(r.frames, 95).toFixed(1), r.pointerEvents, load(),
  );
}

const total = median(results.map((r) => r.totalMs));
const appShare = median(results.map((r) => (100 * waitSum(r, 'app')) / r.totalMs));
const frames = results.flatMap((r) => r.frames);
console.log('\nbaseline (instant operator, same device): total %s s, app %s s, registry %s s, scanner %s s', s1(base.totalMs), s1(waitSum(base, 'app')), s1(waitSum(base, 'backend')), s1(waitSum(base, 'scan')));
console.log('median total over %d runs: %s s (target < 120 s); ratio to the baseline %s', runs, s1(total), (total / base.totalMs).toFixed(2));
console.log('app share, median: %s %% (target < 10 %%); p95 key→next frame over %d key presses: %s ms (target < 100 ms)', appShare.toFixed(1), frames.length, pct(frames, 95).toFixed(1));
const appSteps = [...new Set(results.flatMap((r) => r.waits.filter((w) => w.kind === 'app').map((w) => w.step.replace(/^(mark|scan)-.*/, '$1-*'))))];
const appBy = appSteps
  .map((step) => ({ step, ms: median(results.map((r) => r.waits.filter((w) => w.kind === 'app' && w.step.replace(/^(mark|scan)-.*/, '$1-*') === step).reduce((n, w) => n + w.ms, 0))) }))
  .sort((a, b) => b.ms - a.ms);
console.log('the app\'s time by action (median ms per run): %s', appBy.map((a) => `${a.step} ${a.ms.toFixed(0)}`).join(', '));

console.log('\nper step, median over the runs (s) | Table 3 (seed 000, R1) | ratio | the walked service (seed 003)');
console.log('step    | wall   | operator | app   | registry/scanner | Table 3 norm | wall/norm | seed 003 norm | wall/norm');
const row = (step: string, wall: number | null, op: number | null, app: number | null, dev: number | null) => {
  const n0 = normOf(TABLE3, step);
  const n3 = normOf(SERVICE, step);
  const ratio = (n: Norm | null) => (wall !== null && normMs(n) ? (wall / normMs(n)!).toFixed(2) : '—');
  console.log(
    '%s | %s | %s | %s | %s | %s | %s | %s | %s',
    step.padEnd(7), s1(wall).padStart(6), s1(op).padStart(8), s1(app).padStart(5), s1(dev).padStart(16),
    normText(n0).padStart(12), ratio(n0).padStart(9), normText(n3).padStart(13), ratio(n3).padStart(9),
  );
};
for (const phase of ['P1', 'P2', 'P3', 'P5', 'receipt'] as const) {
  const med = (f: (r: WalkResult) => number) => median(results.map(f));
  const dev = (r: WalkResult) => waitSum(r, 'backend', phase) + waitSum(r, 'scan', phase);
  row(phase, med((r) => phaseWall(r, phase)), med((r) => phaseWall(r, phase) - waitSum(r, 'app', phase) - dev(r)), med((r) => waitSum(r, 'app', phase)), med(dev));
}
const machine = (k: 'p6' | 'p7') => {
  const xs = results.map((r) => r[k]).filter((x): x is number => x !== null);
  return xs.length ? median(xs) : null;
};
row('P6', machine('p6'), null, null, null);
row('P7', machine('p7'), null, null, null);
const sumNorm = (serviceId: string) => ['P1', 'P2', 'P3', 'P5'].reduce((n, s) => n + (normMs(normOf(serviceId, s)) ?? 0), 0);
console.log(
  'P1+P2+P3+P5 (+ receipt): %s s against Table 3 %s s (ratio %s) and seed 003 %s s (ratio %s)',
  s1(total), s1(sumNorm(TABLE3)), (total / sumNorm(TABLE3)).toFixed(2), s1(sumNorm(SERVICE)), (total / sumNorm(SERVICE)).toFixed(3),
);
console.log('load average at the end: %s', load());
