import type { Migration } from '../migrate.js';

/**
 * Refusals given at the counter, as records (issue 13): P4 "data cannot be obtained" (the
 * applicant is absent from the state registry: a reasoned refusal, seed 000 Table 3), and the
 * refusal to accept documents (an incomplete package, or documents whose validity has expired).
 * Who refused, when, on which ground, for which number and registry; the paper printed for the
 * applicant (a stored file: `file_refs` names it). A document slot can be marked expired by the
 * operator.
 */
export const migration009: Migration = {
  version: 9,
  name: 'counter_refusals',
  up(db) {
    db.exec(`
      ALTER TABLE document_slots ADD COLUMN expired INTEGER NOT NULL DEFAULT 0 CHECK (expired IN (0, 1));
      CREATE TABLE counter_refusals (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        operator_id TEXT NOT NULL,
        ground TEXT NOT NULL CHECK (ground IN ('data_unavailable', 'incomplete', 'expired')),
        stage TEXT NOT NULL CHECK (stage IN ('counter', 'sending')),
        registry TEXT CHECK (registry IN ('individuals', 'entities')),
        applicant_kind TEXT NOT NULL CHECK (applicant_kind IN ('iin', 'bin')),
        applicant_number TEXT,
        service_id TEXT,
        sub_service_id TEXT,
        request_id TEXT REFERENCES requests(id),
        documents_json TEXT,
        paper_sha256 TEXT
      );
      CREATE INDEX counter_refusals_at ON counter_refusals (at);
      CREATE INDEX counter_refusals_request ON counter_refusals (request_id);
      -- A refusal's printed paper is a stored file a row refers to (not an orphan).
      DROP VIEW file_refs;
      CREATE VIEW file_refs AS
        SELECT request_id, sha256, missing_since FROM pages
        UNION ALL SELECT request_id, sha256, NULL FROM results WHERE sha256 IS NOT NULL
        UNION ALL SELECT request_id, sha256, NULL FROM receipts WHERE sha256 IS NOT NULL
        UNION ALL SELECT request_id, sha256, NULL FROM document_pdfs WHERE sha256 IS NOT NULL
        UNION ALL SELECT request_id, paper_sha256, NULL FROM counter_refusals WHERE paper_sha256 IS NOT NULL;
    `);
  },
};
