// Keyboard-only acceptance, timed (issue 14). `npx tsx bench/acceptance/run.ts [runs]`.
// A scripted operator (200 characters a minute, 1 s per decision) drives test/support/keyboard-walk.ts
// in Chromium against the full stack. Baseline in the same script: the same walk with an instant
// operator (no typing or decision time), i.e. the app's and the devices' time alone.
// NOTE: the SANE test device is NOT slowed to 60 ppm here (no hook for its read delay yet).
import { launchChromium } from '../../test/support/browser.js';
import { instrument, keyboardAcceptance, type WalkPace, type WalkResult } from '../../test/support/keyboard-walk.js';
import { startStack } from '../../test/support/stack.js';

const runs = Number(process.argv[2] ?? 10);
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] ?? 0;
};

async function walk(pace: WalkPace): Promise<WalkResult> {
  const stack = await startStack({ signing: true, host: { startSync: true }, env: { QABYLDAU_SYNC__INTERVAL_SECONDS: '1' } });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await instrument(page);
    return await keyboardAcceptance(page, stack.web.url, pace);
  } finally {
    await browser.close();
    await stack.close();
  }
}

const base = await walk({ charMs: 0, decisionMs: 0 });
const results: WalkResult[] = [];
for (let i = 0; i < runs; i++) results.push(await walk({ charMs: 300, decisionMs: 1000 }));
const sum = (r: WalkResult, k: string) => r.waits.filter((w) => w.kind === k).reduce((n, w) => n + w.ms, 0);
for (const [i, r] of results.entries()) {
  console.log('run %d: total %s s, operator %s s, app %s s (%s %%), backend %s s, scanner %s s, p95 key→frame %s ms, pointer events %d', i + 1,
    (r.totalMs / 1000).toFixed(1), (r.operatorMs / 1000).toFixed(1), (sum(r, 'app') / 1000).toFixed(1), ((100 * sum(r, 'app')) / r.totalMs).toFixed(1),
    (sum(r, 'backend') / 1000).toFixed(1), (sum(r, 'scan') / 1000).toFixed(1), p95(r.frames).toFixed(1), r.pointerEvents);
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const total = med(results.map((r) => r.totalMs));
console.log('baseline (instant operator): total %s s; app %s s', (base.totalMs / 1000).toFixed(1), (sum(base, 'app') / 1000).toFixed(1));
console.log('median total %s s (target < 120 s); ratio to Table 3 operator-side norm 300-360 s = %s-%s', (total / 1000).toFixed(1), (total / 360_000).toFixed(3), (total / 300_000).toFixed(3));
console.log('app share median %s %% (target < 10 %%); p95 key→next frame over all runs %s ms (target < 100 ms)',
  med(results.map((r) => (100 * sum(r, 'app')) / r.totalMs)).toFixed(1), p95(results.flatMap((r) => r.frames)).toFixed(1));
