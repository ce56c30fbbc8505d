/**
 * SIGKILL at random moments of the one-time encryption of a clear data folder, and of a key
 * rotation (at least 50 runs each, at least 30 of them killed mid-way, on a real folder: database
 * in WAL mode, backups, page files). After each kill, every item is readable as it was or as it
 * became (nothing lost), the app then opens the folder and finishes the job, and afterwards no
 * clear copy of anything is left: no IIN, no name, no page bytes in any file under the folder.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSealed, openBytes } from '../../../src-main/crypto/content-cipher.js';
import { fileSealer, keyringExists, loadKeyring } from '../../../src-main/crypto/keyring.js';
import { keyDirOf, prepareAtRest, rotateKey } from '../../../src-main/db/at-rest.js';
import { isClearSqlite, openKeyed } from '../../../src-main/db/cipher.js';
import { openDatabase } from '../../../src-main/db/database.js';
import { openStore } from '../../../src-main/db/store.js';
import { silentLogger } from '../../../src-main/host/logger-types.js';
import { bundleForNode } from '../../support/bundle.js';
import { LEGACY_NAME, type LegacyData, makeLegacyDataDir } from '../../support/legacy-data.js';

const RUNS = 50;
/** Kills that must land before the child finished; runs go on past RUNS (up to MAX_RUNS) until they have. */
const MIN_INTERRUPTED = 30;
const MAX_RUNS = 150;
let dir: string;
let child: string;
let legacy: LegacyData;
let clearTemplate: string;
let encryptedTemplate: string;

