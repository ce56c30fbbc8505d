/**
 * `npm start` tells the truth about how things ended (scripts/start.mjs), run as a real process
 * with its real children (the sandbox licensing backend, the browser host) on ephemeral ports and
 * temp folders (`--prebuilt`: the node_modules and dist/ the test run uses):
 *  - the app killed under it → it exits non-zero and says the app died, and stops the sandbox;
 *  - the sandbox killed under it → non-zero, naming the sandbox, and stops the app;
 *  - its own sandbox already running in a maintenance window (answering 503 to everyone) is
 *    recognised through the sandbox's admin API and reused, not mistaken for a taken port;
 *  - another program on the sandbox's admin port: a clear refusal naming the port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxAdmin } from '../../../sandbox/admin-client.js';
import { appRoot } from '../../../src-main/host/paths.js';

const root = appRoot();
const dir = mkdtempSync(join(tmpdir(), 'qab-start-'));
const devDir = join(dir, 'dev');
let port = 0;

/**
 * The lowest port the OS hands out by itself (for port 0 and for outgoing connections). Below it
 * no other test file's ephemeral server or client socket can take a port between our check and the
 * sandbox's listen (which is how 43660 was once taken under us). Linux says where its range starts;
 * Windows and macOS start theirs at 49152.
 */
function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 49_152;
  } catch {
    return 49_152;
  }
}

