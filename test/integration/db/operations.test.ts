/**
 * The store's operations against a real data directory: the audit chain and its verify command
 * (with a tampered row), backup and restore (through the admin command), retention (the chain
 * still verifies afterwards, shared files survive), and start-up reconciliation of files and rows.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAdmin } from '../../../scripts/admin.js';
import type { RequestDetail } from '../../../src-main/contract/model.js';
import { CounterRefusalsRepo } from '../../../src-main/db/repos/counter-refusals.js';
import { openDataDatabase } from '../../../src-main/db/store.js';
import { appRoot } from '../../../src-main/host/paths.js';
import { createRequest, makeIin, openFixture, signedRequest, type StoreFixture } from '../../support/store-fixture.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function fixture(): Promise<StoreFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'qab-ops-'));
  const fx = await openFixture({ dir });
  await fx.store.reconciled;
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return fx;
}

/** Runs an admin command in-process against the fixture's data directory; returns exit code and output. */
async function admin(fx: StoreFixture, ...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const env = { HOME: fx.dir, QABYLDAU_MACHINE_CONFIG: join(fx.dir, 'none.json'), QABYLDAU_USER_CONFIG: join(fx.dir, 'none.json'), QABYLDAU_DATA_DIR: fx.dataDir };
  const code = await runAdmin(args, (l) => lines.push(l), env, fx.now);
  return { code, out: lines.join('\n') };
}

function walk(fx: StoreFixture, r: RequestDetail, to: 'issued'): void {
  for (const [from, next] of [
    ['queued', 'sent'],
    ['sent', 'registered'],
    ['registered', 'result_ready'],
  ] as const) {
    fx.requests.setStatus(r.id, from, next, 'sync');
  }
  if (to === 'issued') fx.requests.issue(fx.actor, r.id, 'applicant');
}

describe('audit trail', () => {
  it('verifies, and the verify command names the first broken link after a row is changed in SQLite directly', async () => {
    const fx = await fixture();
    await signedRequest(fx);
    const ok = await admin(fx, 'audit-verify');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/audit chain OK: \d+ entries/);
    const total = fx.requests.audit.verify().entries;
    await fx.close({ keep: true });

    // Someone with the file edits an entry (dropping the append-only trigger first, as they could).
    const db = openDataDatabase(fx.dataDir);
    const target = db.prepare(`SELECT seq FROM audit_log WHERE action = 'request.signed'`).get() as { seq: number };
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(`UPDATE audit_log SET actor = 'someone-else' WHERE seq = ?`).run(target.seq);
    db.close();
    const bad = await admin(fx, 'audit-verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`BROKEN at entry ${target.seq} (hash)`);

    // Re-hashing the edited row to hide it breaks the next link instead.
    const db2 = openDataDatabase(fx.dataDir);
    const { auditEntryHash } = await import('../../../src-main/db/migrations/003_audit.js');
    const row = db2.prepare('SELECT * FROM audit_log WHERE seq = ?').get(target.seq) as Parameters<typeof auditEntryHash>[0];
    db2.prepare('UPDATE audit_log SET hash = ? WHERE seq = ?').run(auditEntryHash(row), target.seq);
    db2.close();
    expect((await admin(fx, 'audit-verify')).out).toContain(`BROKEN at entry ${target.seq + 1} (prev_hash)`);

    // Deleting a row in the middle is found too.
    const db3 = openDataDatabase(fx.dataDir);
    db3.pragma('foreign_keys = OFF');
    db3.exec('DROP TRIGGER audit_log_no_delete');
    db3.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    db3.close();
    expect((await admin(fx, 'audit-verify')).out).toContain('BROKEN at entry 3 (seq_gap)');
    expect(total).toBeGreaterThan(5);
  });

  it('keeps personal data out of the chained part: it lives in audit_personal behind a salted digest', async () => {
    const fx = await fixture();
    const r = createRequest(fx, 7);
    const chained = JSON.stringify(fx.store.db.prepare('SELECT * FROM audit_log').all());
    expect(chained).not.toContain(makeIin(7));
    expect(fx.requests.audit.entries(r.id)[0]).toMatchObject({ action: 'request.created', personal: { applicant: `iin:${makeIin(7)}` } });
    await fx.close();
  });
});

