import type { Migration } from '../migrate.js';

/**
 * The dashboard fast and the step events cheap on a request's commit (issue 12, bench:report):
 *
 * - The roll-ups (step_days, outcome_days) leave the commit: they become a fold of the events up
 *   to `step_rollup_mark.through_seq`, written with the mark in one transaction, and the dashboard
 *   reads them plus the events after the mark. They are rebuilt from the events (mark 0), now
 *   with one operator's groups beside the all-operators one ('*'), keyed operator first (the
 *   all-operators rows of a period are one range), and one row of counts per day, operator and
 *   service (a sixth of the rows to sum).
 * - step_events loses the indexes only the dashboard used (day; operator over every event): the
 *   operator-scoped look-ups of the step log (the events without a request, the log-in, look-ups
 *   and service_chosen) get a partial index that a request's other events (signed, queued, sent,
 *   ...) never touch.
 * - requests.due_date: the result's due date (the one deadline rule), stored when the request is
 *   accepted and when it is registered, so the deadline list is an index range over open requests.
 */
export const migration011: Migration = {
  version: 11,
  name: 'report_speed',
  up(db) {
    db.exec(`
      DROP INDEX step_events_day;
      DROP INDEX step_events_operator;
      CREATE INDEX step_events_counter ON step_events(operator_id, seq) WHERE request_id IS NULL OR kind IN ('login', 'lookup_asked', 'lookup_answered', 'p4_recorded', 'service_chosen');

      CREATE TABLE step_rollup_mark (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        through_seq INTEGER NOT NULL
      );
      INSERT INTO step_rollup_mark (id, through_seq) VALUES (1, 0);
      DROP TABLE step_days;
      CREATE TABLE step_days (
        operator_id TEXT NOT NULL,
        day TEXT NOT NULL,
        service_id TEXT NOT NULL,
        step TEXT NOT NULL,
        durations BLOB NOT NULL,
        latencies BLOB NOT NULL,
        PRIMARY KEY (operator_id, day, service_id, step)
      ) WITHOUT ROWID;
      DROP TABLE outcome_days;
      CREATE TABLE outcome_days (
        day TEXT NOT NULL,
        operator_id TEXT NOT NULL,
        service_id TEXT NOT NULL,
        accepted INTEGER NOT NULL DEFAULT 0,
        refused_incomplete INTEGER NOT NULL DEFAULT 0,
        refused_p4 INTEGER NOT NULL DEFAULT 0,
        registered INTEGER NOT NULL DEFAULT 0,
        decided INTEGER NOT NULL DEFAULT 0,
        issued INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, operator_id, service_id)
      ) WITHOUT ROWID;

      ALTER TABLE requests ADD COLUMN due_date TEXT;
      CREATE INDEX requests_due ON requests(due_date) WHERE status IN ('queued', 'sent', 'registered', 'under_review', 'needs_attention');
    `);
  },
};