const free = (p: number) =>
  new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(p, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
const tripleFree = async (p: number) => p > 0 && (await free(p)) && (await free(p + 1)) && (await free(p + 2));

/** A port p with p, p+1 and p+2 free (the gateway, the CRL point, the admin API), below the ephemeral range. */
async function freeTriple(): Promise<number> {
  const low = 10_000;
  const high = Math.max(low + 1000, ephemeralLow() - 3);
  for (let i = 0; i < 50; i++) {
    const p = low + Math.floor(Math.random() * (high - low));
    if (await tripleFree(p)) return p;
  }
  throw new Error('no three free ports in a row');
}

/**
 * Runs a test on three ports checked free right before it (the file keeps one triple while it
 * stays free: the development PKI is made once per port). Should something still take one of them
 * (a program outside this test run), the test runs again on fresh ports, at most twice more; any
 * other failure fails at once.
 */
function onFreePorts(body: () => Promise<void>): () => Promise<void> {
  return async () => {
    for (let attempt = 1; ; attempt++) {
      if (!(await tripleFree(port))) port = await freeTriple();
      try {
        await body();
        return;
      } catch (e) {
        if (attempt >= 3 || !/EADDRINUSE/.test(e instanceof Error ? e.message : String(e))) throw e;
        await stopStarted();
        port = 0;
      }
    }
  };
}

interface Run {
  child: ChildProcess;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first match of `re` in stdout + stderr. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

function npmStart(): Run {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SANDBOX_PORT: String(port),
    QAB_DEV_DIR: devDir,
    QABYLDAU_DATA_DIR: join(dir, 'data'),
    QABYLDAU_MACHINE_CONFIG: join(dir, 'none-machine.json'),
    QABYLDAU_USER_CONFIG: join(dir, 'none-user.json'),
  };
  // No display and no Electron: the browser host, its URL printed.
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs'), '--prebuilt'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const onData = (c: Buffer) => {
    out += c.toString();
    for (const w of [...waiters]) {
      const m = w.re.exec(out);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    out: () => out,
    exited,
    waitFor(re, timeoutMs = 90_000) {
      const m = re.exec(out);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${re} within ${timeoutMs} ms; output:\n${out}`)), timeoutMs);
        waiters.push({ re, resolve: (x) => (clearTimeout(timer), resolve(x)) });
        void exited.then(() => setTimeout(() => reject(new Error(`npm start exited before ${re}; output:\n${out}`)), 50));
      });
    },
  };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

const started: ChildProcess[] = [];
/** Kills what a test started and waits for it to be gone (its ports free again). */
async function stopStarted(): Promise<void> {
  const running = started.splice(0).filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(running.map((c) => new Promise((r) => (c.once('exit', r), c.kill('SIGKILL')))));
}
beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'main', 'browser-host.js')) || !existsSync(join(root, 'dist', 'sandbox', 'server.js'))) {
    throw new Error('dist/ is not built: run node scripts/build.mjs (npm test does)');
  }
});
afterAll(async () => {
  await stopStarted();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('exits non-zero and names the app when the app is killed under it, and stops the sandbox', { timeout: 180_000 }, onFreePorts(async () => {
    const run = npmStart();
    started.push(run.child);
    const sandboxPid = Number((await run.waitFor(/sandbox licensing backend started \(pid (\d+)\)/))[1]);
    const appPid = Number((await run.waitFor(/the app \(browser host\) started \(pid (\d+)\)/))[1]);
    await run.waitFor(/QABYLDAU_URL=|open this URL/);
    process.kill(appPid, 'SIGKILL');
    const end = await run.exited;
    expect(end.code).not.toBe(0);
    expect(end.code).toBe(128 + 9);
    expect(run.out()).toContain('the app (browser host) was killed by SIGKILL');
    expect(await gone(sandboxPid)).toBe(true);
  }));

  it('exits non-zero and names the sandbox when the sandbox dies under it, and stops the app', { timeout: 120_000 }, onFreePorts(async () => {
    const run = npmStart();
    started.push(run.child);
    const sandboxPid = Number((await run.waitFor(/sandbox licensing backend started \(pid (\d+)\)/))[1]);
    const appPid = Number((await run.waitFor(/the app \(browser host\) started \(pid (\d+)\)/))[1]);
    await run.waitFor(/QABYLDAU_URL=|open this URL/);
    process.kill(sandboxPid, 'SIGKILL');
    const end = await run.exited;
    expect(end.code).toBe(128 + 9);
    expect(run.out()).toContain('the sandbox licensing backend was killed by SIGKILL');
    expect(await gone(appPid)).toBe(true);
  }));

  it('recognises its own sandbox in a maintenance window through the admin API and reuses it; Ctrl+C then exits 0', { timeout: 120_000 }, onFreePorts(async () => {
    // Our sandbox, started beforehand (as `npm run sandbox` would), then put into maintenance:
    // its public answers are 503 to anyone, including the launcher.
    const { ensureDevPki } = (await import(pathToFileURL(join(root, 'scripts', 'dev-pki.mjs')).href)) as { ensureDevPki: (dir: string, port: number) => { dir: string } | null };
    const pkiDir = ensureDevPki(devDir, port)!.dir;
    const data = join(devDir, 'sandbox');
    const sandbox = spawn(process.execPath, [join(root, 'dist', 'sandbox', 'server.js'), '--port', String(port), '--data', data, '--pki', pkiDir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    started.push(sandbox);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      sandbox.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('listening on')) resolve();
      });
      sandbox.once('exit', (code) => reject(new Error(`sandbox exited ${code}: ${out}`)));
    });
    const admin = new SandboxAdmin(`http://127.0.0.1:${port + 2}`, readFileSync(join(data, 'admin-token'), 'utf8'));
    await admin.maintenance(600);

    const run = npmStart();
    started.push(run.child);
    await run.waitFor(/already running on https:\/\/127\.0\.0\.1:\d+, in a maintenance window until/);
    await run.waitFor(/the app \(browser host\) started/);
    await run.waitFor(/QABYLDAU_URL=|open this URL/);
    expect(run.out()).not.toContain('taken');
    run.child.kill('SIGINT');
    expect((await run.exited).code).toBe(0);
    // Not ours to stop: it was running before npm start.
    expect(alive(sandbox.pid!)).toBe(true);
    sandbox.kill('SIGTERM');
    await new Promise((r) => sandbox.once('exit', r));
  }));

  it('refuses clearly when another program holds the sandbox admin port', { timeout: 60_000 }, onFreePorts(async () => {
    const foreign = http.createServer((_req, res) => res.writeHead(401).end('{}'));
    await new Promise<void>((resolve, reject) => {
      foreign.once('error', reject);
      foreign.listen(port + 2, '127.0.0.1', resolve);
    });
    try {
      const run = npmStart();
      started.push(run.child);
      const end = await run.exited;
      expect(end.code).toBe(1);
      expect(run.out()).toContain(`another program answers on port ${port + 2}`);
    } finally {
      await new Promise((r) => foreign.close(r));
    }
  }));
});
