import type { Migration } from '../migrate.js';

/**
 * The step events' cost on a request's commit (issue 12, bench:report), the last index it paid for
 * that no query needs: `step_events.id` UNIQUE (an index insert and one more page in the WAL in
 * every commit that writes an event). The id is the event's name for the backend (which stores
 * each id once), a UUIDv7 (db/ids.ts: 74 random bits a millisecond, and a counter within one);
 * here the events are found by their seq: the step log claims the log-in and look-ups by seq, the
 * report stage's acknowledgements and refusals name ids that are looked up after the report mark
 * (migration 014: a short rowid range), and a refused event is set aside by its seq.
 *
 * SQLite cannot drop a column's UNIQUE: the table is rebuilt (same columns, same order, same
 * rows and seqs) with its three indexes (by request, operator-scoped, by refusal), and
 * `step_report_parks` with it, now keyed by the event's seq (its foreign key named the id).
 */
export const migration015: Migration = {
  version: 15,
  name: 'step_event_ids',
  up(db) {
    db.exec(`
      CREATE TABLE step_events_new (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
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
        reported_at TEXT,
        refusal_id TEXT
      );
      INSERT INTO step_events_new (seq, id, kind, step, request_id, service_id, operator_id, workstation_id, at, day, run_id, mono_ms, duration_ms, clock, latency_ms, screen, outcome, reported_at, refusal_id)
        SELECT seq, id, kind, step, request_id, service_id, operator_id, workstation_id, at, day, run_id, mono_ms, duration_ms, clock, latency_ms, screen, outcome, reported_at, refusal_id FROM step_events ORDER BY seq;

      CREATE TABLE step_report_parks_new (
        event_seq INTEGER PRIMARY KEY REFERENCES step_events(seq),
        code TEXT NOT NULL,
        at TEXT NOT NULL
      );
      INSERT INTO step_report_parks_new (event_seq, code, at) SELECT e.seq, k.code, k.at FROM step_report_parks k JOIN step_events e ON e.id = k.event_id;
      DROP TABLE step_report_parks;

      DROP TABLE step_events;
      ALTER TABLE step_events_new RENAME TO step_events;
      ALTER TABLE step_report_parks_new RENAME TO step_report_parks;
      CREATE INDEX step_events_request ON step_events(request_id, seq) WHERE request_id IS NOT NULL;
      CREATE INDEX step_events_counter ON step_events(operator_id, seq) WHERE request_id IS NULL OR kind IN ('login', 'lookup_asked', 'lookup_answered', 'p4_recorded', 'service_chosen');
      CREATE INDEX step_events_refusal ON step_events(refusal_id) WHERE refusal_id IS NOT NULL;
    `);
  },
};