const opts = (dataDir: string) => ({ dataDir, keyDir: keyDirOf(dataDir), backupDir: join(dataDir, 'backups'), sealer: fileSealer, log: silentLogger, now: () => new Date() });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qab-atrest-'));
  const out = await bundleForNode('qab-atrest', { 'at-rest-child': 'test/faults/db/at-rest-child.ts' });
  child = join(out, 'at-rest-child.js');
  clearTemplate = join(dir, 'clear');
  legacy = await makeLegacyDataDir(clearTemplate, 12, 2);
  encryptedTemplate = join(dir, 'encrypted');
  cpSync(clearTemplate, encryptedTemplate, { recursive: true });
  await prepareAtRest(opts(encryptedTemplate));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function files(root: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(root)) {
    const p = join(root, n);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

/** Runs the child and kills it `delayMs` after it said ready; resolves whether it finished first. */
function runAndKill(mode: 'migrate' | 'rotate', dataDir: string, delayMs: number): Promise<{ finished: boolean; ms: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, mode, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let readyAt = 0;
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!readyAt && out.includes('ready')) {
        readyAt = Date.now();
        if (delayMs >= 0) setTimeout(() => p.kill('SIGKILL'), delayMs);
      }
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${err}`));
      else resolve({ finished: out.includes('done'), ms: Date.now() - readyAt });
    });
  });
}

/** Every database and page is readable, clear and intact or encrypted under a key the keyring holds. */
function assertReadable(dataDir: string): void {
  const keyring = keyringExists(keyDirOf(dataDir)) ? loadKeyring(keyDirOf(dataDir), fileSealer) : null;
  for (const f of [join(dataDir, 'qabyldau.sqlite'), join(dataDir, 'backups', 'qabyldau-20261122-090000.sqlite')]) {
    const db = isClearSqlite(f) ? openDatabase(f, { migrate: false }) : openKeyed(f, keyring!.databaseKeys()).db;
    try {
      expect((db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n).toBe(legacy.requestIds.length);
    } finally {
      db.close();
    }
  }
  for (const [sha, bytes] of legacy.pages) {
    const raw = readFileSync(join(dataDir, 'files', sha.slice(0, 2), sha.slice(2, 4), sha));
    const plain = isSealed(raw) ? openBytes(raw, keyring!.contentKeys()) : raw;
    expect(createHash('sha256').update(plain).digest('hex')).toBe(sha);
    expect(plain.equals(bytes)).toBe(true);
  }
}

/** The app opens the folder (finishing whatever was interrupted) and finds every request and page. */
async function assertOpensComplete(dataDir: string): Promise<void> {
  const store = await openStore({ dataDir, log: silentLogger, reconcile: false });
  try {
    expect((store.db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n).toBe(legacy.requestIds.length);
    const iins = (store.db.prepare('SELECT number FROM applicants').all() as { number: string }[]).map((r) => r.number).sort();
    expect(iins).toEqual([...legacy.iins].sort());
    for (const [sha, bytes] of legacy.pages) expect((await store.files.read(sha)).equals(bytes)).toBe(true);
  } finally {
    await store.close();
  }
}

/** No clear copy of anything personal anywhere under the folder. */
function assertNothingClear(dataDir: string): void {
  const needles = [...legacy.iins.slice(0, 5), LEGACY_NAME, 'legacy page'].map((s) => Buffer.from(s, 'utf8'));
  for (const f of files(dataDir)) {
    const raw = readFileSync(f);
    for (const n of needles) expect(raw.includes(n), `${f} holds ${n.toString()}`).toBe(false);
    if (f.endsWith('.sqlite')) expect(isClearSqlite(f), f).toBe(false);
  }
}

/**
 * Runs `mode` on fresh copies of `template`, each killed at a random moment within the time the
 * fastest uninterrupted run took; `check` looks at each copy after its kill. Runs at least `RUNS`
 * times, and more (up to `MAX_RUNS`) until `MIN_INTERRUPTED` kills have landed before the child
 * finished. Returns how many did.
 *
 * The window is measured, and a loaded machine (CI runs test files side by side) makes the
 * measure noisy: probes run in a busy moment give a window longer than the work, and most kills
 * then land after it. So every run that finished before its kill narrows the window to what that
 * run took, and the count of mid-way kills is reached by running on, not by hoping.
 */
async function killRuns(mode: 'migrate' | 'rotate', template: string, check: (work: string, finished: boolean) => Promise<void>): Promise<number> {
  // The fastest of three uninterrupted runs: a first, cold run can take several times longer
  // than the rest, and kills timed against it would mostly land after the work was done.
  let fastest = Infinity;
  for (let i = 0; i < 3; i++) {
    const probe = join(dir, `probe-${i}`);
    cpSync(template, probe, { recursive: true });
    const full = await runAndKill(mode, probe, -1);
    expect(full.finished).toBe(true);
    fastest = Math.min(fastest, full.ms);
    rmSync(probe, { recursive: true, force: true });
  }
  let interrupted = 0;
  for (let i = 0; i < MAX_RUNS && (i < RUNS || interrupted < MIN_INTERRUPTED); i++) {
    const work = join(dir, `${mode}-${i}`);
    cpSync(template, work, { recursive: true });
    // Most kills land while the work runs; a few land when it may be done already.
    const r = await runAndKill(mode, work, Math.floor(Math.random() * fastest * 1.1));
    if (r.finished) fastest = Math.min(fastest, r.ms);
    else interrupted++;
    assertReadable(work);
    await assertOpensComplete(work);
    await check(work, r.finished);
    rmSync(work, { recursive: true, force: true });
  }
  return interrupted;
}

describe('SIGKILL at random moments', () => {
  it(`of the one-time encryption (${RUNS}+ runs, ${MIN_INTERRUPTED}+ mid-way): nothing lost, each item clear or encrypted, finished by the next start, nothing left clear`, { timeout: 900_000 }, async () => {
    const interrupted = await killRuns('migrate', clearTemplate, (work) => Promise.resolve(assertNothingClear(work)));
    // Enough kills landed mid-way (not after the child had finished).
    expect(interrupted).toBeGreaterThanOrEqual(MIN_INTERRUPTED);
  });

  it(`of a key rotation (${RUNS}+ runs, ${MIN_INTERRUPTED}+ mid-way): the previous state stays readable, the next rotate-key finishes it under one new key`, { timeout: 900_000 }, async () => {
    const oldKey = loadKeyring(keyDirOf(encryptedTemplate), fileSealer).current.id;
    const interrupted = await killRuns('rotate', encryptedTemplate, async (work, finished) => {
      const k = loadKeyring(keyDirOf(work), fileSealer);
      if (k.rotating) await rotateKey(opts(work));
      const after = loadKeyring(keyDirOf(work), fileSealer);
      expect(after.rotating).toBe(false);
      expect(after.keys.map((x) => x.id)).toHaveLength(1);
      if (finished || k.rotating) expect(after.current.id).not.toBe(oldKey);
      assertReadable(work);
      assertNothingClear(work);
    });
    expect(interrupted).toBeGreaterThanOrEqual(MIN_INTERRUPTED);
  });
});
