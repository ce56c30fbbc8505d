/**
 * The page scheme change: a database (and a backup) written by the version before, in the
 * SQLCipher 4 scheme, is rewritten in AEGIS-256 at the first start of this version, with every
 * row kept, and afterwards opens in AEGIS only; its applicant is still found by IIN.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { fileSealer, loadKeyring } from '../../../src-main/crypto/keyring.js';
import { applyKey, type CipherScheme } from '../../../src-main/db/cipher.js';
import { createRequest, makeIin, openFixture } from '../../support/store-fixture.js';

/** Re-encrypts a database file in another page scheme under the same key (what the version before wrote). */
function toScheme(file: string, key: Buffer, scheme: CipherScheme) {
  const db = new Database(file);
  applyKey(db, key);
  db.pragma('journal_mode = DELETE');
  if (scheme === 'sqlcipher') {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
  }
  db.pragma(`rekey = "x'${key.toString('hex')}'"`);
  db.close();
}

function opensWith(file: string, key: Buffer, scheme: CipherScheme): boolean {
  const db = new Database(file, { readonly: true });
  try {
    applyKey(db, key, scheme);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return true;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

describe('the database page scheme', () => {
  it('is AEGIS-256 for a new database', async () => {
    const fx = await openFixture();
    try {
      const key = loadKeyring(join(fx.dataDir, 'keys'), fileSealer).databaseKeys()[0]!.key;
      createRequest(fx, 1);
      await fx.store.close();
      const file = join(fx.dataDir, 'qabyldau.sqlite');
      expect(opensWith(file, key, 'aegis')).toBe(true);
      expect(opensWith(file, key, 'sqlcipher')).toBe(false);
    } finally {
      await fx.close().catch(() => {});
    }
  });

  it('rewrites a database of the version before (SQLCipher 4) in AEGIS at the next start, keeping every row', async () => {
    const first = await openFixture();
    const { dir, dataDir } = first;
    const r = createRequest(first, 7);
    await first.close({ keep: true });
    const key = loadKeyring(join(dataDir, 'keys'), fileSealer).databaseKeys()[0]!.key;
    const file = join(dataDir, 'qabyldau.sqlite');
    toScheme(file, key, 'sqlcipher');
    // The mark of the version before carried no scheme.
    const mark = join(dataDir, 'encrypted-at-rest.json');
    const { scheme: _s, ...older } = JSON.parse(readFileSync(mark, 'utf8')) as Record<string, unknown>;
    await import('node:fs').then((fs) => fs.writeFileSync(mark, JSON.stringify(older)));
    expect(opensWith(file, key, 'sqlcipher')).toBe(true);

    const again = await openFixture({ dir, dataDir });
    try {
      expect(again.requests.detail(r.id).localNumber).toBe(r.localNumber);
      expect(again.applicants.get('iin', makeIin(7))).not.toBeNull();
      expect(again.requests.search({ applicant: { kind: 'iin', number: makeIin(7) } })).toHaveLength(1);
      await again.store.close();
      expect(opensWith(file, key, 'aegis')).toBe(true);
      expect(opensWith(file, key, 'sqlcipher')).toBe(false);
      expect(JSON.parse(readFileSync(mark, 'utf8'))).toMatchObject({ scheme: 'aegis', databases: 1 });
    } finally {
      await again.close().catch(() => {});
    }
  });
});
