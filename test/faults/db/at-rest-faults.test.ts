/**
 * Faults of encryption at rest, each a typed error naming what is wrong, nothing overwritten, and
 * the operator told (kk/ru/en) to call the administrator: a missing key, a database encrypted with
 * another key, a keyring others could read, a data folder owned by someone else or open to
 * writing, a page file with one flipped byte, and a full disk during a key rotation. Also the key's
 * life cycle across workstations: a backup restored elsewhere needs the exported key and its
 * password.
 */
import { chmodSync, chownSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAdmin } from '../../../scripts/admin.js';
import { fileSealer, loadKeyring } from '../../../src-main/crypto/keyring.js';
import { keyDirOf, rotateKey } from '../../../src-main/db/at-rest.js';
import { openDataDatabase, openStore } from '../../../src-main/db/store.js';
import { silentLogger } from '../../../src-main/host/logger-types.js';
import { describeStartError } from '../../../src-main/host/start.js';
import { captureLogger } from '../../support/capture-logger.js';
import { rejectionOf } from '../../support/app-error.js';
import { createRequest, openFixture, page, signedRequest, type StoreFixture } from '../../support/store-fixture.js';
import { legacyPage } from '../../support/legacy-data.js';
import { mountTmpfs, type Tmpfs } from '../../support/tmpfs.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function fixture(): Promise<StoreFixture> {
  const fx = await openFixture();
  cleanup.push(() => rmSync(fx.dir, { recursive: true, force: true }));
  return fx;
}

function expectTold(e: unknown): void {
  const text = describeStartError(e);
  expect(text).toMatch(/Әкімшіге хабарласыңыз/);
  expect(text).toMatch(/Обратитесь к администратору/);
  expect(text).toMatch(/Call your administrator/);
}

async function admin(dataDir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const env = { HOME: join(dataDir, '..'), QABYLDAU_MACHINE_CONFIG: join(dataDir, 'none.json'), QABYLDAU_USER_CONFIG: join(dataDir, 'none-user.json') };
  const code = await runAdmin([...args, '--data-dir', dataDir], (l) => lines.push(l), env);
  return { code, out: lines.join('\n') };
}

describe('the key', () => {
  it('missing: STORAGE_KEY_MISSING, never a new key and an empty database; the database is left as it was', async () => {
    const fx = await fixture();
    createRequest(fx, 1);
    await fx.close({ keep: true });
    const before = readFileSync(join(fx.dataDir, 'qabyldau.sqlite'));
    rmSync(keyDirOf(fx.dataDir), { recursive: true });
    const e = await rejectionOf(openStore({ dataDir: fx.dataDir, log: captureLogger() }));
    expect(e).toMatchObject({ code: 'STORAGE_KEY_MISSING' });
    expectTold(e);
    expect(readFileSync(join(fx.dataDir, 'qabyldau.sqlite')).equals(before)).toBe(true);
    expect(() => loadKeyring(keyDirOf(fx.dataDir), fileSealer)).toThrow(/STORAGE_KEY_MISSING/);
  });

  it('another key (the database of another workstation): STORAGE_KEY_WRONG naming the file; nothing overwritten', async () => {
    const a = await fixture();
    createRequest(a, 1);
    await a.close({ keep: true });
    const b = await fixture();
    await b.close({ keep: true });
    // B's keyring beside A's data.
    rmSync(keyDirOf(a.dataDir), { recursive: true });
    cpSync(keyDirOf(b.dataDir), keyDirOf(a.dataDir), { recursive: true });
    const before = readFileSync(join(a.dataDir, 'qabyldau.sqlite'));
    const e = await rejectionOf(openStore({ dataDir: a.dataDir, log: captureLogger() }));
    expect(e).toMatchObject({ code: 'STORAGE_KEY_WRONG', params: { what: 'database', file: 'qabyldau.sqlite' } });
    expectTold(e);
    expect(readFileSync(join(a.dataDir, 'qabyldau.sqlite')).equals(before)).toBe(true);
  });

  it('a keyring others could read is refused (STORAGE_KEY_FILE_UNSAFE); so is a data folder someone else owns or can write (STORAGE_DIR_UNSAFE)', async () => {
    const fx = await fixture();
    await fx.close({ keep: true });
    const keyring = join(keyDirOf(fx.dataDir), 'keyring.json');
    chmodSync(keyring, 0o644);
    const e1 = await rejectionOf(openStore({ dataDir: fx.dataDir, log: captureLogger() }));
    expect(e1).toMatchObject({ code: 'STORAGE_KEY_FILE_UNSAFE', params: { reason: 'readable-by-others' } });
    expectTold(e1);
    chmodSync(keyring, 0o600);
    chmodSync(fx.dataDir, 0o777);
    expect(await rejectionOf(openStore({ dataDir: fx.dataDir, log: captureLogger() }))).toMatchObject({ code: 'STORAGE_DIR_UNSAFE', params: { reason: 'writable-by-others' } });
    chmodSync(fx.dataDir, 0o700);
    chownSync(fx.dataDir, 65534, 65534);
    const e3 = await rejectionOf(openStore({ dataDir: fx.dataDir, log: captureLogger() }));
    expect(e3).toMatchObject({ code: 'STORAGE_DIR_UNSAFE', params: { reason: 'other-owner' } });
    expectTold(e3);
    chownSync(fx.dataDir, process.getuid!(), process.getgid!());
    const s = await openStore({ dataDir: fx.dataDir, log: captureLogger() });
    await s.close();
  });
});

