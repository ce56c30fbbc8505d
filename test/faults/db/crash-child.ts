/**
 * The crash test's worker process: random create / attach / sign / send / cancel / re-open work
 * against a real store, printing an "ack" line to stdout only AFTER the call that committed it
 * returned. The parent kills it with SIGKILL at a random moment and checks the database.
 *
 *   node crash-child.mjs <dataDir> <seed>
 */
import { writeSync } from 'node:fs';
import { signAndQueue } from '../../../src-main/requests/signing.js';
import { OutboxStore } from '../../../src-main/db/repos/outbox.js';
import { writeTx } from '../../../src-main/db/database.js';
import { signerDouble } from '../../support/signer-double.js';
import { createRequest, JPEG, openFixture, page } from '../../support/store-fixture.js';

const [dataDir, seedArg] = process.argv.slice(2);
let seed = Number(seedArg) >>> 0 || 1;
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const ack = (line: string) => writeSync(1, `ack ${line}\n`);

const fx = await openFixture({ dir: dataDir!, dataDir: dataDir!, reconcile: false });
fx.clock.t = Date.now();
const outbox = new OutboxStore(fx.store.db, fx.now);
const signer = signerDouble(fx.now);
// The papers worker is up before the work starts, as it is in the app after start-up.
await fx.docs.warm();
writeSync(1, 'ready\n');

const pick = (statuses: string[]): string | null => {
  const rows = fx.store.db
    .prepare(`SELECT id FROM requests WHERE status IN (${statuses.map(() => '?').join(',')}) ORDER BY random() LIMIT 1`)
    .all(...statuses) as { id: string }[];
  return rows[0]?.id ?? null;
};

for (let n = 0; ; n++) {
  fx.clock.t += 1000;
  const op = rand();
  if (op < 0.15) {
    const r = createRequest(fx, Math.floor(rand() * 1_000_000));
    ack(`create ${r.id}`);
  } else if (op < 0.55) {
    const id = pick(['applicant_verified', 'applicant_unverified']);
    if (!id) continue;
    // Mostly the documents still missing, so requests get complete and move on.
    const slots = fx.requests.detail(id).slots.filter((s) => s.required);
    const missing = slots.filter((s) => s.pages.length === 0);
    const pool = missing.length && rand() < 0.85 ? missing : slots;
    const slot = pool[Math.floor(rand() * pool.length)]!;
    fx.requests.setDocument(fx.actor, id, slot.slotId, true, true);
    // A real JPEG (signing assembles the pages into PDFs), made unique and of varying size by a
    // comment segment (FF FE) right after the start-of-image marker.
    const comment = Buffer.from(`page ${seed} ${n} ${'x'.repeat(Math.floor(rand() * 20_000))}`);
    const com = Buffer.alloc(4);
    com.writeUInt16BE(0xfffe, 0);
    com.writeUInt16BE(comment.length + 2, 2);
    const bytes = Buffer.concat([JPEG.subarray(0, 2), com, comment, JPEG.subarray(2)]);
    const d = await fx.requests.addPage(fx.actor, id, slot.slotId, page(bytes));
    const p = d.slots.flatMap((s) => s.pages).find((x) => x.size === bytes.length)!;
    ack(`page ${id} ${p.id} ${p.sha256}`);
    if (d.status === 'documents_complete') ack(`status ${id} documents_complete`);
  } else if (op < 0.7) {
    const id = pick(['documents_complete']);
    if (!id) continue;
    await signAndQueue(fx.requests, signer, id, 'Qwerty12', fx.signing);
    ack(`status ${id} queued`);
  } else if (op < 0.85) {
    const id = pick(['queued']);
    if (!id) continue;
    const entry = fx.requests.currentSubmission(id)!;
    fx.requests.setStatus(id, 'queued', 'sent', 'sync');
    ack(`status ${id} sent`);
    outbox.markSubmitting(entry.id);
    writeTx(fx.store.db, () => {
      fx.store.db.prepare('UPDATE requests SET registration_number = ? WHERE id = ?').run(`KZ26SBX${String(n).padStart(8, '0')}`, id);
      fx.requests.setStatus(id, 'sent', 'registered', 'sync');
      outbox.markAccepted(entry.id);
    });
    ack(`status ${id} registered`);
  } else if (op < 0.92) {
    const id = pick(['applicant_verified', 'applicant_unverified']);
    if (!id) continue;
    fx.requests.cancel(fx.actor, id);
    ack(`status ${id} cancelled`);
  } else {
    const id = pick(['queued']);
    if (!id) continue;
    const entry = fx.requests.currentSubmission(id)!;
    writeTx(fx.store.db, () => {
      fx.requests.setStatus(id, 'queued', 'needs_attention', 'sync', 'GATEWAY_REJECTED');
      outbox.markFailed(entry.id, 'GATEWAY_REJECTED', true);
    });
    ack(`status ${id} needs_attention`);
    const d = fx.requests.reopen(fx.actor, id);
    ack(`status ${id} ${d.status}`);
  }
}
