/**
 * Retention: an administrator's command that purges personal data and scans a configurable number
 * of days after a request ended (its result or refusal was issued, or it was cancelled), and keeps
 * the non-personal facts: the request's statuses and times, its slots, its signature's hash and
 * CMS, the outbox, and the audit trail (only its separable personal part goes, so the chain still
 * verifies).
 *
 * Purged per request: the page rows and their files, form data, representative, the signed
 * manifest (it holds the applicant's IIN and name), result and receipt files, refusal texts, the
 * personal part of its audit entries, and the applicant's record once no other live request uses
 * it. A file is deleted only when no row refers to it any more (content addressing shares files).
 *
 * Crash safety: rows are purged and the files to delete are listed in file_gc in one transaction
 * per chunk; files are deleted after the commit, and any left over (a crash) are deleted on the
 * next run. Freed database pages are zeroed (secure_delete) and the WAL is truncated afterwards.
 * Runs with the app stopped (instance lock): the app's content-addressed dedup could otherwise
 * re-use a file between the check and the delete.
 */
import { rmSync } from 'node:fs';
import type { AuditLog } from '../audit/audit-log.js';
import type { ContentStore } from '../files/content-store.js';
import { writeTx, type Db } from './database.js';

export interface RetentionOptions {
  days: number;
  dryRun: boolean;
  now: () => Date;
  actor?: string;
  chunk?: number;
}

export interface RetentionReport {
  cutoff: string;
  requests: number;
  applicants: number;
  pages: number;
  filesDeleted: number;
  dryRun: boolean;
}

export function purgeCandidates(db: Db, cutoff: string): string[] {
  return (
    db
      .prepare(
        `SELECT r.id FROM requests r
         WHERE r.status IN ('issued', 'cancelled') AND r.purged_at IS NULL
           AND (SELECT MAX(h.at) FROM status_history h WHERE h.request_id = r.id AND h.to_status = r.status) <= ?
         ORDER BY r.created_at`,
      )
      .all(cutoff) as { id: string }[]
  ).map((r) => r.id);
}

export function runRetention(db: Db, files: ContentStore, audit: AuditLog, opts: RetentionOptions): RetentionReport {
  const now = opts.now();
  const cutoff = new Date(now.getTime() - opts.days * 86_400_000).toISOString();
  const ids = purgeCandidates(db, cutoff);
  const report: RetentionReport = { cutoff, requests: ids.length, applicants: 0, pages: 0, filesDeleted: 0, dryRun: opts.dryRun };
  if (opts.dryRun) {
    for (const id of ids) report.pages += (db.prepare('SELECT COUNT(*) AS n FROM pages WHERE request_id = ?').get(id) as { n: number }).n;
    return report;
  }
  const at = now.toISOString();
  const chunk = opts.chunk ?? 200;
  db.pragma('secure_delete = ON');
  try {
    for (let i = 0; i < ids.length; i += chunk) {
      const part = ids.slice(i, i + chunk);
      writeTx(db, () => {
        for (const id of part) {
          const hashes = (
            db
              .prepare('SELECT DISTINCT sha256 FROM file_refs WHERE request_id = ?')
              .all(id) as { sha256: string }[]
          ).map((r) => r.sha256);
          report.pages += db.prepare('DELETE FROM pages WHERE request_id = ?').run(id).changes;
          db.prepare(`UPDATE results SET sha256 = NULL, purged_at = ? WHERE request_id = ?`).run(at, id);
          db.prepare(`UPDATE receipts SET sha256 = NULL, purged_at = ? WHERE request_id = ?`).run(at, id);
          db.prepare(`UPDATE document_pdfs SET sha256 = NULL, purged_at = ? WHERE request_id = ?`).run(at, id);
          db.prepare(`UPDATE decisions SET reasons_json = (SELECT json_group_array(json_object('code', json_extract(value, '$.code'))) FROM json_each(reasons_json)) WHERE request_id = ?`).run(id);
          db.prepare('DELETE FROM request_representatives WHERE request_id = ?').run(id);
          db.prepare(`UPDATE signatures SET manifest = NULL, purged_at = ? WHERE request_id = ? AND purged_at IS NULL`).run(at, id);
          db.prepare(`UPDATE requests SET form_json = '{}', last_error = NULL, purged_at = ? WHERE id = ?`).run(at, id);
          audit.purgePersonal([id]);
          const gc = db.prepare('INSERT INTO file_gc (sha256, queued_at) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING');
          for (const h of hashes) gc.run(h, at);
          const applicant = db.prepare('SELECT applicant_id FROM requests WHERE id = ?').get(id) as { applicant_id: string };
          const live = db.prepare('SELECT COUNT(*) AS n FROM requests WHERE applicant_id = ? AND purged_at IS NULL').get(applicant.applicant_id) as { n: number };
          if (live.n === 0) {
            report.applicants += db
              .prepare(
                `UPDATE applicants SET number = NULL, number_hash = NULL, name = NULL, date = NULL, head = NULL, address = NULL,
                   registry_json = NULL, purged_at = ? WHERE id = ? AND purged_at IS NULL`,
              )
              .run(at, applicant.applicant_id).changes;
          }
        }
      });
    }
    report.filesDeleted = collectFiles(db, files);
    writeTx(db, () => {
      audit.append({
        actor: opts.actor ?? 'admin',
        action: 'admin.retention',
        data: { days: opts.days, cutoff, requests: report.requests, applicants: report.applicants, pages: report.pages, filesDeleted: report.filesDeleted },
      });
    });
    // Old copies of purged rows can survive in free space left by earlier page splits: VACUUM
    // rewrites the file without them (the app is stopped; it needs free space about the size of
    // the database), and the checkpoint leaves no copy in the WAL.
    if (report.requests > 0) db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.pragma('secure_delete = OFF');
  }
  return report;
}

/** Deletes the files queued in file_gc that no row refers to any more; returns how many. */
export function collectFiles(db: Db, files: ContentStore): number {
  let deleted = 0;
  const queued = (db.prepare('SELECT sha256 FROM file_gc').all() as { sha256: string }[]).map((r) => r.sha256);
  if (!queued.length) return 0;
  // Every hash still referenced, in one pass (the app is stopped: nothing adds a reference meanwhile).
  const used = new Set(
    (
      db
        .prepare('SELECT DISTINCT sha256 FROM file_refs')
        .all() as { sha256: string }[]
    ).map((r) => r.sha256),
  );
  for (const sha of queued) {
    if (!used.has(sha)) {
      rmSync(files.pathOf(sha), { force: true });
      deleted += 1;
    }
    writeTx(db, () => db.prepare('DELETE FROM file_gc WHERE sha256 = ?').run(sha));
  }
  return deleted;
}
