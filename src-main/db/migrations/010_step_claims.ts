import type { Migration } from '../migrate.js';

/**
 * The regulation's clock, what was missing (issue 12): a P4 refusal at look-up has no request, so
 * its step events (the P4 itself, and the log-in and look-up it closes the acceptance of) carry
 * the counter refusal's id; and the step events the licensing backend refused for good (a batch
 * answered 400 or another non-retryable answer) are set aside with the reason instead of being
 * sent again forever.
 */
export const migration010: Migration = {
  version: 10,
  name: 'step_claims',
  up(db) {
    db.exec(`
      ALTER TABLE step_events ADD COLUMN refusal_id TEXT;
      CREATE TABLE step_report_parks (
        event_id TEXT PRIMARY KEY REFERENCES step_events(id),
        code TEXT NOT NULL,
        at TEXT NOT NULL
      );
    `);
  },
};
