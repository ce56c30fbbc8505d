/**
 * bench/store: the request store's figures, each against a baseline measured in the same run.
 *
 * 1. Durable commit of a signed request's rows (files excluded): the request, its 6 document
 *    slots, 5 pages, the signature (manifest + CMS), 5 status-history rows with their audit
 *    entries, and the outbox entry, in one WAL + synchronous=FULL transaction. p50 and p99, and
 *    their ratio to a plain better-sqlite3 one-row INSERT + COMMIT with the same pragmas, in a
 *    database file beside it (target ratio ≤ 1.5). Beside it, the floor for the same write volume:
 *    how many pages our commit writes (WAL frames) and what plain SQLite takes to commit that many
 *    pages, so the figure can be read on a disk whose fsync is cheap; and the same rows written
 *    by plain prepared INSERTs into the same schema (what our layer adds over better-sqlite3).
 *    Also the app's real signing commit
 *    (signAndQueue: signature, two transitions, outbox, audit).
 * 2. List, filter and search over 100,000 requests: p95 per query (target under 20 ms).
 * 3. Database bytes per request, for requests taken through the app's own API to "registered".
 * 4. The cost of encryption at rest: the same signed-request commit into the encrypted database
 *    (the app's) and into a clear one with the same schema, interleaved: p50/p99 and their ratio
 *    (target ≤ 1.15).
 *
 *   npm run bench:store [-- --commits 300 --requests 100000]
 */
import { createHash } from 'node:crypto';
import { newId } from '../../src-main/db/ids.js';
import { closeSync, fsyncSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3-multiple-ciphers';
import { AuditLog } from '../../src-main/audit/audit-log.js';
import { type Db, openDatabase, prep, writeTx } from '../../src-main/db/database.js';
import { applyTransition, recordHistory } from '../../src-main/db/repos/transitions.js';
import { signAndQueue } from '../../src-main/requests/signing.js';
import { bulkFill } from '../../test/support/bulk.js';
import { signerDouble } from '../../test/support/signer-double.js';
import { makeLegacyDataDir } from '../../test/support/legacy-data.js';
import { completeDocuments, createRequest, openFixture } from '../../test/support/store-fixture.js';
import { pct } from '../stats.js';

const { values } = parseArgs({ options: { commits: { type: 'string', default: '300' }, requests: { type: 'string', default: '100000' } } });
const COMMITS = Number(values.commits);
const N = Number(values.requests);

const ms = (x: number) => `${x.toFixed(2)} ms`;

const fx = await openFixture({ reconcile: false });
const db = fx.store.db;
const audit = fx.requests.audit;
createRequest(fx, 1);
const applicantId = (prep(db, 'SELECT id FROM applicants LIMIT 1').get() as { id: string }).id;

// 1. Durable commits.
const manifest = Buffer.from(JSON.stringify({ form: 'x'.repeat(2500) }));
const cms = Buffer.alloc(1800, 7);
const SLOTS = ['application', 'identity', 'power-of-attorney', 'emission-standards-draft', 'eco-expertise-conclusion', 'environmental-plan'];
const PATH = ['draft', 'applicant_verified', 'documents_complete', 'signed', 'queued'] as const;
// The rows' statements, shared by our commit and the plain same-rows baseline below.
const SQL = {
  request: `INSERT INTO requests (id, local_number, service_id, sub_service_id, applicant_id, operator_id, status, form_json, created_at, updated_at)
            VALUES (?, ?, 'emission-permit-almaty', 'cat-4', ?, ?, ?, '{}', ?, ?)`,
  slot: 'INSERT INTO document_slots (request_id, slot_id, required, presented, original, position) VALUES (?, ?, 1, 1, 0, ?)',
  page: `INSERT INTO pages (id, request_id, slot_id, position, sha256, size, media_type, width, height, dpi, rotation, source, created_at)
         VALUES (?, ?, ?, 1, ?, 180000, 'image/jpeg', 1700, 2200, 200, 0, 'scanner', ?)`,
  signature: `INSERT INTO signatures (id, request_id, manifest, manifest_sha256, cms, signer_json, signed_at) VALUES (?, ?, ?, ?, ?, '{}', ?)`,
  outbox: `INSERT INTO outbox (id, request_id, kind, idempotency_key, state, attempts, next_attempt_at, created_at) VALUES (?, ?, 'submit', ?, 'pending', 0, ?, ?)`,
};
interface Target {
  db: Db;
  audit: AuditLog;
  applicantId: string;
  actorId: string;
}
function commitSignedRequestInto(t: Target, i: number): void {
  const { db, audit } = t;
  writeTx(db, () => {
    const id = newId();
    const at = new Date().toISOString();
    prep(db, SQL.request).run(id, `ALM-01-W01-2027-${String(i).padStart(6, '0')}`, t.applicantId, t.actorId, 'draft', at, at);
    recordHistory(db, audit, id, null, 'draft', t.actorId, at);
    SLOTS.forEach((s, k) => prep(db, SQL.slot).run(id, s, k));
    for (let k = 0; k < 5; k++) prep(db, SQL.page).run(newId(), id, SLOTS[k === 2 ? 5 : k], createHash('sha256').update(`${i}:${k}`).digest('hex'), at);
    const sigId = newId();
    prep(db, SQL.signature).run(sigId, id, manifest, 'f'.repeat(64), cms, at);
    for (let k = 1; k < PATH.length; k++) applyTransition(db, audit, { id, from: PATH[k - 1]!, to: PATH[k]!, actor: t.actorId, at });
    prep(db, SQL.outbox).run(newId(), id, `${id}:${sigId}`, at, at);
  });
}
const encrypted: Target = { db, audit, applicantId, actorId: fx.actor.id };
const commitSignedRequest = (i: number) => commitSignedRequestInto(encrypted, i);
// The same commit into a clear database (a workstation of the version before encryption at rest):
// same schema, pragmas, triggers and audit chain, no key.
await makeLegacyDataDir(join(fx.dir, 'clear'), 1, 0);
const clearDb = openDatabase(join(fx.dir, 'clear', 'qabyldau.sqlite'));
const clear: Target = {
  db: clearDb,
  audit: new AuditLog(clearDb, () => new Date()),
  applicantId: (clearDb.prepare('SELECT id FROM applicants LIMIT 1').get() as { id: string }).id,
  actorId: (clearDb.prepare('SELECT id FROM operators LIMIT 1').get() as { id: string }).id,
};
// How many database pages one such commit writes: WAL frames per commit over a few untimed
// commits (the WAL truncated first, automatic checkpoints off only for this probe).
db.pragma('wal_checkpoint(TRUNCATE)');
const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
db.pragma('wal_autocheckpoint = 0');
const PROBE = 20;
for (let i = 0; i < PROBE; i++) commitSignedRequest(1_000_000 + i);
const pageSize = db.pragma('page_size', { simple: true }) as number;
const framesPerCommit = Math.round((statSync(`${fx.store.dbFile}-wal`).size - 32) / (pageSize + 24) / PROBE);
db.pragma('wal_checkpoint(TRUNCATE)');
db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);

