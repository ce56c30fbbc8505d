/**
 * The storage faults an operator or administrator can meet, each on the real thing: a database
 * locked by another connection, a read-only data directory (a read-only mount), a full disk (a
 * 2 MB tmpfs), and a damaged database file (with the offer to restore the newest backup). Each
 * gives a clear typed error, and nothing acknowledged before it is lost.
 */
import { openSync, readFileSync, rmSync, statSync, writeSync, closeSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAdmin } from '../../../scripts/admin.js';
import { AppError } from '../../../src-main/contract/errors.js';
import { describeStartError } from '../../../src-main/host/start.js';
import { openDataDatabase, openStore } from '../../../src-main/db/store.js';
import { captureLogger } from '../../support/capture-logger.js';
import { createRequest, openFixture, page, signedRequest } from '../../support/store-fixture.js';
import { mountTmpfs, type Tmpfs } from '../../support/tmpfs.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function caught(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

function tmpfs(kb: number): Tmpfs {
  const t = mountTmpfs(kb);
  cleanup.push(() => t.unmount());
  return t;
}

describe('database locked by another process', () => {
  it('STORAGE_LOCKED (retryable) while another connection holds the write lock; works once it is released', async () => {
    const fx = await openFixture({ busyTimeoutMs: 200 });
    cleanup.push(() => fx.close());
    const r = createRequest(fx, 1);
    const other = openDataDatabase(fx.dataDir);
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    other.prepare(`INSERT INTO counters (name, value) VALUES ('held-by-another-program', 1)`).run();
    const e = await caught(() => createRequest(fx, 2));
    expect(e).toMatchObject({ code: 'STORAGE_LOCKED', retryable: true });
    expect((await caught(() => fx.requests.setDocument(fx.actor, r.id, 'application', true, true))).code).toBe('STORAGE_LOCKED');
    // Reading still works (WAL), and nothing changed.
    expect(fx.requests.search({}).map((x) => x.id)).toEqual([r.id]);
    other.exec('ROLLBACK');
    other.close();
    expect(createRequest(fx, 2).status).toBe('applicant_unverified');
    expect(fx.requests.search({})).toHaveLength(2);
  });

  it('STORAGE_IN_USE for a second Qabyldau on the same data directory', async () => {
    const fx = await openFixture();
    cleanup.push(() => fx.close());
    expect((await caught(openStore({ dataDir: fx.dataDir, log: captureLogger() }))).code).toBe('STORAGE_IN_USE');
  });
});

describe('read-only data directory', () => {
  it('STORAGE_READ_ONLY at start on a read-only mount (root included); the data is intact once writable again', async () => {
    const t = tmpfs(8192);
    const dataDir = join(t.dir, 'data');
    const fx = await openFixture({ dir: t.dir, dataDir });
    const r = createRequest(fx, 1);
    await fx.close({ keep: true });
    t.remount('ro');
    const e = await caught(openStore({ dataDir, log: captureLogger() }));
    expect(e.code).toBe('STORAGE_READ_ONLY');
    expect(describeStartError(e)).toMatch(/read-only/);
    t.remount('rw');
    const fx2 = await openFixture({ dir: t.dir, dataDir });
    cleanup.push(() => fx2.close({ keep: true }));
    expect(fx2.requests.detail(r.id).localNumber).toBe(r.localNumber);
  });
});

