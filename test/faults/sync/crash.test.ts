/**
 * Crashes: the sync engine runs in a child process against the real database file and the sandbox
 * (HTTPS, mutual TLS) and is killed with SIGKILL at random moments, 50 times: while it looks
 * applicants up, uploads chunks (slowed down so kills land mid-upload), submits, records
 * registrations, polls decisions, downloads and verifies results, acknowledges issue. A busy
 * machine gets less done between kills, so the kills go on past 50 until they have hit every stage
 * (a third of the requests submitted, more than ten results handed over). Between
 * kills the test opens the store as the app would, checks it and hands a few results over (so
 * acknowledgements are in flight at the next kill). After every kill: nothing local is lost or
 * half-done, and the backend never holds a registration the workstation does not know of, or two
 * for one request. At the end an engine drains everything: every request registered exactly once
 * at the backend, decided, the handed-over ones acknowledged once.
 *
 * The sandbox does not check operators' signatures here (its fast mode; see exactly-once.test.ts
 * for why); it does sign results, and the engine verifies them with the provider's root.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditLog } from '../../../src-main/audit/audit-log.js';
import type { RequestStatus } from '../../../src-main/contract/model.js';
import { silentLogger } from '../../../src-main/host/logger-types.js';
import { makeIin } from '../../support/store-fixture.js';
import { bundleForNode } from '../../support/bundle.js';
import { startGatewayRig, type GatewayRig } from '../../support/gateway.js';
import { openSyncWorld, queueRequests, until, type SyncWorld } from '../../support/sync-fixture.js';
import { expectExactlyOnce } from '../../support/sync-rigs.js';

/** At least this many kills; more (up to MAX_KILLS) until the kills have hit every stage of the work. */
const KILLS = 50;
const MAX_KILLS = 200;
const COUNT = 300;
const REGISTERED: ReadonlySet<RequestStatus> = new Set(['registered', 'under_review', 'refused', 'result_ready', 'issued']);
let dir: string;
let bundle: string;
let rig: GatewayRig;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qab-sync-crash-'));
  const out = await bundleForNode('qab-sync-crash', { 'crash-child': 'test/faults/sync/crash-child.ts', 'store-worker': 'src-main/db/worker.ts' });
  bundle = join(out, 'crash-child.js');
  // Decisions two seconds after registration; chunks and submissions slowed so kills land mid-way.
  rig = await startGatewayRig({
    verifySubmission: undefined,
    decisionDelayMs: 2000,
    faults: {
      seed: 5,
      rules: [
        { endpoint: 'chunk', kind: 'latency', ms: 40, rate: 0.5 },
        { endpoint: 'submit', kind: 'latency', ms: 40, rate: 0.5 },
      ],
    },
  });
}, 120_000);
afterAll(async () => {
  await rig?.close();
  rmSync(dir, { recursive: true, force: true });
});

const dataDir = () => join(dir, 'data');
const open = () => openSyncWorld({ dataDir: dataDir(), pki: rig.pki, sandboxUrl: rig.sandbox.url, log: silentLogger });

function runAndKill(killAfterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const pkiFile = join(dir, 'pki.json');
    writeFileSync(pkiFile, JSON.stringify(rig.pki));
    const child = spawn(process.execPath, [bundle, dataDir(), rig.sandbox.url, pkiFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs < 0 ? -killAfterMs : 20_000);
    child.stdout.on('data', (c: Buffer) => {
      if (killAfterMs >= 0 && c.toString().includes('ready')) {
        clearTimeout(timer);
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`the child stopped by itself (${code}): ${err.slice(0, 2000)}`));
    });
  });
}

