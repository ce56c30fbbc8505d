import type { Migration } from '../migrate.js';

/**
 * Issue 14. The applicant's language (Kazakh or Russian), set by the operator on the request: the
 * receipt and the other papers handed to the applicant print in it. A page's skew as the scan
 * measured it (degrees, the sign is the turn's direction; null: not measured, e.g. an imported file),
 * so the viewer can mark a page fed askew.
 */
export const migration012: Migration = {
  version: 12,
  name: 'applicant_language_skew',
  up(db) {
    db.exec(`
      ALTER TABLE requests ADD COLUMN applicant_language TEXT NOT NULL DEFAULT 'kk' CHECK (applicant_language IN ('kk', 'ru'));
      ALTER TABLE pages ADD COLUMN skew_deg REAL;
    `);
  },
};