describe('a tampered page file', () => {
  it('one flipped byte: STORAGE_FILE_TAMPERED naming the file, on reading, uploading and making the PDF; the file is not overwritten', async () => {
    const fx = await fixture();
    const r = createRequest(fx, 1);
    fx.requests.setDocument(fx.actor, r.id, 'application', true, true);
    const d = await fx.requests.addPage(fx.actor, r.id, 'application', page(legacyPage(1, 200_000)));
    const sha = d.slots.find((s) => s.slotId === 'application')!.pages[0]!.sha256;
    const path = fx.store.files.pathOf(sha);
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(path, bytes);
    await expect(fx.store.files.read(sha)).rejects.toMatchObject({ code: 'STORAGE_FILE_TAMPERED', params: { file: sha } });
    const src = await fx.store.files.openSource(sha);
    await expect(src.read(0, src.size)).rejects.toMatchObject({ code: 'STORAGE_FILE_TAMPERED' });
    await src.close();
    // The first chunk is intact: reading only it works (uploads resume chunk by chunk).
    const head = await fx.store.files.openSource(sha);
    expect((await head.read(0, 1000)).length).toBe(1000);
    await head.close();
    const e = await rejectionOf(fx.signing.assemble(fx.requests.detail(r.id), fx.requests.detail(r.id).slots.find((s) => s.slotId === 'application')!));
    expect(e).toMatchObject({ code: 'STORAGE_FILE_TAMPERED' });
    expectTold(e);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    await fx.close({ keep: true });
  });
});

