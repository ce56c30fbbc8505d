/**
 * Fills a store with many requests fast (one transaction, the same tables and indexes the app
 * uses) for the list/search benchmark and the event-loop stall test: N applicants (each with its
 * keyed hash), N requests spread over a year and over the statuses, one history row each, and a
 * registration number for the registered ones.
 */
import { randomUUID } from 'node:crypto';
import { REQUEST_STATUSES } from '../../src-main/contract/model.js';
import type { Db } from '../../src-main/db/database.js';
import { newId } from '../../src-main/db/ids.js';
import { applicantNumberHash } from '../../src-main/db/keys.js';
import { makeIin } from './store-fixture.js';

export interface BulkInfo {
  count: number;
  /** A few requests to search for. */
  samples: { id: string; localNumber: string; registrationNumber: string | null; iin: string; createdAt: string }[];
}

export function bulkFill(db: Db, count: number, operatorId: string, startMs = Date.parse('2026-01-01T00:00:00.000Z')): BulkInfo {
  const samples: BulkInfo['samples'] = [];
  const insApplicant = db.prepare(
    `INSERT INTO applicants (id, kind, number, number_hash, name, date, registry_status, verified, fetched_at) VALUES (?, 'iin', ?, ?, ?, '1990-01-01', 'active', 1, ?)`,
  );
  const insRequest = db.prepare(
    `INSERT INTO requests (id, local_number, service_id, sub_service_id, applicant_id, operator_id, status, registration_number, form_json, created_at, updated_at)
     VALUES (?, ?, 'emission-permit-almaty', 'cat-4', ?, ?, ?, ?, '{}', ?, ?)`,
  );
  const insHistory = db.prepare(`INSERT INTO status_history (request_id, from_status, to_status, step, actor, at) VALUES (?, NULL, ?, 'P2', ?, ?)`);
  const step = Math.floor((365 * 86_400_000) / count);
  db.pragma('synchronous = OFF');
  // A page cache that holds the whole fill (the tables and indexes of 100,000 requests are
  // ~100 MB): otherwise every page is encrypted, evicted and read back several times while the
  // indexes grow (13.8 s of CPU against 8.4 s). The app's own size is put back afterwards, so what
  // the tests measure on this store runs with it.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -262144');
  // The secondary indexes of the three tables are dropped for the fill and made again from their
  // own SQL (same names, same definitions) in the same transaction: an index built once from the
  // sorted rows costs far less than 100,000 insertions at random places in it (2.6 s of CPU
  // against 5.3 s). The UNIQUE/PRIMARY KEY indexes cannot be dropped and are filled as the app
  // fills them.
  const indexes = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('applicants', 'requests', 'status_history')`)
    .all() as { name: string; sql: string }[];
  try {
    db.transaction(() => {
      for (const x of indexes) db.exec(`DROP INDEX "${x.name}"`);
      for (let i = 0; i < count; i++) {
        const iin = makeIin(100_000 + i);
        const applicantId = randomUUID();
        const at = new Date(startMs + i * step).toISOString();
        insApplicant.run(applicantId, iin, applicantNumberHash(db, 'iin', iin), `Өтініш беруші ${i}`, at);
        // Request ids as the app makes them (UUIDv7, db/ids.ts): ordered by creation time.
        const id = newId(startMs + i * step);
        const status = REQUEST_STATUSES[i % REQUEST_STATUSES.length]!;
        const registered = ['registered', 'under_review', 'refused', 'result_ready', 'issued'].includes(status);
        const localNumber = `ALM-01-W09-2026-${String(i + 1).padStart(6, '0')}`;
        const registrationNumber = registered ? `KZ26SBX${String(i).padStart(8, '0')}` : null;
        insRequest.run(id, localNumber, applicantId, operatorId, status, registrationNumber, at, at);
        insHistory.run(id, status, operatorId, at);
        if (status === 'registered' && i % Math.max(1, Math.floor(count / 10)) < REQUEST_STATUSES.length) samples.push({ id, localNumber, registrationNumber, iin, createdAt: at });
      }
      for (const x of indexes) db.exec(x.sql);
      db.prepare(`INSERT INTO counters (name, value) VALUES ('local_number:2026', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(count);
    })();
  } finally {
    db.pragma('synchronous = FULL');
    db.pragma(`cache_size = ${cacheSize}`);
  }
  db.pragma('optimize');
  return { count, samples };
}