describe('backup and restore', () => {
  it('backs up online, and restores with the app stopped: the damaged file kept aside, the chain intact', async () => {
    const fx = await fixture();
    const before = await signedRequest(fx, 1);
    const b = await fx.store.backups.backupNow('manual', 'admin');
    expect(readdirSync(join(fx.dataDir, 'backups'))).toEqual([b.name]);
    // Work after the backup (lost by a restore, its files reported as orphans).
    const after = await signedRequest(fx, 2);
    expect(fx.requests.search({}).map((x) => x.id).sort()).toEqual([before.id, after.id].sort());

    // Restore refuses to run while the app holds the data directory.
    await expect(admin(fx, 'restore', '--latest')).rejects.toMatchObject({ code: 'STORAGE_IN_USE' });
    await fx.close({ keep: true });

    const res = await admin(fx, 'restore', '--latest');
    expect(res.code).toBe(0);
    expect(res.out).toContain(`restored from ${b.name}`);
    expect(res.out).toMatch(/kept as .*damaged/);
    const damaged = readdirSync(join(fx.dataDir, 'damaged'));
    expect(damaged).toHaveLength(1);
    expect(existsSync(join(fx.dataDir, 'damaged', damaged[0]!, 'qabyldau.sqlite'))).toBe(true);

    const fx2 = await openFixture({ dir: fx.dir });
    cleanup.push(() => fx2.close({ keep: true }));
    expect(fx2.requests.search({}).map((x) => x.id)).toEqual([before.id]);
    expect(fx2.requests.detail(before.id).status).toBe('queued');
    const v = fx2.requests.audit.verify();
    expect(v.ok).toBe(true);
    // The restore is audited; the files of the work done after the backup (its pages and its
    // per-slot PDFs) are reported as orphans by the reconciliation at the next start, not deleted.
    await expect
      .poll(() => (fx2.store.db.prepare(`SELECT action, data FROM audit_log ORDER BY seq DESC LIMIT 2`).all() as { action: string; data: string }[]).map((r) => r.action))
      .toEqual(['admin.reconcile', 'admin.restore']);
    const reconcile = fx2.store.db.prepare(`SELECT data FROM audit_log WHERE action = 'admin.reconcile'`).get() as { data: string };
    expect((JSON.parse(reconcile.data) as { orphans: number }).orphans).toBeGreaterThan(0);
  });

  it('refuses a damaged backup and keeps the current database', async () => {
    const fx = await fixture();
    await fx.close({ keep: true });
    const bad = join(fx.dir, 'qabyldau-20260101-000000.sqlite');
    writeFileSync(bad, Buffer.alloc(8192, 7));
    await expect(admin(fx, 'restore', bad)).rejects.toMatchObject({ code: 'STORAGE_BACKUP_CORRUPT' });
    expect(existsSync(join(fx.dataDir, 'damaged'))).toBe(false);
    expect((await admin(fx, 'integrity', '--full')).out).toContain('integrity check: ok');
  });

  it('works from the bundle too: dist/main/admin.js finds the bundled worker (run `node scripts/build.mjs` first)', async () => {
    const fx = await fixture();
    createRequest(fx, 1);
    await fx.close({ keep: true });
    const { execFileSync } = await import('node:child_process');
    const bundle = join(appRoot(), 'dist', 'main', 'admin.js');
    expect(existsSync(bundle), 'build first: node scripts/build.mjs').toBe(true);
    const env = { ...process.env, HOME: fx.dir, QABYLDAU_MACHINE_CONFIG: join(fx.dir, 'none.json'), QABYLDAU_USER_CONFIG: join(fx.dir, 'none.json'), QABYLDAU_DATA_DIR: fx.dataDir };
    const out = execFileSync(process.execPath, [bundle, 'backup-now'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toMatch(/backup written: .*qabyldau-\d{8}-\d{6}\.sqlite/);
    expect(execFileSync(process.execPath, [bundle, 'integrity', '--full'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toContain('ok');
  });

  it('keeps only the newest N backups', async () => {
    const fx = await fixture();
    for (let i = 0; i < 4; i++) {
      fx.clock.t += 3600_000;
      await fx.store.backups.backupNow('scheduled');
    }
    const kept = fx.store.backups.list().map((x) => x.name);
    expect(kept).toHaveLength(4);
    fx.store.backups.prune(2);
    expect(fx.store.backups.list().map((x) => x.name)).toEqual(kept.slice(0, 2));
    await fx.close();
  });
});

describe('retention', () => {
  it('purges personal data and scans N days after issuance, keeps shared files and non-personal facts, and the chain still verifies', async () => {
    const fx = await fixture();
    const old = await signedRequest(fx, 1);
    walk(fx, old, 'issued');
    // A P4 refusal at the counter, as old: its record stays, the number it names goes.
    const refusals = new CounterRefusalsRepo(fx.store.db);
    const p4 = { operator_id: fx.actor.id, ground: 'data_unavailable', stage: 'counter', registry: 'individuals', applicant_kind: 'iin', service_id: null, sub_service_id: null, request_id: null, documents_json: null } as const;
    refusals.insert({ ...p4, id: 'p4-old', at: fx.now().toISOString(), applicant_number: makeIin(3) });
    fx.clock.t += 40 * 86_400_000;
    refusals.insert({ ...p4, id: 'p4-recent', at: fx.now().toISOString(), applicant_number: makeIin(4) });
    // A newer request with the SAME scan bytes (content-addressed: one file shared by both).
    const recent = await signedRequest(fx, 2);
    const sharedSha = recent.slots[0]!.pages[0]!.sha256;
    expect(old.slots[0]!.pages[0]!.sha256).toBe(sharedSha);
    await fx.close({ keep: true });

    const dry = await admin(fx, 'retention', '--days', '30', '--dry-run');
    expect(dry.out).toMatch(/would purge 1 request/);
    const run = await admin(fx, 'retention', '--days', '30');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/purged 1 request\(s\).* 5 page\(s\), 1 applicant record\(s\)/);

    const fx2 = await openFixture({ dir: fx.dir });
    cleanup.push(() => fx2.close({ keep: true }));
    const db = fx2.store.db;
    expect(db.prepare('SELECT COUNT(*) AS n FROM pages WHERE request_id = ?').get(old.id)).toEqual({ n: 0 });
    expect(db.prepare('SELECT number, name, purged_at IS NOT NULL AS purged FROM applicants WHERE id = (SELECT applicant_id FROM requests WHERE id = ?)').get(old.id)).toEqual({
      number: null,
      name: null,
      purged: 1,
    });
    expect(db.prepare('SELECT manifest, length(cms) > 0 AS cms FROM signatures WHERE request_id = ?').get(old.id)).toEqual({ manifest: null, cms: 1 });
    // Non-personal facts stay: the status history, the registration, the audit entries.
    expect(fx2.requests.detail(old.id).history.map((h) => h.status).at(-1)).toBe('issued');
    const entries = fx2.requests.audit.entries(old.id);
    expect(entries.find((e) => e.action === 'request.created')).toMatchObject({ personal: null, personalPurged: true });
    expect(fx2.requests.audit.verify()).toMatchObject({ ok: true, personalPurged: 1 });
    // The scan shared with the recent request is still there; the recent request is untouched.
    expect(await fx2.store.files.has(sharedSha)).toBe(true);
    expect(fx2.requests.detail(recent.id).applicant.number).toBe(makeIin(2));
    expect(db.prepare('SELECT id, ground, applicant_number FROM counter_refusals ORDER BY id').all()).toEqual([
      { id: 'p4-old', ground: 'data_unavailable', applicant_number: null },
      { id: 'p4-recent', ground: 'data_unavailable', applicant_number: makeIin(4) },
    ]);
    // The IIN is gone from the database file itself (freed pages zeroed, WAL truncated), and the
    // file is encrypted: not even the kept IIN is readable in its bytes.
    await fx2.close({ keep: true });
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(join(fx.dataDir, 'qabyldau.sqlite')).toString('latin1');
    expect(bytes.includes(makeIin(1))).toBe(false);
    expect(bytes.includes(makeIin(2))).toBe(false);
    expect(bytes.includes(makeIin(3))).toBe(false);
    const clear = openDataDatabase(fx.dataDir);
    const numbers = (clear.prepare('SELECT number FROM applicants').all() as { number: string | null }[]).map((r) => r.number);
    clear.close();
    expect(numbers).toContain(makeIin(2));
    expect(numbers).not.toContain(makeIin(1));
  });
});

describe('retention of counter refusals', () => {
  it("deletes an old refusal's printed paper and the personal part of its audit entry with its number, after the commit; an interrupted run's paper goes at the next", async () => {
    const fx = await fixture();
    const refusals = new CounterRefusalsRepo(fx.store.db);
    const audit = fx.requests.audit;
    const p4 = { operator_id: fx.actor.id, ground: 'data_unavailable', stage: 'counter', registry: 'individuals', applicant_kind: 'iin', service_id: null, sub_service_id: null, request_id: null, documents_json: null } as const;
    // Each refusal as CounterRefusals records it: its row, its audit entry (subject: the refusal), its printed paper.
    const refuse = async (id: string, n: number) => {
      refusals.insert({ ...p4, id, at: fx.now().toISOString(), applicant_number: makeIin(n) });
      audit.append({ actor: fx.actor.id, action: 'refusal.recorded', subject: id, data: { refusalId: id }, personal: { applicant: `iin:${makeIin(n)}` } });
      const paper = await fx.store.files.put(Buffer.from(`reasoned refusal ${id} for ${makeIin(n)}`));
      expect(refusals.setPaper(id, paper.sha256)).toBeNull();
      return paper.sha256;
    };
    const oldPaper = await refuse('p4-old', 5);
    const interrupted = await refuse('p4-interrupted', 6);
    fx.clock.t += 40 * 86_400_000;
    const recentPaper = await refuse('p4-recent', 7);
    await fx.close({ keep: true });

    // A run that crashed after its commit and before deleting: the paper is no longer referred
    // to and is queued in file_gc, its file still on disk (what forgetRefusals' transaction leaves).
    const crashed = openDataDatabase(fx.dataDir);
    crashed.prepare("UPDATE counter_refusals SET applicant_number = NULL, paper_sha256 = NULL WHERE id = 'p4-interrupted'").run();
    crashed.prepare('INSERT INTO file_gc (sha256, queued_at) VALUES (?, ?)').run(interrupted, fx.now().toISOString());
    crashed.close();

    const dry = await admin(fx, 'retention', '--days', '30', '--dry-run');
    expect(dry.out).toMatch(/1 counter refusal\(s\) forgot/);
    const run = await admin(fx, 'retention', '--days', '30');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/2 file\(s\) deleted; 1 counter refusal\(s\) forgot the number and paper/);

    const fx2 = await openFixture({ dir: fx.dir });
    cleanup.push(() => fx2.close({ keep: true }));
    const report = await fx2.store.reconciled;
    expect(report?.orphans).toEqual([]);
    for (const gone of [oldPaper, interrupted]) expect(await fx2.store.files.has(gone)).toBe(false);
    expect(await fx2.store.files.has(recentPaper)).toBe(true);
    const db = fx2.store.db;
    expect(db.prepare('SELECT id, applicant_number, paper_sha256 FROM counter_refusals ORDER BY id').all()).toEqual([
      { id: 'p4-interrupted', applicant_number: null, paper_sha256: null },
      { id: 'p4-old', applicant_number: null, paper_sha256: null },
      { id: 'p4-recent', applicant_number: makeIin(7), paper_sha256: recentPaper },
    ]);
    expect(fx2.requests.audit.entries('p4-old')[0]).toMatchObject({ action: 'refusal.recorded', personal: null, personalPurged: true });
    expect(fx2.requests.audit.entries('p4-recent')[0]?.personal).toEqual({ applicant: `iin:${makeIin(7)}` });
    expect(fx2.requests.audit.verify()).toMatchObject({ ok: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM file_gc').get()).toEqual({ n: 0 });
  });
});

describe('reconciliation at start', () => {
  it('reports orphan files without deleting them, and flags rows whose file is missing (nothing dropped)', async () => {
    const fx = await fixture();
    const draft = createRequest(fx, 1);
    await fx.requests.addPage(fx.actor, draft.id, 'identity', { bytes: Buffer.from('draft scan'), mediaType: 'image/jpeg', width: 1, height: 1, dpi: 100, source: 'import' });
    const queued = await signedRequest(fx, 2);
    const orphan = await fx.store.files.put(Buffer.from('a file no row refers to'));
    await fx.close({ keep: true });
    const draftSha = (await import('node:crypto')).createHash('sha256').update('draft scan').digest('hex');
    rmSync(join(fx.dataDir, 'files', draftSha.slice(0, 2), draftSha.slice(2, 4), draftSha));
    const queuedSha = queued.slots[0]!.pages[0]!.sha256;
    rmSync(join(fx.dataDir, 'files', queuedSha.slice(0, 2), queuedSha.slice(2, 4), queuedSha));

    const fx2 = await openFixture({ dir: fx.dir });
    cleanup.push(() => fx2.close({ keep: true }));
    const report = (await fx2.store.reconciled)!;
    expect(report.orphans).toEqual([orphan.sha256]);
    expect(await fx2.store.files.has(orphan.sha256)).toBe(true);
    expect(report.missing.sort()).toEqual([draftSha, queuedSha].sort());
    expect(report.movedToAttention).toEqual([queued.id]);
    expect(report.flagged).toEqual([draft.id]);
    const q = fx2.requests.detail(queued.id);
    expect(q).toMatchObject({ status: 'needs_attention', lastError: 'STORAGE_FILE_MISSING' });
    expect(fx2.store.db.prepare(`SELECT state FROM outbox WHERE request_id = ?`).get(queued.id)).toEqual({ state: 'failed' });
    expect(q.slots.flatMap((s) => s.pages).every((p) => p.missing)).toBe(true);
    const d = fx2.requests.detail(draft.id);
    expect(d.attention).toBe('STORAGE_FILE_MISSING');
    expect(d.slots.find((s) => s.slotId === 'identity')!.pages[0]!.missing).toBe(true);
    expect(fx2.logLines.join('\n')).toContain('files reconciled');
  });
});
