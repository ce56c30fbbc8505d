import type { Migration } from '../migrate.js';

/**
 * The step events' cost on a request's commit (issue 12, bench:report), the last index it paid
 * for: `step_events_request` (request_id, seq), one more B-tree insert per event and one more page
 * in the WAL in every commit that writes one (the signing commit writes two: signed, queued).
 *
 * A request's events are a chain instead: each event names the request's event before it
 * (`prev_seq`), and the request's row names its latest (`requests.step_head`). The row is already
 * written by the status change an event records, so the chain costs no page of its own; a
 * request's events are found by walking back from its head (a rowid look-up per event, a request
 * has tens), and nothing else looked for them.
 *
 * The other use of that index was "is this the request's first event of its kind" (the outcome an
 * event counts: accepted, registered, … once per request), asked by the roll-ups' fold and the
 * report stage of every event they read. It is decided once, when the event is written, and kept
 * (`counted`); `requests.step_kinds` holds which counted kinds the request has (a bit each,
 * db/repos/step-rollups.ts COUNTED_KIND_BIT). `requests.step_opened` names the request's latest
 * opening (service_chosen or reopened: where P5 starts), so signing times P5 with one look-up.
 *
 * Existing events are chained and counted here from the index, which is dropped last.
 *
 * And step_events_counter's condition says the same without an IN list: SQLite evaluates a
 * partial index's condition on every insert, and an IN list of more than two constants is built
 * into a temporary table each time (a page allocated and zeroed: a sixth of what the events added
 * to the signing commit, counted with callgrind).
 */
export const migration016: Migration = {
  version: 16,
  name: 'step_event_chain',
  up(db) {
    db.exec(`
      ALTER TABLE step_events ADD COLUMN prev_seq INTEGER;
      ALTER TABLE step_events ADD COLUMN counted TEXT;
      ALTER TABLE requests ADD COLUMN step_head INTEGER;
      ALTER TABLE requests ADD COLUMN step_kinds INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE requests ADD COLUMN step_opened INTEGER;

      CREATE TEMP TABLE step_chain AS
        SELECT seq,
          LAG(seq) OVER (PARTITION BY request_id ORDER BY seq) AS prev,
          ROW_NUMBER() OVER (PARTITION BY request_id, kind ORDER BY seq) AS nth
        FROM step_events WHERE request_id IS NOT NULL;
      UPDATE step_events SET prev_seq = c.prev, counted = CASE WHEN c.nth = 1 THEN ${COUNTED_SQL} END
        FROM step_chain c WHERE c.seq = step_events.seq;
      UPDATE step_events SET counted = ${COUNTED_SQL} WHERE request_id IS NULL;
      DROP TABLE step_chain;

      UPDATE requests SET
        step_head = (SELECT MAX(e.seq) FROM step_events e WHERE e.request_id = requests.id),
        step_kinds = (SELECT COALESCE(SUM(DISTINCT ${KIND_BIT_SQL}), 0) FROM step_events e WHERE e.request_id = requests.id),
        step_opened = (SELECT MAX(e.seq) FROM step_events e WHERE e.request_id = requests.id AND e.kind IN ('service_chosen', 'reopened'));

      DROP INDEX step_events_request;

      DROP INDEX step_events_counter;
      CREATE INDEX step_events_counter ON step_events(operator_id, seq)
        WHERE request_id IS NULL OR kind = 'login' OR kind = 'lookup_asked' OR kind = 'lookup_answered' OR kind = 'p4_recorded' OR kind = 'service_chosen';
    `);
  },
};

/** db/repos/step-rollups.ts's countedOutcome, of the row `kind`, `outcome` (frozen here as it was in version 16). */
const COUNTED_SQL = `CASE kind WHEN 'queued' THEN 'accepted' WHEN 'p4_recorded' THEN 'refused_p4' WHEN 'registered' THEN 'registered'
  WHEN 'decided' THEN 'decided' WHEN 'handed_over' THEN 'issued'
  WHEN 'cancelled' THEN CASE WHEN outcome IN ('incomplete', 'expired') THEN 'refused_incomplete' END END`;

/** db/repos/step-rollups.ts's COUNTED_KIND_BIT, of the event `e` (frozen here as in version 16). */
const KIND_BIT_SQL = `CASE e.kind WHEN 'queued' THEN 1 WHEN 'p4_recorded' THEN 2 WHEN 'registered' THEN 4 WHEN 'decided' THEN 8 WHEN 'handed_over' THEN 16 WHEN 'cancelled' THEN 32 ELSE 0 END`;