describe('disk full (a real 2 MB tmpfs)', () => {
  it('STORAGE_DISK_FULL from the file store and from SQLite; everything acknowledged survives; work resumes once space is freed', async () => {
    const t = tmpfs(2048);
    const dataDir = join(t.dir, 'data');
    const fx = await openFixture({ dir: t.dir, dataDir });
    cleanup.push(() => fx.close({ keep: true }));
    await fx.store.reconciled;
    const acked: { id: string; pages: number }[] = [];
    // Space set aside now, given back later so the test can go on after the disk filled up.
    const reserve = join(t.dir, 'reserve');
    writeFileSync(reserve, Buffer.alloc(512 * 1024, 1));
    // Pages fill the disk: each scan distinct, so each is a new file.
    const r = createRequest(fx, 1);
    let fileError: AppError | null = null;
    for (let i = 0; i < 200 && !fileError; i++) {
      const bytes = Buffer.concat([readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'page-gray.jpg')), Buffer.from(`scan ${i}`)]);
      try {
        const d = await fx.requests.addPage(fx.actor, r.id, 'identity', page(bytes));
        acked.push({ id: r.id, pages: d.slots.find((s) => s.slotId === 'identity')!.pages.length });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        fileError = e;
      }
    }
    expect(fileError?.code).toBe('STORAGE_DISK_FULL');
    expect(acked.length).toBeGreaterThan(3);
    // No half-written temporary file is left behind by the failed write.
    const leftovers = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? leftovers(join(dir, d.name)) : d.name.endsWith('.part') ? [d.name] : []));
    expect(leftovers(join(dataDir, 'files'))).toEqual([]);

    // Now the database itself runs out of room: fill the reserve's room with ballast, then keep creating.
    rmSync(reserve);
    const ballast = join(t.dir, 'ballast');
    const fd = openSync(ballast, 'w');
    try {
      for (;;) writeSync(fd, Buffer.alloc(4096, 1));
    } catch (e) {
      expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
    const created: string[] = [];
    let dbError: AppError | null = null;
    for (let i = 2; i < 2000 && !dbError; i++) {
      try {
        created.push(createRequest(fx, i).id);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        dbError = e;
      }
    }
    expect(dbError?.code).toBe('STORAGE_DISK_FULL');

    // Everything acknowledged is there, and the database is sound.
    rmSync(ballast);
    expect((await fx.store.integrity(true)).ok).toBe(true);
    expect(fx.requests.detail(r.id).slots.find((s) => s.slotId === 'identity')!.pages).toHaveLength(acked.at(-1)!.pages);
    for (const id of created) expect(fx.requests.row(id).status).toBe('applicant_unverified');
    // With space again, work goes on.
    expect(createRequest(fx, 3000).status).toBe('applicant_unverified');
    expect(statSync(join(dataDir, 'qabyldau.sqlite')).size).toBeGreaterThan(0);
  });
});

describe('damaged database file', () => {
  it('STORAGE_CORRUPT at start naming the newest backup and the restore command; the restore brings the data back', async () => {
    const fx = await openFixture();
    const r = await signedRequest(fx, 1);
    const b = await fx.store.backups.backupNow('scheduled');
    await fx.close({ keep: true });
    cleanup.push(() => rmSync(fx.dir, { recursive: true, force: true }));
    const file = join(fx.dataDir, 'qabyldau.sqlite');
    // Garbage over everything after the first two pages (the header stays readable).
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(size - 8192, 0x5a), 0, size - 8192, 8192);
    closeSync(fd);

    const e = await caught(openStore({ dataDir: fx.dataDir, log: captureLogger() }));
    expect(e.code).toBe('STORAGE_CORRUPT');
    expect(e.params).toMatchObject({ backup: b.name, command: 'npm run admin -- restore --latest' });
    const message = describeStartError(e);
    expect(message).toContain(b.name);
    expect(message).toContain('npm run admin -- restore --latest');

    const lines: string[] = [];
    const env = { HOME: fx.dir, QABYLDAU_MACHINE_CONFIG: join(fx.dir, 'none.json'), QABYLDAU_USER_CONFIG: join(fx.dir, 'none.json'), QABYLDAU_DATA_DIR: fx.dataDir };
    expect(await runAdmin(['restore', '--latest'], (l) => lines.push(l), env)).toBe(0);
    const fx2 = await openFixture({ dir: fx.dir });
    cleanup.push(() => fx2.close({ keep: true }));
    expect(fx2.requests.detail(r.id).status).toBe('queued');
  });

  it('STORAGE_CORRUPT for a file that is not a database at all, with no backup to offer', async () => {
    const fx = await openFixture();
    await fx.close({ keep: true });
    cleanup.push(() => rmSync(fx.dir, { recursive: true, force: true }));
    for (const s of ['-wal', '-shm']) rmSync(join(fx.dataDir, `qabyldau.sqlite${s}`), { force: true });
    writeFileSync(join(fx.dataDir, 'qabyldau.sqlite'), Buffer.alloc(65536, 0x42));
    const e = await caught(openStore({ dataDir: fx.dataDir, log: captureLogger() }));
    expect(e).toMatchObject({ code: 'STORAGE_CORRUPT', params: { backup: '' } });
    expect(describeStartError(e)).toMatch(/no backup/);
  });
});
