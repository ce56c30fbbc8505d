import type { Migration } from '../migrate.js';

/**
 * The regulation's clock (issue 12): every Diagram 3 step event, written in the transaction of
 * the change it describes; per-day roll-ups the dashboard reads (durations as packed float64
 * arrays, counts); the Appendix 3 answers (per service and day, never the applicant) and which
 * requests the questionnaire was already answered for.
 */
export const migration008: Migration = {
  version: 8,
  name: 'step_events',
  up(db) {
    db.exec(`
      CREATE TABLE step_events (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        step TEXT,
        request_id TEXT REFERENCES requests(id),
        service_id TEXT,
        operator_id TEXT NOT NULL,
        workstation_id TEXT NOT NULL,
        at TEXT NOT NULL,
        day TEXT NOT NULL,
        run_id TEXT NOT NULL,
        mono_ms REAL NOT NULL,
        duration_ms REAL CHECK (duration_ms IS NULL OR duration_ms >= 0),
        clock TEXT CHECK (clock IN ('monotonic', 'wall')),
        latency_ms REAL CHECK (latency_ms IS NULL OR latency_ms >= 0),
        screen TEXT,
        outcome TEXT,
        reported_at TEXT
      );
      CREATE INDEX step_events_request ON step_events(request_id, seq) WHERE request_id IS NOT NULL;
      CREATE INDEX step_events_operator ON step_events(operator_id, seq);
      CREATE INDEX step_events_day ON step_events(day);
      CREATE INDEX step_events_unreported ON step_events(seq) WHERE reported_at IS NULL;

      CREATE TABLE step_days (
        day TEXT NOT NULL,
        operator_id TEXT NOT NULL,
        service_id TEXT NOT NULL,
        step TEXT NOT NULL,
        durations BLOB NOT NULL,
        latencies BLOB NOT NULL,
        PRIMARY KEY (day, operator_id, service_id, step)
      ) WITHOUT ROWID;

      CREATE TABLE outcome_days (
        day TEXT NOT NULL,
        operator_id TEXT NOT NULL,
        service_id TEXT NOT NULL,
        outcome TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, operator_id, service_id, outcome)
      ) WITHOUT ROWID;

      CREATE TABLE questionnaire_answers (
        id INTEGER PRIMARY KEY,
        service_id TEXT NOT NULL,
        day TEXT NOT NULL,
        quality INTEGER CHECK (quality IN (1, 2, 3)),
        information INTEGER CHECK (information IN (1, 2, 3))
      );
      CREATE INDEX questionnaire_answers_day ON questionnaire_answers(day, service_id);

      -- 'request:<id>' or 'refusal:<id>' (a P4 refusal has no request): asked once each.
      CREATE TABLE questionnaire_given (subject TEXT PRIMARY KEY);
    `);
  },
};
