/**
 * Crash safety: a child process runs random create / attach / sign / send / cancel / re-open work
 * against a real database file and is killed with SIGKILL at a random moment, 100 times on the same
 * data directory. After each kill: the integrity check passes, every operation the child
 * acknowledged (printed only after its commit returned) is there, no request is half-transitioned
 * (status agrees with its history; a current signature iff signed or later; a current outbox entry
 * iff queued or later), every page row has its file with the right content, and the audit chain
 * verifies.
 *
 * SIGKILL loses the process, not the machine: the OS still writes what the process handed it. A
 * power cut (lost page cache) is covered by synchronous=FULL and the fsyncs, not by this test.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditLog } from '../../../src-main/audit/audit-log.js';
import type { RequestStatus } from '../../../src-main/contract/model.js';
import type { Db } from '../../../src-main/db/database.js';
import { openDataDatabase } from '../../../src-main/db/store.js';
import { openBytes } from '../../../src-main/crypto/content-cipher.js';
import { fileSealer, loadKeyring } from '../../../src-main/crypto/keyring.js';
import { keyDirOf } from '../../../src-main/db/at-rest.js';
import { QUEUED_STATUSES, SIGNED_STATUSES } from '../../../src-main/contract/lifecycle.js';
import { bundleForNode } from '../../support/bundle.js';

const ITERATIONS = 100;
let dir: string;
let bundle: string;
const hashed = new Set<string>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qab-crash-'));
  const out = await bundleForNode('qab-crash', {
    'crash-child': 'test/faults/db/crash-child.ts',
    'store-worker': 'src-main/db/worker.ts',
    'papers-worker': 'src-main/papers/worker.ts',
  });
  bundle = join(out, 'crash-child.js');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Acks {
  created: Set<string>;
  pages: Map<string, string>;
  statuses: [string, RequestStatus][];
}

/**
 * When to kill: during start-up (`{ startupMs }` from spawn: open, migrations, integrity check), or
 * while working: after the child has acknowledged `afterAcks` operations, `delayMs` into whatever it
 * does next. Counting acknowledgements (not milliseconds) makes the work done per child the same
 * on a quiet or a busy machine; the delay puts the kill at a random point inside an operation.
 */
type KillAt = { startupMs: number } | { afterAcks: number; delayMs: number };

function runAndKill(seed: number, at: KillAt, acks: Acks): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, join(dir, 'data'), String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    let err = '';
    let seen = 0;
    let armed = false;
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const [kind, what, id, a, b] = line.split(' ');
        if (kind === 'ack') seen += 1;
        if ('afterAcks' in at && !armed && (line === 'ready' ? at.afterAcks === 0 : kind === 'ack' && seen >= at.afterAcks)) {
          armed = true;
          clearTimeout(timer);
          timer = setTimeout(() => child.kill('SIGKILL'), at.delayMs);
        }
        if (kind !== 'ack') continue;
        if (what === 'create') acks.created.add(id!);
        else if (what === 'page') acks.pages.set(a!, b!);
        else if (what === 'status') acks.statuses.push([id!, a as RequestStatus]);
      }
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    // A child that never gets as far as the chosen point is killed anyway, after a while.
    let timer = setTimeout(() => child.kill('SIGKILL'), 'startupMs' in at ? at.startupMs : 20_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`the child stopped by itself (${code}): ${err.slice(0, 2000)}`));
    });
  });
}