/** After a kill: the store is whole and agrees with itself and with the backend. */
async function check(w: SyncWorld, ids: string[], at: string): Promise<void> {
  const db = w.store.db;
  expect(db.pragma('integrity_check', { simple: true }), at).toBe('ok');
  expect((db.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n, at).toBe(ids.length);
  const rows = db
    .prepare(
      `SELECT r.id, r.status, r.registration_number AS number, o.idempotency_key AS key, o.state, o.outcome, o.submitted_at
       FROM requests r JOIN outbox o ON o.request_id = r.id AND o.kind = 'submit'`,
    )
    .all() as { id: string; status: RequestStatus; number: string | null; key: string; state: string; outcome: string | null; submitted_at: string | null }[];
  const last = db.prepare('SELECT to_status FROM status_history WHERE request_id = ? ORDER BY id DESC LIMIT 1');
  for (const r of rows) {
    expect((last.get(r.id) as { to_status: string }).to_status, `${at}: history of ${r.id}`).toBe(r.status);
    if (REGISTERED.has(r.status)) expect([r.number !== null, r.state, r.outcome], `${at}: ${r.id} ${r.status}`).toEqual([true, 'done', 'accepted']);
    else expect([r.status, r.number, r.state], `${at}: ${r.id}`).toEqual([r.status, null, 'pending']);
    if (r.status === 'sent') expect(r.submitted_at, `${at}: ${r.id} sent`).not.toBeNull();
  }
  // The backend: no registration the workstation does not know of, one per request, the same number.
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const remote = await rig.admin.submissions();
  for (const s of remote) {
    const local = byKey.get(s.idempotencyKey);
    expect(local, `${at}: backend key ${s.idempotencyKey}`).toBeDefined();
    if (local!.number !== null) expect(local!.number, at).toBe(s.registrationNumber);
  }
  expect((await rig.admin.stats()).duplicateRegistrations, at).toBe(0);
  // A result shown as ready has a verified, stored file.
  const ready = db.prepare(`SELECT r.id, res.verification, res.sha256 FROM requests r LEFT JOIN results res ON res.request_id = r.id WHERE r.status = 'result_ready'`).all() as {
    id: string;
    verification: string | null;
    sha256: string | null;
  }[];
  for (const r of ready) {
    expect(r.verification, `${at}: result of ${r.id}`).toBe('valid');
    expect(await w.store.files.has(r.sha256!), `${at}: result file of ${r.id}`).toBe(true);
  }
  expect(db.prepare('SELECT status, n FROM request_status_counts WHERE n > 0 ORDER BY status').all(), at).toEqual(
    db.prepare('SELECT status, COUNT(*) AS n FROM requests GROUP BY status ORDER BY status').all(),
  );
  expect(new AuditLog(db).verify().firstBroken, at).toBeNull();
}

it(`delivers exactly once through ${KILLS} or more SIGKILLs of the sync process, and resumes everything after each`, { timeout: 900_000 }, async () => {
  // Most applicants are refused (cheap decisions); one in ten is approved with a signed permit;
  // a few were entered by hand offline and are looked up first.
  const manual = ['781201300016', '950512400017', '880229400013'];
  const iins = Array.from({ length: COUNT }, (_, i) => (i < manual.length ? manual[i]! : makeIin(800_000 + i)));
  const approved = iins.filter((_, i) => i < manual.length || i % 10 === 0).length;
  for (const [i, iin] of iins.entries()) if (i >= manual.length && i % 10 !== 0) await rig.admin.setOutcome(iin, 'refuse', ['QUALIFICATION']);
  let w = await open();
  // Documents of 20 KB to 300 KB: one to five 64 KiB chunks.
  const sizes = [20_000, 70_000, 140_000, 200_000, 300_000];
  const per = COUNT / sizes.length;
  const ids: string[] = [];
  for (const [k, size] of sizes.entries()) {
    const slice = iins.slice(k * per, (k + 1) * per);
    ids.push(...(await queueRequests(w, { count: per, documentBytes: size, applicant: (i) => ({ iin: slice[i]!, verified: !manual.includes(slice[i]!) }) })));
  }
  await w.close();

  let rnd = 424242;
  const next = () => {
    rnd = (rnd * 1103515245 + 12345) & 0x7fffffff;
    return rnd / 0x7fffffff;
  };
  let handedOver = 0;
  // The kills hit real work: registrations, repeated deliveries after a kill, decisions, acknowledgements.
  const everyStageHit = async () => (await rig.admin.stats()).submissions > COUNT / 3 && handedOver > 10;
  let kills = 0;
  while (kills < MAX_KILLS && (kills < KILLS || !(await everyStageHit()))) {
    // Mostly while working; every tenth during start-up.
    const killAfter = kills % 10 === 7 ? -(50 + Math.floor(next() * 400)) : 100 + Math.floor(next() * 1400);
    await runAndKill(killAfter);
    kills++;
    w = await open();
    try {
      await check(w, ids, `after kill ${kills}`);
      // The operator hands a few results (or refusals) over while the sync process is down.
      const decided = w.store.db.prepare(`SELECT id FROM requests WHERE status IN ('result_ready', 'refused') ORDER BY id LIMIT 3`).all() as { id: string }[];
      for (const r of decided) w.requests.issue({ id: w.operatorId }, r.id, 'applicant');
      handedOver += decided.length;
    } finally {
      await w.close();
    }
  }
  const progress = await rig.admin.stats();
  console.log(`${kills} kills; ${progress.submissions} submissions reached the backend, ${handedOver} results handed over meanwhile`);
  expect(progress.submissions).toBeGreaterThan(COUNT / 3);
  expect(handedOver).toBeGreaterThan(10);

  // Then it runs to the end.
  w = await open();
  try {
    const engine = w.engine({ intervalSeconds: 1 });
    engine.start();
    const pending = () =>
      w.store.db
        .prepare(
          `SELECT (SELECT COUNT(*) FROM requests WHERE status NOT IN ('refused', 'result_ready', 'issued')) AS undecided,
                  (SELECT COUNT(*) FROM outbox WHERE state <> 'done') AS unsent`,
        )
        .get() as { undecided: number; unsent: number };
    await until(() => pending().undecided === 0 && pending().unsent === 0, 180_000, pending);
    await engine.stop();
    await check(w, ids, 'at the end');
    await expectExactlyOnce(w, rig.admin, ids, ['refused', 'result_ready', 'issued']);
    const issued = (w.store.db.prepare('SELECT COUNT(*) AS n FROM issuances').get() as { n: number }).n;
    expect(issued).toBe(handedOver);
    expect((await rig.admin.stats()).issued).toBe(issued);
    // Every approval's permit arrived and verified (the refusals have none).
    expect(w.store.db.prepare(`SELECT COUNT(DISTINCT request_id) AS n FROM results WHERE verification = 'valid'`).get()).toEqual({ n: approved });
  } finally {
    await w.close();
  }
});
