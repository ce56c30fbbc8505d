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
import type { RequestStatus } from '../contract/model.js';
import { writeTx, type Db } from '../db/database.js';
import { DocumentsRepo } from '../db/repos/documents.js';
import { FilesRepo, QUEUED_HASHES_SQL, REFERENCED_HASHES_SQL } from '../db/repos/files.js';
import { OutboxStore } from '../db/repos/outbox.js';
import { RequestsRepo } from '../db/repos/requests.js';
import { applyTransition } from '../db/repos/transitions.js';
import type { StoreWorker } from '../db/worker-client.js';
import type { Logger } from '../host/logger-types.js';
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
  const refs = await p.worker.query<[string, string | null]>(p.dbFile, REFERENCED_HASHES_SQL);
  const gc = new Set((await p.worker.query<[string]>(p.dbFile, QUEUED_HASHES_SQL)).map((r) => r[0]));
  const onDisk = new Set(await p.files.list());
  const referenced = new Map(refs.map(([sha, missing]) => [sha, missing]));
  const orphans = [...onDisk].filter((h) => !referenced.has(h) && !gc.has(h)).sort();
  const awaitingRetention = [...onDisk].filter((h) => !referenced.has(h) && gc.has(h)).length;
  const missing = [...referenced.keys()].filter((h) => !onDisk.has(h)).sort();
  const recoveredHashes = [...referenced].filter(([h, m]) => m !== null && onDisk.has(h)).map(([h]) => h);

  const movedToAttention = new Set<string>();
  const flagged = new Set<string>();
  const at = p.now().toISOString();
  const documents = new DocumentsRepo(p.db);
  const requests = new RequestsRepo(p.db);
  const refsRepo = new FilesRepo(p.db);
  const outbox = new OutboxStore(p.db, p.now);
  for (let i = 0; i < missing.length; i += 100) {
    const chunk = missing.slice(i, i + 100);
    writeTx(p.db, () => {
      documents.markMissing(chunk, at);
      for (const id of new Set(refsRepo.requestsReferring(chunk))) {
        const r = requests.get(id) as { status: RequestStatus; attention_code: string | null };
        if (CAN_NEED_ATTENTION.has(r.status)) {
          applyTransition(p.db, p.audit, { id, from: r.status, to: 'needs_attention', actor, at, lastError: FILE_MISSING });
          // The sync engine must not keep trying to send it; `requeue` makes it pending again.
          outbox.failPendingSubmission(id, FILE_MISSING);
          movedToAttention.add(id);
        } else if (r.attention_code === null) {
          requests.flag(id, FILE_MISSING, at);
          p.audit.append({ actor, action: 'request.flagged', subject: id, data: { code: FILE_MISSING, status: r.status } });
          flagged.add(id);
        }
      }
    });
  }
  if (recoveredHashes.length) {
    writeTx(p.db, () => {
      documents.clearMissing(recoveredHashes);
      requests.clearFlagWhereNoPageMissing(FILE_MISSING);
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
