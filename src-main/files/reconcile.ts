/**
 * Start-up reconciliation of rows and files. Nothing is silently dropped:
 * - an ORPHAN file (on disk, no row refers to it: a crash between the file's rename and its row's
 *   commit, or a restore of an older database) is reported, never deleted;
 * - a MISSING file (a row refers to it, the file is gone) is flagged: the page gets missing_since,
 *   and its request goes to needs_attention when it is waiting to be sent (signed, queued, sent:
 *   it cannot be uploaded), or gets the attention flag STORAGE_FILE_MISSING otherwise;
 * - a file that is back (restored from a copy) clears its flags.
 * The reference list is read in the store's worker (one read-only query over every page); the
 * flags are written in small transactions.
 */
import type { AuditLog } from '../audit/audit-log.js';
import { writeTx, type Db } from '../db/database.js';
import type { StoreWorker } from '../db/worker-client.js';
import type { Logger } from '../host/logger-types.js';
import type { RequestStatus } from '../contract/model.js';
import { applyTransition } from '../requests/transitions.js';
import type { ContentStore } from './content-store.js';

export const FILE_MISSING = 'STORAGE_FILE_MISSING';

export interface ReconcileReport {
  filesOnDisk: number;
  referenced: number;
  /** Files without a row (reported, kept). */
  orphans: string[];
  /** Unreferenced files already queued for deletion by retention (deleted pages, purges). */
  awaitingRetention: number;
  /** Referenced files that are gone. */
  missing: string[];
  /** Requests moved to needs_attention because a file they must send is gone. */
  movedToAttention: string[];
  /** Requests flagged (attention_code) because a file is gone. */
  flagged: string[];
  /** Pages whose file came back. */
  recovered: number;
}

const CAN_NEED_ATTENTION: ReadonlySet<RequestStatus> = new Set(['signed', 'queued', 'sent']);

export async function reconcileFiles(p: {
  db: Db;
  dbFile: string;
  files: ContentStore;
  worker: StoreWorker;
  audit: AuditLog;
  log: Logger;
  now: () => Date;
  actor?: string;
}): Promise<ReconcileReport> {
  const actor = p.actor ?? 'system';
  const refs = await p.worker.query<[string, string | null]>(
    p.dbFile,
    'SELECT sha256, MAX(missing_since) FROM file_refs GROUP BY sha256',
  );
  const gc = new Set((await p.worker.query<[string]>(p.dbFile, 'SELECT sha256 FROM file_gc')).map((r) => r[0]));
  const onDisk = new Set(await p.files.list());
  const referenced = new Map(refs.map(([sha, missing]) => [sha, missing]));
  const orphans = [...onDisk].filter((h) => !referenced.has(h) && !gc.has(h)).sort();
  const awaitingRetention = [...onDisk].filter((h) => !referenced.has(h) && gc.has(h)).length;
  const missing = [...referenced.keys()].filter((h) => !onDisk.has(h)).sort();
  const recoveredHashes = [...referenced].filter(([h, m]) => m !== null && onDisk.has(h)).map(([h]) => h);

  const movedToAttention = new Set<string>();
  const flagged = new Set<string>();
  const at = p.now().toISOString();
  for (let i = 0; i < missing.length; i += 100) {
    const chunk = missing.slice(i, i + 100);
    writeTx(p.db, () => {
      const requests = new Set<string>();
      // One pass over the pages per chunk (there is no index by hash: it would cost every commit).
      const list = JSON.stringify(chunk);
      p.db.prepare('UPDATE pages SET missing_since = COALESCE(missing_since, ?) WHERE sha256 IN (SELECT value FROM json_each(?))').run(at, list);
      const owners = p.db
        .prepare(
          'SELECT DISTINCT request_id FROM file_refs WHERE sha256 IN (SELECT value FROM json_each(@list))',
        )
        .all({ list }) as { request_id: string }[];
      for (const o of owners) requests.add(o.request_id);
      for (const id of requests) {
        const r = p.db.prepare('SELECT status, attention_code FROM requests WHERE id = ?').get(id) as { status: RequestStatus; attention_code: string | null };
        if (CAN_NEED_ATTENTION.has(r.status)) {
          applyTransition(p.db, p.audit, { id, from: r.status, to: 'needs_attention', actor, at, lastError: FILE_MISSING });
          // The sync engine must not keep trying to send it; `requeue` makes it pending again.
          p.db
            .prepare(`UPDATE outbox SET state = 'failed', last_error = ? WHERE request_id = ? AND kind = 'submit' AND superseded_at IS NULL AND state = 'pending'`)
            .run(FILE_MISSING, id);
          movedToAttention.add(id);
        } else if (r.attention_code === null) {
          p.db.prepare('UPDATE requests SET attention_code = ?, attention_at = ? WHERE id = ?').run(FILE_MISSING, at, id);
          p.audit.append({ actor, action: 'request.flagged', subject: id, data: { code: FILE_MISSING, status: r.status } });
          flagged.add(id);
        }
      }
    });
  }
  if (recoveredHashes.length) {
    writeTx(p.db, () => {
      p.db.prepare('UPDATE pages SET missing_since = NULL WHERE sha256 IN (SELECT value FROM json_each(?))').run(JSON.stringify(recoveredHashes));
      p.db
        .prepare(
          `UPDATE requests SET attention_code = NULL, attention_at = NULL WHERE attention_code = ?
             AND NOT EXISTS (SELECT 1 FROM pages WHERE pages.request_id = requests.id AND pages.missing_since IS NOT NULL)`,
        )
        .run(FILE_MISSING);
    });
  }
  const report: ReconcileReport = {
    filesOnDisk: onDisk.size,
    referenced: referenced.size,
    orphans,
    awaitingRetention,
    missing,
    movedToAttention: [...movedToAttention],
    flagged: [...flagged],
    recovered: recoveredHashes.length,
  };
  if (orphans.length || missing.length || recoveredHashes.length) {
    p.audit.append({
      actor,
      action: 'admin.reconcile',
      data: { orphans: orphans.length, missing: missing.length, movedToAttention: movedToAttention.size, flagged: flagged.size, recovered: recoveredHashes.length },
    });
  }
  const level = missing.length ? 'error' : orphans.length ? 'warn' : 'info';
  p.log[level](
    { filesOnDisk: onDisk.size, referenced: referenced.size, orphans: orphans.length, missing: missing.length, recovered: recoveredHashes.length },
    'files reconciled with the database',
  );
  return report;
}
