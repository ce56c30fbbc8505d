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
 * it. Counter refusals older than the cutoff (with or without a request) forget the number, their
 * printed paper and the personal part of their audit entries. A file is deleted only when no row refers to it any more (content addressing shares files).
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
import { ApplicantsRepo } from './repos/applicants.js';
import { CounterRefusalsRepo } from './repos/counter-refusals.js';
import { DocumentsRepo } from './repos/documents.js';
import { FilesRepo } from './repos/files.js';
import { OutcomesRepo } from './repos/outcomes.js';
import { RepresentativesRepo } from './repos/representatives.js';
import { RequestsRepo } from './repos/requests.js';
import { SignaturesRepo } from './repos/signatures.js';

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
  /** Counter refusals (P4, documents refused) older than the cutoff whose number and paper went. */
  refusals: number;
  filesDeleted: number;
  dryRun: boolean;
}

export function purgeCandidates(db: Db, cutoff: string): string[] {
  return new RequestsRepo(db).purgeCandidates(cutoff);
}

/** Purges one request's personal data and queues its files; returns its page count and whether its applicant went too. */
function purgeRequest(db: Db, audit: AuditLog, id: string, at: string): { pages: number; applicant: boolean } {
  const requests = new RequestsRepo(db);
  const files = new FilesRepo(db);
  const hashes = files.hashesOf(id);
  const documents = new DocumentsRepo(db);
  const pages = documents.deletePages(id);
  new OutcomesRepo(db).purge(id, at);
  documents.purgePdfs(id, at);
  new RepresentativesRepo(db).delete(id);
  new SignaturesRepo(db).purgeManifests(id, at);
  requests.purge(id, at);
  audit.purgePersonal([id]);
  for (const h of hashes) files.release(h, at);
  const applicantId = requests.get(id)!.applicant_id;
  const applicant = requests.liveOfApplicant(applicantId) === 0 && new ApplicantsRepo(db).purge(applicantId, at);
  return { pages, applicant };
}

/**
 * Counter refusals (P4, documents refused) older than the cutoff keep their facts (ground, time,
 * service, for the counts); the applicant's number goes, with the personal part of their audit
 * entries (a P4 at the counter has no request: its entries' subject is the refusal) and their
 * printed papers, queued in file_gc in the caller's transaction and deleted after its commit.
 */
function forgetRefusals(db: Db, audit: AuditLog, cutoff: string, at: string): number {
  const refs = new FilesRepo(db);
  const gone = new CounterRefusalsRepo(db).forgetBefore(cutoff);
  audit.purgePersonal(gone.ids);
  for (const sha of gone.papers) refs.release(sha, at);
  return gone.ids.length;
}

export function runRetention(db: Db, files: ContentStore, audit: AuditLog, opts: RetentionOptions): RetentionReport {
  const now = opts.now();
  const cutoff = new Date(now.getTime() - opts.days * 86_400_000).toISOString();
  const ids = purgeCandidates(db, cutoff);
  const report: RetentionReport = { cutoff, requests: ids.length, applicants: 0, pages: 0, refusals: 0, filesDeleted: 0, dryRun: opts.dryRun };
  if (opts.dryRun) {
    for (const id of ids) report.pages += new DocumentsRepo(db).countPages(id);
    report.refusals = new CounterRefusalsRepo(db).toForgetBefore(cutoff);
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
          const done = purgeRequest(db, audit, id, at);
          report.pages += done.pages;
          if (done.applicant) report.applicants += 1;
        }
      });
    }
    writeTx(db, () => {
      report.refusals = forgetRefusals(db, audit, cutoff, at);
    });
    report.filesDeleted = collectFiles(db, files);
    writeTx(db, () => {
      audit.append({
        actor: opts.actor ?? 'admin',
        action: 'admin.retention',
        data: { days: opts.days, cutoff, requests: report.requests, applicants: report.applicants, pages: report.pages, refusals: report.refusals, filesDeleted: report.filesDeleted },
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
  const refs = new FilesRepo(db);
  const queued = refs.queued();
  if (!queued.length) return 0;
  // Every hash still referenced, in one pass (the app is stopped: nothing adds a reference meanwhile).
  const used = refs.referenced();
  for (const sha of queued) {
    if (!used.has(sha)) {
      rmSync(files.pathOf(sha), { force: true });
      deleted += 1;
    }
    writeTx(db, () => refs.keep(sha));
  }
  return deleted;
}
