import type { Migration } from '../migrate.js';

/**
 * The step events' cost on a request's commit (issue 12, bench:report): the partial index of the
 * unreported events (step_events_unreported, migration 008) took a page and an index insert in
 * every commit that writes an event (signing writes two). The events are reported oldest first
 * (sync/stages/step-reports.ts), so what is reported is a prefix of the sequence but for the
 * events the backend refused for good (step_report_parks): `step_report_mark.through_seq` is the
 * last event up to which every event is reported or set aside, and the events to report are a
 * rowid range after it. Set here from the events as they are: just before the oldest event that
 * is neither reported nor set aside (or the last event, when there is none).
 */
export const migration014: Migration = {
  version: 14,
  name: 'step_report_mark',
  up(db) {
    db.exec(`
      CREATE TABLE step_report_mark (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        through_seq INTEGER NOT NULL
      );
      INSERT INTO step_report_mark (id, through_seq) VALUES (1, COALESCE(
        (SELECT e.seq - 1 FROM step_events e WHERE e.reported_at IS NULL AND NOT EXISTS (SELECT 1 FROM step_report_parks k WHERE k.event_id = e.id) ORDER BY e.seq LIMIT 1),
        (SELECT MAX(seq) FROM step_events),
        0));
      DROP INDEX step_events_unreported;
    `);
  },
};
