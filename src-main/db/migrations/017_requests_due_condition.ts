import type { Migration } from '../migrate.js';

/**
 * requests_due (migration 011) said `status IN (five statuses)`. SQLite evaluates a partial
 * index's condition for the old and the new row of every UPDATE that changes a column it names,
 * and builds an IN list of more than two constants into a temporary B-tree each time (a page
 * allocated and zeroed): every status change of every request paid it, twice. The same condition
 * as ORs is compared in place. Its queries repeat it (db/repos/requests.ts OPEN_STATUS) so that
 * SQLite still uses the index.
 */
export const migration017: Migration = {
  version: 17,
  name: 'requests_due_condition',
  up(db) {
    db.exec(`
      DROP INDEX requests_due;
      CREATE INDEX requests_due ON requests(due_date)
        WHERE status = 'queued' OR status = 'sent' OR status = 'registered' OR status = 'under_review' OR status = 'needs_attention';
    `);
  },
};
