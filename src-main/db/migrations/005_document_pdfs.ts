import type { Migration } from '../migrate.js';

/**
 * The documents as they travel: one PDF per document slot, assembled from the slot's pages when
 * the request is signed (src-main/requests/signing.ts) and listed in the signed manifest. Kept per
 * signature (a re-signed request has its own set), purgeable by retention like results.
 *
 * And one view of every row that refers to a stored file, so reconciliation and retention ask
 * one place instead of repeating the list of tables.
 */
export const migration005: Migration = {
  version: 5,
  name: 'document_pdfs',
  up(db) {
    db.exec(`
      CREATE TABLE document_pdfs (
        signature_id TEXT NOT NULL REFERENCES signatures (id),
        request_id TEXT NOT NULL REFERENCES requests (id),
        slot_id TEXT NOT NULL,
        sha256 TEXT,
        size INTEGER NOT NULL,
        page_count INTEGER NOT NULL CHECK (page_count > 0),
        created_at TEXT NOT NULL,
        purged_at TEXT,
        PRIMARY KEY (signature_id, slot_id),
        CHECK (sha256 IS NOT NULL OR purged_at IS NOT NULL)
      );
      CREATE INDEX document_pdfs_by_request ON document_pdfs (request_id);

      CREATE VIEW file_refs AS
        SELECT request_id, sha256, missing_since FROM pages
        UNION ALL SELECT request_id, sha256, NULL FROM results WHERE sha256 IS NOT NULL
        UNION ALL SELECT request_id, sha256, NULL FROM receipts WHERE sha256 IS NOT NULL
        UNION ALL SELECT request_id, sha256, NULL FROM document_pdfs WHERE sha256 IS NOT NULL;
    `);
  },
};
