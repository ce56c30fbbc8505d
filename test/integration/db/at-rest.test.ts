/**
 * Personal data at rest, through the real app (browser host, sandbox backend, test PKI, the SANE
 * test device for a scanned page): an applicant looked up in the registry, a request with an
 * imported page of known bytes, signed (document PDFs), registered, backed up. The app is stopped,
 * then every file under the data folder (the database, its WAL, the page files and PDFs, the
 * backups, the logs, the keyring) is searched raw, with `grep -a` and byte for byte: none holds
 * the IIN, the name or the page's bytes.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDataDatabase } from '../../../src-main/db/store.js';
import { FIXTURES, presentRequiredDocuments, startStack, type Stack } from '../../support/stack.js';

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const SERVICE = { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4' };
const IIN = '900702400457';
const NAME = 'Жұмабаева Әсел Қайратқызы';

function files(root: string): string[] {
  return readdirSync(root).flatMap((n) => {
    const p = join(root, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** `grep -a -r -l -F`: the files under `dir` whose raw bytes contain `needle`. */
function grepA(dir: string, needle: string): string[] {
  try {
    return execFileSync('grep', ['-a', '-r', '-l', '-F', '--', needle, dir], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch (e) {
    if ((e as { status?: number }).status === 1) return [];
    throw e;
  }
}

describe('personal data at rest', () => {
  it('no IIN, name or page bytes in any file under the data folder, the backups or the logs once the app is stopped', { timeout: 180_000 }, async () => {
    const s = (stack = await startStack({ signing: true }));
    await s.login();
    const { applicant } = await s.ok('applicant.lookup', { kind: 'iin', number: IIN });
    expect(applicant.name).toBe(NAME);
    let r = await s.ok('request.create', { ...SERVICE, applicant: { kind: 'iin', number: IIN, manualName: null } });
    // A page of known bytes: the fixture JPEG with a comment segment carrying a marker.
    const marker = `KNOWN-PAGE-${Date.now()}-BYTES`;
    const jpeg = readFileSync(join(FIXTURES, 'page-gray.jpg'));
    const com = Buffer.alloc(4);
    com.writeUInt16BE(0xfffe, 0);
    com.writeUInt16BE(marker.length + 2, 2);
    const page = Buffer.concat([jpeg.subarray(0, 2), com, Buffer.from(marker), jpeg.subarray(2)]);
    r = await s.ok('pages.import', { requestId: r.id, slotId: 'identity', fileName: 'passport.jpg', dataBase64: page.toString('base64') });
    r = await presentRequiredDocuments(s, r, (slotId) => slotId === 'application');
    r = await s.ok('request.sign', { requestId: r.id, password: 'Qwerty12' });
    await s.host.sync.runOnce();
    r = await s.ok('request.get', { id: r.id });
    expect(r.status).toBe('registered');
    // The page as stored (the import normalises the file): read back through the encrypted store.
    const pageSha = r.slots.find((x) => x.slotId === 'identity')!.pages[0]!.sha256;
    const stored = await s.host.store.files.read(pageSha);
    expect(stored.length).toBeGreaterThan(10_000);
    await s.host.store.backups.backupNow('manual', 'admin');

    // Stop the app (keeping the folder).
    const dataDir = s.config.dataDir;
    await s.web.close();
    await s.host.close();
    await s.logger.close();
    await s.sandbox?.close();
    stack = null;
    try {
      const all = files(dataDir);
      expect(all.some((f) => f.includes(`${join('data', 'backups')}`))).toBe(true);
      expect(all.some((f) => f.includes(`${join('data', 'logs')}`))).toBe(true);
      expect(all.some((f) => f.includes(`${join('data', 'files')}`))).toBe(true);
      for (const needle of [IIN, NAME, NAME.split(' ')[0]!, marker]) expect(grepA(dataDir, needle), needle).toEqual([]);
      // Byte for byte: slices of the page's image data (past its headers), in every raw file.
      const slices = [page, stored].flatMap((b) => [0.25, 0.5, 0.75].map((f) => b.subarray(Math.floor(b.length * f), Math.floor(b.length * f) + 48)));
      for (const f of all) {
        const raw = readFileSync(f);
        for (const sl of slices) expect(raw.includes(sl), f).toBe(false);
      }
      // And yet everything is there for the app: the database opens with the workstation's key.
      const db = openDataDatabase(dataDir);
      try {
        expect(db.prepare('SELECT name FROM applicants WHERE number = ?').get(IIN)).toEqual({ name: NAME });
      } finally {
        db.close();
      }
    } finally {
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    }
  });
});