const plainFile = join(fx.dir, 'plain.sqlite');
const plain = new Database(plainFile);
plain.pragma('journal_mode = WAL');
plain.pragma('synchronous = FULL');
plain.pragma('foreign_keys = ON');
plain.exec('CREATE TABLE plain (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
const plainInsert = plain.prepare('INSERT INTO plain (v) VALUES (?)');
// The floor for the same write volume: one transaction that writes as many pages as ours, in plain
// SQLite with no application code (rows just under a page each, one per page).
plain.exec('CREATE TABLE bulk (id INTEGER PRIMARY KEY, v BLOB NOT NULL)');
const bulkInsert = plain.prepare('INSERT INTO bulk (v) VALUES (?)');
const pageRow = Buffer.alloc(pageSize - 200, 1);
// The other reading of the baseline: the same rows (the request already in its final status, its
// slots, pages, signature, status history, audit entries with a fixed stand-in hash, the outbox
// entry) written by plain prepared INSERTs into a database with the same schema, indexes and
// triggers: what our layer (guarded transitions, the hash chain) adds over better-sqlite3 itself.
const raw = await openFixture({ reconcile: false });
createRequest(raw, 1);
const rawDb = raw.store.db;
const rawApplicant = (rawDb.prepare('SELECT id FROM applicants LIMIT 1').get() as { id: string }).id;
const rawSql = {
  request: rawDb.prepare(SQL.request),
  slot: rawDb.prepare(SQL.slot),
  page: rawDb.prepare(SQL.page),
  signature: rawDb.prepare(SQL.signature),
  history: rawDb.prepare('INSERT INTO status_history (request_id, from_status, to_status, step, actor, at) VALUES (?, ?, ?, ?, ?, ?)'),
  audit: rawDb.prepare(
    `INSERT INTO audit_log (seq, at, actor, action, subject, data, personal_digest, prev_hash, hash) VALUES (?, ?, ?, 'request.transition', ?, ?, NULL, ?, ?)`,
  ),
  outbox: rawDb.prepare(SQL.outbox),
};
let rawSeq = (rawDb.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM audit_log').get() as { n: number }).n;
const STANDIN_HASH = 'e'.repeat(64);
const commitRawRows = rawDb.transaction((i: number) => {
  const id = newId();
  const at = new Date().toISOString();
  rawSql.request.run(id, `ALM-01-W01-2027-${String(i).padStart(6, '0')}`, rawApplicant, raw.actor.id, 'queued', at, at);
  SLOTS.forEach((sl, k) => rawSql.slot.run(id, sl, k));
  for (let k = 0; k < 5; k++) rawSql.page.run(newId(), id, SLOTS[k === 2 ? 5 : k], createHash('sha256').update(`${i}:${k}`).digest('hex'), at);
  const sigId = newId();
  rawSql.signature.run(sigId, id, manifest, 'f'.repeat(64), cms, at);
  for (let k = 0; k < PATH.length; k++) {
    const from = k === 0 ? null : PATH[k - 1]!;
    rawSql.history.run(id, from, PATH[k]!, 'P5', raw.actor.id, at);
    rawSeq += 1;
    rawSql.audit.run(rawSeq, at, raw.actor.id, id, JSON.stringify({ from, to: PATH[k], step: 'P5', error: null }), STANDIN_HASH, STANDIN_HASH);
  }
  rawSql.outbox.run(newId(), id, `${id}:${sigId}`, at, at);
});

const ours: number[] = [];
const base: number[] = [];
const floor: number[] = [];
const sameRows: number[] = [];
const clearCommits: number[] = [];
for (let i = 0; i < COMMITS; i++) {
  // Interleaved, so both see the same disk and the same load.
  let t = performance.now();
  commitSignedRequestInto(clear, i);
  clearCommits.push(performance.now() - t);
  t = performance.now();
  plain.transaction(() => plainInsert.run(`row ${i}`))();
  base.push(performance.now() - t);
  t = performance.now();
  commitSignedRequest(i);
  ours.push(performance.now() - t);
  t = performance.now();
  plain.transaction(() => {
    for (let k = 0; k < framesPerCommit; k++) bulkInsert.run(pageRow);
  })();
  floor.push(performance.now() - t);
  t = performance.now();
  commitRawRows(i);
  sameRows.push(performance.now() - t);
}
await raw.close();
clearDb.close();
plain.close();
rmSync(plainFile, { force: true });
// What one fsync costs on this disk now: it sets the regime the ratio is measured in.
const fsyncs: number[] = [];
const probeFile = join(fx.dir, 'fsync.probe');
const fd = openSync(probeFile, 'w');
for (let i = 0; i < 100; i++) {
  const t = performance.now();
  writeSync(fd, Buffer.alloc(4096, i), 0, 4096, 0);
  fsyncSync(fd);
  fsyncs.push(performance.now() - t);
}
closeSync(fd);
rmSync(probeFile, { force: true });
// The same commit with the fsync left out (synchronous=OFF): the CPU part of our commit.
db.pragma('synchronous = OFF');
const cpu: number[] = [];
for (let i = 0; i < 100; i++) {
  const t = performance.now();
  commitSignedRequest(COMMITS + i);
  cpu.push(performance.now() - t);
}
db.pragma('synchronous = FULL');

// The app's own signing (documents already complete; the signer is a double). It includes making
// one PDF per slot in the papers worker: one untimed run first starts that worker and loads its
// fonts, as the app does a few seconds after start.
await signAndQueue(fx.requests, signerDouble(fx.now), (await completeDocuments(fx, createRequest(fx, 9))).id, 'Qwerty12', fx.signing);
const signing: number[] = [];
for (let i = 0; i < Math.min(60, COMMITS); i++) {
  const r = await completeDocuments(fx, createRequest(fx, 10 + i));
  const signer = signerDouble(fx.now);
  const t = performance.now();
  await signAndQueue(fx.requests, signer, r.id, 'Qwerty12', fx.signing);
  signing.push(performance.now() - t);
}

console.log('1. durable commit (WAL, synchronous=FULL), files excluded');
console.log(`   signed request's rows, one transaction: p50 ${ms(pct(ours, 50))}  p99 ${ms(pct(ours, 99))}   (n=${COMMITS})`);
console.log(`   baseline one-row INSERT + COMMIT:        p50 ${ms(pct(base, 50))}  p99 ${ms(pct(base, 99))}`);
console.log(`   ratio p50 ${(pct(ours, 50) / pct(base, 50)).toFixed(2)}   ratio p99 ${(pct(ours, 99) / pct(base, 99)).toFixed(2)}   (target ≤ 1.5)`);
console.log(`   the same rows by plain better-sqlite3 INSERTs (same schema): p50 ${ms(pct(sameRows, 50))}  p99 ${ms(pct(sameRows, 99))};  ours to it p50 ${(pct(ours, 50) / pct(sameRows, 50)).toFixed(2)}  p99 ${(pct(ours, 99) / pct(sameRows, 99)).toFixed(2)}`);
console.log(`   pages written per commit: ${framesPerCommit} (WAL frames); plain SQLite writing ${framesPerCommit} pages in one transaction: p50 ${ms(pct(floor, 50))}  p99 ${ms(pct(floor, 99))}`);
console.log(`   ratio of that floor to the baseline p50 ${(pct(floor, 50) / pct(base, 50)).toFixed(2)}; ours to the floor p50 ${(pct(ours, 50) / pct(floor, 50)).toFixed(2)}  p99 ${(pct(ours, 99) / pct(floor, 99)).toFixed(2)}`);
console.log(`   context: one 4 KB write + fsync on this disk p50 ${ms(pct(fsyncs, 50))}; our commit without fsync (synchronous=OFF) p50 ${ms(pct(cpu, 50))}`);
console.log(`   the app's signAndQueue (slot PDFs + commit):  p50 ${ms(pct(signing, 50))}  p99 ${ms(pct(signing, 99))}   ratio p50 ${(pct(signing, 50) / pct(base, 50)).toFixed(2)}`);
console.log('4. the cost of encryption at rest (the same commit, encrypted database vs a clear one, interleaved)');
console.log(`   encrypted p50 ${ms(pct(ours, 50))}  p99 ${ms(pct(ours, 99))};  clear p50 ${ms(pct(clearCommits, 50))}  p99 ${ms(pct(clearCommits, 99))}`);
console.log(`   ratio p50 ${(pct(ours, 50) / pct(clearCommits, 50)).toFixed(2)}   ratio p99 ${(pct(ours, 99) / pct(clearCommits, 99)).toFixed(2)}   (target ≤ 1.15)`);

// 3. Bytes per request, through the app's own API (create, 5 documents, sign, registered).
db.pragma('wal_checkpoint(TRUNCATE)');
const size0 = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
const BYTES_N = 200;
for (let i = 0; i < BYTES_N; i++) {
  const r = await completeDocuments(fx, createRequest(fx, 1000 + i));
  await signAndQueue(fx.requests, signerDouble(fx.now), r.id, 'Qwerty12', fx.signing);
  fx.requests.setStatus(r.id, 'queued', 'sent', 'sync');
  fx.requests.setStatus(r.id, 'sent', 'registered', 'sync');
}
db.pragma('wal_checkpoint(TRUNCATE)');
const size1 = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);

// 2. List, filter and search over N requests.
const t0 = performance.now();
const info = bulkFill(db, N, fx.actor.id);
const fillS = (performance.now() - t0) / 1000;
const total = (prep(db, 'SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n;
const queries: [string, () => unknown][] = [
  ['list newest 50', () => fx.requests.list(null, 50)],
  ['filter by status', () => fx.requests.list('queued', 50)],
  ['search local number', () => fx.requests.search({ localNumber: info.samples[1]!.localNumber })],
  ['search local number prefix', () => fx.requests.search({ localNumber: 'ALM-01-W09-2026-0421' })],
  ['search registration number', () => fx.requests.search({ registrationNumber: info.samples[2]!.registrationNumber })],
  ['search applicant by full IIN', () => fx.requests.search({ applicant: { kind: 'iin', number: info.samples[3]!.iin } })],
  ['filter date range + status', () => fx.requests.search({ status: 'registered', createdFrom: '2026-05-01T00:00:00.000Z', createdTo: '2026-06-01T00:00:00.000Z' })],
  ['filter date range', () => fx.requests.search({ createdFrom: '2026-05-01T00:00:00.000Z', createdTo: '2026-05-08T00:00:00.000Z' })],
];
console.log(`2. list, filter and search over ${total} requests (filled in ${fillS.toFixed(1)} s)`);
const all: number[] = [];
for (const [name, q] of queries) {
  const xs: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    q();
    xs.push(performance.now() - t);
  }
  all.push(...xs);
  console.log(`   ${name.padEnd(30)} p95 ${ms(pct(xs, 95))}`);
}
console.log(`   all queries                    p95 ${ms(pct(all, 95))}   (target < 20 ms; ratio to target ${(pct(all, 95) / 20).toFixed(2)})`);

console.log('3. database bytes per request (created, 5 documents, signed, registered; files excluded)');
console.log(`   ${Math.round(((size1 - size0) * pageSize) / BYTES_N)} bytes per request (${BYTES_N} requests through the API; database file ${(statSync(fx.store.dbFile).size / 1e6).toFixed(1)} MB now)`);
await fx.close();