function check(db: Db, acks: Acks, iteration: number): void {
  const at = `after kill ${iteration}`;
  expect(db.pragma('integrity_check', { simple: true }), at).toBe('ok');
  expect(db.pragma('foreign_key_check'), at).toEqual([]);
  const exists = db.prepare('SELECT 1 FROM requests WHERE id = ?');
  for (const id of acks.created) expect(exists.get(id), `${at}: acknowledged request ${id}`).toBeTruthy();
  const pageRow = db.prepare('SELECT sha256 FROM pages WHERE id = ?');
  for (const [pageId, sha] of acks.pages) expect(pageRow.get(pageId), `${at}: acknowledged page ${pageId}`).toEqual({ sha256: sha });
  const reached = db.prepare('SELECT 1 FROM status_history WHERE request_id = ? AND to_status = ?');
  for (const [id, status] of acks.statuses) expect(reached.get(id, status), `${at}: acknowledged ${status} of ${id}`).toBeTruthy();

  const requests = db.prepare('SELECT id, status FROM requests').all() as { id: string; status: RequestStatus }[];
  const history = db.prepare('SELECT from_status, to_status FROM status_history WHERE request_id = ? ORDER BY id');
  const sig = db.prepare('SELECT COUNT(*) AS n FROM signatures WHERE request_id = ? AND superseded_at IS NULL');
  const entry = db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE request_id = ? AND kind = 'submit' AND superseded_at IS NULL`);
  for (const r of requests) {
    const h = history.all(r.id) as { from_status: string | null; to_status: string }[];
    expect(h[0]?.from_status, `${at}: ${r.id} history starts at draft`).toBeNull();
    for (let i = 1; i < h.length; i++) expect(h[i]!.from_status, `${at}: ${r.id} history chain`).toBe(h[i - 1]!.to_status);
    expect(h.at(-1)!.to_status, `${at}: ${r.id} status agrees with history`).toBe(r.status);
    const signatures = (sig.get(r.id) as { n: number }).n;
    const entries = (entry.get(r.id) as { n: number }).n;
    if (r.status === 'needs_attention') {
      expect(signatures, `${at}: ${r.id}`).toBe(1);
    } else {
      expect(signatures, `${at}: ${r.id} signature iff signed (${r.status})`).toBe(SIGNED_STATUSES.has(r.status) ? 1 : 0);
      expect(entries, `${at}: ${r.id} outbox entry iff queued (${r.status})`).toBe(QUEUED_STATUSES.has(r.status) ? 1 : 0);
    }
  }
  const files = join(dir, 'data', 'files');
  for (const { sha256 } of db.prepare('SELECT DISTINCT sha256 FROM pages').all() as { sha256: string }[]) {
    const p = join(files, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    expect(existsSync(p), `${at}: file of page ${sha256}`).toBe(true);
    // Content checked once per file (files are immutable).
    if (!hashed.has(sha256)) {
      // Files are encrypted at rest: decrypted (and authenticated) with the folder's keyring.
      const plain = openBytes(readFileSync(p), loadKeyring(keyDirOf(join(dir, 'data')), fileSealer).contentKeys());
      expect(createHash('sha256').update(plain).digest('hex'), `${at}: content of ${sha256}`).toBe(sha256);
      hashed.add(sha256);
    }
  }
  expect(db.prepare('SELECT status, n FROM request_status_counts WHERE n > 0 ORDER BY status').all(), `${at}: status counts`).toEqual(
    db.prepare('SELECT status, COUNT(*) AS n FROM requests GROUP BY status ORDER BY status').all(),
  );
  const v = new AuditLog(db).verify();
  expect(v.firstBroken, at).toBeNull();
}

// The work is counted in acknowledgements, so a busy machine takes longer, not less care: the
// timeout leaves room for several times the ~160 s it takes here.
it(`survives ${ITERATIONS} SIGKILLs at random moments with nothing acknowledged lost and nothing half-done`, { timeout: 900_000 }, async () => {
  const acks: Acks = { created: new Set(), pages: new Map(), statuses: [] };
  let rnd = 12345;
  const next = () => {
    rnd = (rnd * 1103515245 + 12345) & 0x7fffffff;
    return rnd / 0x7fffffff;
  };
  for (let i = 0; i < ITERATIONS; i++) {
    // Mostly while working (after 0-15 acknowledged operations, 0-40 ms into the next one);
    // every tenth during start-up (open, migrations, integrity check).
    const at: KillAt = i % 10 === 3 ? { startupMs: 20 + Math.floor(next() * 200) } : { afterAcks: Math.floor(next() * 16), delayMs: Math.floor(next() * 40) };
    await runAndKill(i + 1, at, acks);
    const db = openDataDatabase(join(dir, 'data'), { migrate: true });
    try {
      check(db, acks, i);
    } finally {
      db.close();
    }
  }
  // The children did real work.
  expect(acks.created.size).toBeGreaterThan(100);
  expect(acks.pages.size).toBeGreaterThan(100);
  expect(acks.statuses.filter(([, s]) => s === 'registered').length).toBeGreaterThan(10);
});
