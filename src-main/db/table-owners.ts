/**
 * Which module owns each table's SQL. A table's rows are written and read only through its owner
 * (a repository with typed methods); `reads` lists the other tables a module may name in a SELECT
 * or a subquery (joins for one read), never in an INSERT, UPDATE or DELETE. The migrations own the
 * schema and may name every table.
 *
 * test/unit/db/table-owners.test.ts scans src-main for SQL and fails on a table named outside its
 * owner, and on a table the migrations create that is missing here. A new table: add it to the
 * owning module's entry (or a new entry for a new repository) in the same change.
 */
export interface TableOwner {
  /** The one file whose SQL may write these tables (path from the repository's root). */
  file: string;
  owns: readonly string[];
  /** Tables this file may also read (SELECT, subqueries). */
  reads?: readonly string[];
}

export const TABLE_OWNERS: readonly TableOwner[] = [
  { file: 'src-main/db/repos/requests.ts', owns: ['requests', 'counters', 'request_status_counts'], reads: ['applicants', 'operators', 'pages', 'status_history'] },
  { file: 'src-main/db/repos/status-history.ts', owns: ['status_history'] },
  { file: 'src-main/db/repos/documents.ts', owns: ['document_slots', 'pages', 'document_pdfs'] },
  { file: 'src-main/db/repos/representatives.ts', owns: ['request_representatives'] },
  { file: 'src-main/db/repos/signatures.ts', owns: ['signatures'] },
  { file: 'src-main/db/repos/outbox.ts', owns: ['outbox'] },
  { file: 'src-main/db/repos/outcomes.ts', owns: ['decisions', 'results', 'receipts', 'issuances'] },
  { file: 'src-main/db/repos/files.ts', owns: ['file_gc', 'file_refs'] },
  { file: 'src-main/db/repos/upload-progress.ts', owns: ['upload_progress'] },
  { file: 'src-main/db/repos/applicants.ts', owns: ['applicants'] },
  { file: 'src-main/db/keys.ts', owns: ['meta'] },
  { file: 'src-main/audit/audit-log.ts', owns: ['audit_log', 'audit_personal'] },
  { file: 'src-main/auth/operator-store.ts', owns: ['operators'] },
  { file: 'src-main/db/repos/step-events.ts', owns: ['step_events', 'questionnaire_answers', 'questionnaire_given', 'step_report_parks', 'step_report_mark'], reads: ['requests', 'operators', 'status_history'] },
  { file: 'src-main/db/repos/step-rollups.ts', owns: ['step_days', 'outcome_days', 'step_rollup_mark'], reads: ['step_events', 'requests'] },
  { file: 'src-main/db/repos/counter-refusals.ts', owns: ['counter_refusals'], reads: ['requests'] },
];

/** The schema's home: may name every table. */
export const SCHEMA_DIR = 'src-main/db/migrations/';
