import type { Migration } from '../migrate.js';

/**
 * The dashboard's table of latest requests finds a P4 refusal's events (the P4 and the log-in and
 * look-ups it claimed) by the counter refusal's id: without an index that was a scan of every
 * step event (2.5 s over 1,000,000; bench:report). Partial: the events of a request, those of
 * every commit, have none and are not in it.
 */
export const migration013: Migration = {
  version: 13,
  name: 'step_refusal_index',
  up(db) {
    db.exec(`CREATE INDEX step_events_refusal ON step_events(refusal_id) WHERE refusal_id IS NOT NULL;`);
  },
};
