/**
 * bench/sync: the sync engine's figures, each against a baseline measured in the same run, against
 * one sandbox process (HTTPS, mutual TLS with the test PKI's workstation certificate, its SQLite
 * with synchronous=FULL, started in its fast mode `--no-verify`: operators' signatures are not
 * checked, so the figures are the engine's and the protocol's, not openssl's).
 *
 * 1. Drain throughput. N queued requests carrying 1 MiB of documents each (one document, random
 *    bytes) are drained by the engine as the app runs it (real store, SqliteUploadStateStore,
 *    1 MiB chunks, concurrency 2). Baseline: a plain script that sends the same amount of bytes
 *    (other random documents of the same sizes: the sandbox keeps documents by hash, so the same
 *    bytes twice would not travel twice) to the same sandbox over the same mutual-TLS credentials
 *    with the same concurrency: start, one 1 MiB chunk (hashed as it is sent), complete, submit;
 *    raw node:https, no database, no validation of answers. Its documents are files sealed at rest
 *    the way the content store seals them (AES-256-GCM, src-main/crypto/content-cipher.ts), read and
 *    decrypted as it sends them: any uploader of this workstation's documents has to, so the ratio
 *    is the engine's own cost. Runs alternate (baseline, engine, ×R); the median ratio of
 *    throughputs is printed (target ≥ 0.9), and the CPU time per MiB each spent during the drain
 *    itself (not its set-up: files written, a store opened), of the workstation's process alone
 *    and with the sandbox's (less sensitive than wall time to what else the machine runs).
 *    `--profile <prefix>` writes V8 CPU profiles of the last repetition's two drains.
 * 2. Load. W simulated workstations (one GatewayClient each: its own connection, the shared test
 *    client certificate) against the sandbox for T seconds, each in a closed loop: upload a 16 KiB
 *    document, submit, ask the status. Prints submissions per second, submit latency p50/p95/p99,
 *    and errors by code; baseline: one workstation alone for a few seconds in the same run (the
 *    ratio of p95s says what the load costs each operator).
 *
 * 3. A counter's offline day over a slow line (test/support/slow-link.ts, a loopback TCP proxy
 *    limiting rate and adding latency; "latency" is the round trip): D requests × P pages of the
 *    scanner's real page size (A4 300 dpi gray JPEG ≈ 193 KB, docs/scanning.md) drained by the
 *    engine as the app runs it, over 10 Mbit/s + 50 ms and 2 Mbit/s + 200 ms. Prints the time to
 *    drain against the documents' bytes divided by the line's rate (target ≤ 1.2×) and the bytes
 *    the workstation put on the line against the documents' size (target ≤ 1.05×).
 *
 *   npm run bench:sync [-- --requests 60 --reps 5 --workstations 200 --seconds 60 --day 60 --pages 15 --only drain,load,day --lines 10/50,2/200 --profile /tmp/drain]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SandboxAdmin } from '../../sandbox/admin-client.js';
import { AppError } from '../../src-main/contract/errors.js';
import { appRoot } from '../../src-main/host/paths.js';
import { silentLogger } from '../../src-main/host/logger-types.js';
import { canonicalManifest } from '../../src-main/sign/index.js';
import { readSealedFile, sealBytes, type ContentKeys } from '../../src-main/crypto/content-cipher.js';
import type { GatewayClient } from '../../src-main/gateway/gateway-client.js';
import { testPki } from '../../test/support/pki.js';
import { CENTRE_BIN, OPERATOR, SERVICE, openSyncWorld, queueRequests, workstationClient } from '../../test/support/sync-fixture.js';
import { freePort } from '../../test/support/stack.js';
import { makeIin } from '../../test/support/store-fixture.js';
import { startSlowLink } from '../../test/support/slow-link.js';
import { measuredCpu, type CpuMeasure } from '../cpu.js';
import { median, pct } from '../stats.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '60' },
    reps: { type: 'string', default: '5' },
    workstations: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '2' },
    day: { type: 'string', default: '60' },
    pages: { type: 'string', default: '15' },
    only: { type: 'string', default: 'drain,load,day' },
    lines: { type: 'string', default: '10/50,2/200' },
    /** Write V8 CPU profiles of the last repetition's drains to <this>.plain.cpuprofile and <this>.engine.cpuprofile (Chrome's DevTools opens them). */
    profile: { type: 'string' },
  },
});
const DAY = Number(values.day);
const PAGES = Number(values.pages);
const ONLY = new Set(values.only.split(','));
/** The scanner's real page: A4 at 300 dpi, gray JPEG (docs/scanning.md, bench:scan). */
const PAGE_BYTES = 193 * 1024;
const N = Number(values.requests);
const REPS = Number(values.reps);
const W = Number(values.workstations);
const SECONDS = Number(values.seconds);
const C = Number(values.concurrency);
const MIB = 1024 * 1024;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const pki = testPki();
const dir = mkdtempSync(join(tmpdir(), 'qab-bench-sync-'));

