/**
 * bench/startup: two figures, each against a baseline measured in the same run.
 *
 * 1. Time from starting the browser host (spawning `node dist/main/browser-host.js`) to the
 *    renderer's first contentful paint in Chromium. Baseline: the same measurement for a plain
 *    Node HTTP server serving a one-line HTML page (process start + page load + paint). The ratio
 *    says how much our host and renderer add over the floor. Target: under 1 s absolute.
 * 2. The renderer's JavaScript, gzipped. Target: under 500 KB; printed as a ratio of the budget.
 *
 *   npm run build && npx tsx bench/startup/run.ts [--runs 7]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { appRoot } from '../../src-main/host/paths.js';
import { launchChromium } from '../../test/support/browser.js';
import { median } from '../stats.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const RUNS = Number(values.runs);
const root = appRoot();

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /QABYLDAU_URL=(\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}`)));
  });
}

/** Epoch ms of the first contentful paint of `url` in a fresh page. */
async function firstPaint(browser: Browser, url: string, ready: string): Promise<number> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector(ready);
  // A string, not a function: tsx would wrap inner functions in a helper the page does not have.
  const fcp = await page.evaluate<number>(`(async () => {
    const find = () => performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
    for (let i = 0; i < 100 && !find(); i++) await new Promise((r) => setTimeout(r, 10));
    return performance.timeOrigin + (find() ? find().startTime : NaN);
  })()`);
  await page.close();
  return fcp;
}

/**
 * One start of the browser host on `dir`. A counter starts on a data directory that exists; the
 * very first start also creates the database and the demo accounts (two scrypt hashes), so it is
 * measured apart.
 */
async function measureOurs(browser: Browser, dir: string): Promise<number> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [join(root, 'dist', 'main', 'browser-host.js')], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: {
      ...process.env,
      HOME: dir,
      QABYLDAU_DATA_DIR: join(dir, 'data'),
      QABYLDAU_MACHINE_CONFIG: join(dir, 'none'),
      QABYLDAU_USER_CONFIG: join(dir, 'none'),
      QABYLDAU_BACKEND__URL: 'http://127.0.0.1:9',
      // The login screen (not the first-run screen of an installation without accounts).
      QABYLDAU_AUTH__SEED_DEMO_ACCOUNTS: 'true',
    },
  });
  try {
    const url = await waitForUrl(child);
    return (await firstPaint(browser, url, '[data-testid="screen-login"]')) - t0;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function measureBaseline(browser: Browser): Promise<number> {
  const t0 = Date.now();
  const code = `const s=require('node:http').createServer((q,r)=>{r.writeHead(200,{'content-type':'text/html'});r.end('<!doctype html><h1 id=ok>ok</h1>')});s.listen(0,'127.0.0.1',()=>console.log('QABYLDAU_URL=http://127.0.0.1:'+s.address().port+'/'))`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const url = await waitForUrl(child);
    return (await firstPaint(browser, url, '#ok')) - t0;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}


const browser = await launchChromium();
const dir = mkdtempSync(join(tmpdir(), 'qab-bench-'));
try {
  await measureBaseline(browser); // warm-up: disk cache, Chromium's first page
  const firstEver = await measureOurs(browser, dir);
  const ours: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    base.push(await measureBaseline(browser));
    ours.push(await measureOurs(browser, dir));
  }
  const o = median(ours);
  const b = median(base);
  const assets = join(root, 'dist', 'renderer', 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const gz = js.reduce((n, f) => n + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
  console.log(`startup: browser host start → first paint, median of ${RUNS}`);
  console.log(`  ours      ${o.toFixed(0)} ms   (runs: ${ours.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  baseline  ${b.toFixed(0)} ms   plain node http server + one-line page (runs: ${base.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  ratio     ${(o / b).toFixed(2)} × baseline; target < 1000 ms: ${o < 1000 ? 'met' : 'NOT met'}`);
  console.log(`  first start ever (creates the database and demo accounts): ${firstEver.toFixed(0)} ms`);
  console.log(`renderer JavaScript: ${(gz / 1024).toFixed(1)} KB gzipped in ${js.length} file(s)`);
  console.log(`  ratio     ${(gz / (500 * 1024)).toFixed(2)} × the 500 KB budget: ${gz < 500 * 1024 ? 'met' : 'NOT met'}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