describe('key life cycle', () => {
  it('rotate-key: a new key, everything re-encrypted, the old key gone, the data all there; audited', { timeout: 120_000 }, async () => {
    const fx = await fixture();
    await signedRequest(fx, 1);
    await fx.store.backups.backupNow('manual', 'admin');
    await fx.close({ keep: true });
    const old = loadKeyring(keyDirOf(fx.dataDir), fileSealer).current.id;
    const r = await admin(fx.dataDir, 'rotate-key');
    expect(r.code).toBe(0);
    const now = loadKeyring(keyDirOf(fx.dataDir), fileSealer);
    expect(now.keys.map((k) => k.id)).toEqual([now.current.id]);
    expect(now.current.id).not.toBe(old);
    expect(r.out).toContain(`now ${now.current.id}`);
    const db = openDataDatabase(fx.dataDir);
    expect((db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'admin.rotate-key'`).get() as { n: number }).n).toBe(1);
    db.close();
    expect((await admin(fx.dataDir, 'restore', '--latest')).code).toBe(0);
    expect((await admin(fx.dataDir, 'integrity', '--full')).out).toContain('ok');
  });

  it('disk full during a rotation: STORAGE_DISK_FULL, and the previous state stays readable', async () => {
    const t: Tmpfs = mountTmpfs(6 * 1024);
    cleanup.push(() => t.unmount());
    const dataDir = join(t.dir, 'data');
    const fx = await openFixture({ dir: t.dir, dataDir });
    const r = createRequest(fx, 1);
    fx.requests.setDocument(fx.actor, r.id, 'application', true, true);
    for (let i = 0; i < 3; i++) await fx.requests.addPage(fx.actor, r.id, 'application', page(legacyPage(i, 900_000)));
    await fx.close({ keep: true });
    // Leave less room than one page file needs.
    writeFileSync(join(t.dir, 'ballast'), Buffer.alloc(Math.max(0, freeBytes(t.dir) - 300 * 1024)));
    const o = { dataDir, keyDir: keyDirOf(dataDir), backupDir: join(dataDir, 'backups'), sealer: fileSealer, log: silentLogger, now: () => new Date() };
    await expect(rotateKey(o)).rejects.toMatchObject({ code: 'STORAGE_DISK_FULL' });
    const s = await openStore({ dataDir, log: captureLogger(), reconcile: false });
    expect(s.db.prepare('SELECT count(*) AS n FROM pages').get()).toEqual({ n: 3 });
    for (const p of s.db.prepare('SELECT sha256 FROM pages').all() as { sha256: string }[]) expect((await s.files.read(p.sha256)).length).toBeGreaterThan(900_000);
    await s.close();
    // Room again: the rotation finishes.
    rmSync(join(t.dir, 'ballast'));
    await rotateKey(o);
    expect(loadKeyring(o.keyDir, fileSealer).keys).toHaveLength(1);
  });

  it('a backup restored on another workstation needs the exported key and its password', { timeout: 120_000 }, async () => {
    const fx = await fixture();
    const req = await signedRequest(fx, 1);
    const backup = await fx.store.backups.backupNow('manual', 'admin');
    await fx.close({ keep: true });
    const secret = join(fx.dir, 'password.txt');
    writeFileSync(secret, 'correct horse battery staple\n', { mode: 0o600 });
    const exported = join(fx.dir, 'key-export.json');
    expect((await admin(fx.dataDir, 'export-key', exported, '--password-file', secret)).code).toBe(0);
    expect(readFileSync(exported, 'utf8')).not.toContain(loadKeyring(keyDirOf(fx.dataDir), fileSealer).current.key.toString('base64'));

    // The other workstation: its own data folder, the backup copied over.
    const other = mkdtempSync(join(tmpdir(), 'qab-other-'));
    cleanup.push(() => rmSync(other, { recursive: true, force: true }));
    const otherData = join(other, 'data');
    mkdirSync(otherData, { mode: 0o700 });
    const copied = join(other, 'backup.sqlite');
    copyFileSync(backup.file, copied);
    await expect(admin(otherData, 'restore', copied)).rejects.toMatchObject({ code: 'STORAGE_KEY_WRONG', params: { what: 'backup' } });
    const wrong = join(other, 'wrong.txt');
    writeFileSync(wrong, 'not the password at all\n');
    await expect(admin(otherData, 'import-key', exported, '--password-file', wrong)).rejects.toMatchObject({
      code: 'STORAGE_KEY_EXPORT_PASSWORD',
      params: { reason: 'wrong-password' },
    });
    expect((await admin(otherData, 'import-key', exported, '--password-file', secret)).code).toBe(0);
    expect((await admin(otherData, 'restore', copied)).code).toBe(0);
    // The request is back (its page files were not copied over, so reconciliation flags it).
    const db = openDataDatabase(otherData);
    expect(db.prepare('SELECT local_number FROM requests WHERE id = ?').get(req.id)).toEqual({ local_number: req.localNumber });
    db.close();
  });
});

/** Free bytes on the file system holding `dir`. */
function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}