// ------------------------------------------------------------------ the sandbox, its own process

async function startSandboxProcess(): Promise<{ url: string; admin: SandboxAdmin; child: ChildProcess }> {
  const port = await freePort();
  const data = join(dir, 'sandbox');
  const child = spawn(
    join(appRoot(), 'node_modules', '.bin', 'tsx'),
    ['sandbox/cli.ts', '--pki', pki.dir, '--port', String(port), '--admin-port', '0', '--crl-port', '0', '--data', data, '--no-verify', '--decision-delay-ms', '3600000'],
    { cwd: appRoot(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const adminUrl = await new Promise<string>((resolve, reject) => {
    let admin = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      admin ||= /admin API on (http:\/\/[^ ]+)/.exec(out)?.[1] ?? '';
      if (admin && out.includes('listening on')) resolve(admin);
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited (${code}): ${out}`)));
  });
  return { url: `https://127.0.0.1:${port}`, admin: new SandboxAdmin(adminUrl, readFileSync(join(data, 'admin-token'), 'utf8')), child };
}

// ------------------------------------------------------------------ requests as the workstation signs them

function manifestFor(requestId: string, n: number, docs: { sha256: string; size: number }[]): Buffer {
  const at = new Date();
  return Buffer.from(
    canonicalManifest({
      requestId,
      service: SERVICE,
      applicant: { kind: 'iin', number: makeIin(n), name: `Өтініш беруші ${n}` },
      representative: null,
      form: { objectName: 'Қазандық' },
      operator: { id: 'op-1', iin: OPERATOR.iin, name: OPERATOR.name },
      centre: { code: 'ALM-01', bin: CENTRE_BIN, name: 'ХҚКО Алматы қ. Алмалы ауданы бөлімі' },
      times: { createdAt: at.toISOString(), signedAt: new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString() },
      documents: docs.map((d, i) => ({ slot: 'application', index: i, sha256: d.sha256, size: d.size, mediaType: 'application/pdf' })),
    }),
  );
}
/** A stand-in of a real detached CMS's size (the sandbox does not check it in this mode). */
const cmsFor = (manifest: Buffer) => Buffer.concat(Array.from({ length: 56 }, (_, j) => createHash('sha256').update(manifest).update(String(j)).digest()));

// ------------------------------------------------------------------ 1. drain throughput

/** The plain script's files key (the workstation's own is in its keyring; any key costs the same). */
const PLAIN_KEYS: ContentKeys = { current: '0123456789abcdef', keys: { '0123456789abcdef': randomBytes(32) } };

/** The plain script: raw HTTPS with the workstation's certificate, `C` requests at a time. */
async function plainDrain(url: string, n: number, offset: number, sandboxPid: number, profile: string | null = null): Promise<CpuMeasure> {
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: C,
    ca: readFileSync(pki.tls.ca),
    cert: readFileSync(pki.tls.clientCert),
    key: readFileSync(pki.tls.clientKey),
  });
  const call = (method: string, path: string, body: Buffer, headers: Record<string, string> = {}) =>
    new Promise<number>((resolve, reject) => {
      const req = https.request(
        new URL(path, url),
        {
          method,
          agent,
          headers: {
            'x-qabyldau-protocol': '1',
            'x-qabyldau-request-id': randomUUID(),
            'x-qabyldau-workstation': 'W01',
            'content-type': 'application/json',
            'content-length': String(body.byteLength),
            ...headers,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode! < 300 ? resolve(res.statusCode!) : reject(new Error(`${method} ${path}: ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  const files = join(dir, `plain-${offset}`);
  mkdirSync(files, { recursive: true });
  const items = Array.from({ length: n }, (_, i) => {
    const doc = randomBytes(MIB);
    const d = { sha256: sha(doc), size: doc.byteLength };
    const path = join(files, d.sha256);
    writeFileSync(path, sealBytes(doc, PLAIN_KEYS));
    const manifest = manifestFor(randomUUID(), offset + i, [d]);
    return { path, d, manifest, cms: cmsFor(manifest), key: `W01:${randomUUID()}` };
  });
  let next = 0;
  const drain = () => Promise.all(
    Array.from({ length: C }, async () => {
      while (next < items.length) {
        const it = items[next++]!;
        await call('POST', '/v1/documents', json({ sha256: it.d.sha256, size: it.d.size, chunkSize: MIB }));
        const doc = await readSealedFile(it.path, PLAIN_KEYS);
        // Each chunk carries its SHA-256 (the protocol): hashed when sent, as the engine does.
        await call('PUT', `/v1/documents/${it.d.sha256}/chunks/0`, doc, { 'content-type': 'application/octet-stream', 'x-qabyldau-chunk-sha256': sha(doc) });
        await call('POST', `/v1/documents/${it.d.sha256}/complete`, Buffer.alloc(0));
        await call(
          'POST',
          '/v1/submissions',
          json({
            idempotencyKey: it.key,
            workstationId: 'W01',
            centreBin: CENTRE_BIN,
            serviceId: SERVICE.id,
            subServiceId: SERVICE.subService,
            manifest: it.manifest.toString('base64'),
            cms: it.cms.toString('base64'),
            documents: [it.d],
          }),
        );
      }
    }),
  );
  const m = await measuredCpu(sandboxPid, () => (profile ? profiled(profile, drain) : drain()));
  agent.destroy();
  rmSync(files, { recursive: true, force: true });
  return m;
}

/** The engine as the app runs it, on a fresh store holding `n` queued requests. */
async function engineDrain(url: string, n: number, rep: number, sandboxPid: number, profile: string | null): Promise<CpuMeasure> {
  const w = await openSyncWorld({ dataDir: join(dir, `ws-${rep}`), pki, sandboxUrl: url, log: silentLogger, timeoutMs: 30_000 });
  try {
    await queueRequests(w, { count: n, documentBytes: MIB, offset: 100_000 * (rep + 1) });
    const engine = w.engine({ concurrency: C, uploadChunkBytes: MIB, backoffBaseSeconds: 2, maxBackoffSeconds: 300, intervalSeconds: 10 });
    const m = await measuredCpu(sandboxPid, () => (profile ? profiled(profile, () => engine.runOnce()) : engine.runOnce()));
    const registered = (w.store.db.prepare(`SELECT COUNT(*) AS n FROM requests WHERE status = 'registered'`).get() as { n: number }).n;
    if (registered !== n) throw new Error(`the engine registered ${registered} of ${n}`);
    return m;
  } finally {
    await w.close();
  }
}

/** Runs `fn` under V8's sampling profiler and writes the profile (the engine's drain, with --profile). */
async function profiled(file: string, fn: () => Promise<unknown>): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

// ------------------------------------------------------------------ 2. load

interface LoadResult {
  submits: number;
  latencies: number[];
  errors: Record<string, number>;
  seconds: number;
}

async function load(url: string, workstations: number, seconds: number): Promise<LoadResult> {
  const clients: GatewayClient[] = Array.from({ length: workstations }, () => workstationClient(pki, url, () => new Date(), 30_000));
  const res: LoadResult = { submits: 0, latencies: [], errors: {}, seconds };
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (client, k) => {
      // Workstations do not start in step.
      await new Promise((r) => setTimeout(r, (k * 997) % 1000));
      while (performance.now() < end) {
        try {
          const doc = randomBytes(16 * 1024);
          const d = { sha256: sha(doc), size: doc.byteLength };
          await client.startUpload({ ...d, chunkSize: 64 * 1024 });
          await client.putChunk(d.sha256, 0, doc);
          await client.completeUpload(d.sha256);
          const manifest = manifestFor(randomUUID(), 900_000 + n++, [d]);
          const t = performance.now();
          const receipt = await client.submit({
            idempotencyKey: `W${k}:${randomUUID()}`,
            workstationId: 'W01',
            centreBin: CENTRE_BIN,
            serviceId: SERVICE.id,
            subServiceId: SERVICE.subService,
            manifest,
            cms: cmsFor(manifest),
            documents: [d],
          });
          res.latencies.push(performance.now() - t);
          res.submits++;
          await client.statuses([receipt.registrationNumber]);
        } catch (e) {
          const code = e instanceof AppError ? e.code : 'INTERNAL';
          res.errors[code] = (res.errors[code] ?? 0) + 1;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }),
  );
  res.seconds = (performance.now() - t0) / 1000;
  for (const c of clients) c.close();
  return res;
}

// ------------------------------------------------------------------ 3. an offline day over a slow line

async function offlineDay(sandboxPort: number, admin: SandboxAdmin, line: { mbit: number; rttMs: number }, rep: number): Promise<{ seconds: number; ideal: number; bytesRatio: number; drainRatio: number }> {
  const link = await startSlowLink({ target: { host: '127.0.0.1', port: sandboxPort }, rateBitsPerSecond: line.mbit * 1e6, rttMs: line.rttMs });
  const w = await openSyncWorld({ dataDir: join(dir, `day-${rep}`), pki, sandboxUrl: link.url, log: silentLogger, timeoutMs: 60_000 });
  try {
    const before = (await admin.stats()).submissions;
    await queueRequests(w, { count: DAY, pages: PAGES, documentBytes: PAGE_BYTES, offset: 300_000 + 10_000 * rep });
    // As the app runs it: sync.concurrency 2, backend.uploadChunkKiB 1024, the default backoff.
    const engine = w.engine({ concurrency: C, uploadChunkBytes: MIB, backoffBaseSeconds: 2, maxBackoffSeconds: 300, intervalSeconds: 10 });
    const t0 = performance.now();
    await engine.runOnce();
    const seconds = (performance.now() - t0) / 1000;
    const registered = (await admin.stats()).submissions - before;
    if (registered !== DAY) throw new Error(`the engine registered ${registered} of ${DAY}`);
    const documents = DAY * PAGES * PAGE_BYTES;
    const ideal = (documents * 8) / (line.mbit * 1e6);
    return { seconds, ideal, bytesRatio: link.bytesUp / documents, drainRatio: seconds / ideal };
  } finally {
    await w.close();
    await link.close();
  }
}

// ------------------------------------------------------------------ run

const sandbox = await startSandboxProcess();
try {
  console.log(`bench/sync: ${N} requests × 1 MiB, ${REPS} repetitions, concurrency ${C}; then ${W} workstations for ${SECONDS} s; then an offline day of ${DAY} requests × ${PAGES} pages of ${PAGE_BYTES / 1024} KiB over two slow lines`);
  if (ONLY.has('drain')) {
  // Warm-up (TLS sessions, JIT, the sandbox's first writes).
  await plainDrain(sandbox.url, 2, 0, sandbox.child.pid!);
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  const selfRatios: number[] = [];
  const mbps = { plain: [] as number[], engine: [] as number[] };
  const pid = sandbox.child.pid!;
  const cpu = (m: { cpuSelf: number; cpuSandbox: number | null }) => (m.cpuSandbox === null ? `${(m.cpuSelf * 1000 / N).toFixed(1)} ms` : `${((m.cpuSelf * 1000) / N).toFixed(1)} + ${((m.cpuSandbox * 1000) / N).toFixed(1)} ms`);
  for (let rep = 0; rep < REPS; rep++) {
    const profile = rep === REPS - 1 && values.profile ? values.profile : null;
    const plain = await plainDrain(sandbox.url, N, 10_000 * (rep + 1), pid, profile && `${profile}.plain.cpuprofile`);
    const engine = await engineDrain(sandbox.url, N, rep, pid, profile && `${profile}.engine.cpuprofile`);
    const p = N / plain.s;
    const e = N / engine.s;
    mbps.plain.push(p);
    mbps.engine.push(e);
    ratios.push(e / p);
    selfRatios.push(plain.cpuSelf / engine.cpuSelf);
    if (plain.cpuSandbox !== null && engine.cpuSandbox !== null) cpuRatios.push((plain.cpuSelf + plain.cpuSandbox) / (engine.cpuSelf + engine.cpuSandbox));
    console.log(
      `  run ${rep + 1}: plain script ${p.toFixed(1)} MiB/s (${plain.s.toFixed(2)} s), engine ${e.toFixed(1)} MiB/s (${engine.s.toFixed(2)} s), ratio ${(e / p).toFixed(2)}; CPU per MiB (workstation + sandbox): plain ${cpu(plain)}, engine ${cpu(engine)}`,
    );
  }
  console.log(`drain throughput: engine ${median(mbps.engine).toFixed(1)} MiB/s vs plain ${median(mbps.plain).toFixed(1)} MiB/s: median ratio ${median(ratios).toFixed(2)} (target ≥ 0.9)`);
  console.log(`drain CPU, the workstation's process alone: the plain script's CPU per MiB / the engine's: median ${median(selfRatios).toFixed(2)}`);
  if (cpuRatios.length) console.log(`drain CPU: the plain script's CPU per MiB (both processes) / the engine's: median ${median(cpuRatios).toFixed(2)} (machine load during the runs: ${loadavg()[0]!.toFixed(1)})`);
  }
  if (ONLY.has('load')) {
  const alone = await load(sandbox.url, 1, Math.min(5, SECONDS));
  const loaded = await load(sandbox.url, W, SECONDS);
  const p95Alone = pct(alone.latencies, 95);
  const errorCount = Object.values(loaded.errors).reduce((a, b) => a + b, 0);
  console.log(`load, 1 workstation alone: ${(alone.submits / alone.seconds).toFixed(1)} submissions/s, submit p50 ${pct(alone.latencies, 50).toFixed(1)} ms, p95 ${p95Alone.toFixed(1)} ms`);
  console.log(
    `load, ${W} workstations, ${loaded.seconds.toFixed(0)} s: ${loaded.submits} submissions (${(loaded.submits / loaded.seconds).toFixed(1)}/s), submit p50 ${pct(loaded.latencies, 50).toFixed(1)} ms, p95 ${pct(loaded.latencies, 95).toFixed(1)} ms, p99 ${pct(loaded.latencies, 99).toFixed(1)} ms; p95 ratio to one workstation alone ${(pct(loaded.latencies, 95) / p95Alone).toFixed(1)}`,
  );
  console.log(`load errors: ${errorCount}${errorCount ? ` ${JSON.stringify(loaded.errors)}` : ''}`);
  }
  if (ONLY.has('day')) {
    // Mbit/s / round trip in ms, e.g. --lines 10/50 for the first line alone.
    const lines = values.lines.split(',').map((l) => {
      const [mbit, rttMs] = l.split('/').map(Number);
      return { mbit: mbit!, rttMs: rttMs! };
    });
    for (const [i, line] of lines.entries()) {
      const r = await offlineDay(Number(new URL(sandbox.url).port), sandbox.admin, line, i);
      console.log(
        `offline day over ${line.mbit} Mbit/s + ${line.rttMs} ms: ${DAY} × ${PAGES} pages drained in ${r.seconds.toFixed(1)} s vs ${r.ideal.toFixed(1)} s of documents at the line's rate: ratio ${r.drainRatio.toFixed(2)} (target ≤ 1.2); bytes sent / documents ${r.bytesRatio.toFixed(3)} (target ≤ 1.05)`,
      );
    }
  }
  const stats = await sandbox.admin.stats();
  console.log(`sandbox: ${stats.submissions} registrations, duplicate registrations ${stats.duplicateRegistrations}`);
} finally {
  sandbox.child.kill('SIGTERM');
  await new Promise((r) => sandbox.child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
