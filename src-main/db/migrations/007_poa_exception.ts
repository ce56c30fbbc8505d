import type { Migration } from '../migrate.js';

/**
 * A representative's power of attorney that the notarial registry (БНАЖ) cannot confirm because
 * it was certified otherwise than by a notary (seed 002: such a power of attorney is not entered
 * there): the operator records that exception, and when, instead of the registry's confirmation.
 */
export const migration007: Migration = {
  version: 7,
  name: 'poa_exception',
  up(db) {
    db.exec(`
      ALTER TABLE request_representatives ADD COLUMN poa_exception TEXT CHECK (poa_exception IN ('certified_otherwise'));
      ALTER TABLE request_representatives ADD COLUMN exception_at TEXT;
    `);
  },
};
