/** The `status_history` table: every status a request went through, with actor, time and Diagram 3 step. */
import type { RequestStatus } from '../../contract/model.js';
import { prep, type Db } from '../database.js';

export interface HistoryEntry {
  status: RequestStatus;
  at: string;
  step: string | null;
  actor: string;
}

export class StatusHistoryRepo {
  constructor(private readonly db: Db) {}

  insert(requestId: string, from: RequestStatus | null, to: RequestStatus, step: string | null, actor: string, at: string): void {
    prep(this.db, 'INSERT INTO status_history (request_id, from_status, to_status, step, actor, at) VALUES (?, ?, ?, ?, ?, ?)').run(requestId, from, to, step, actor, at);
  }

  forRequest(requestId: string): HistoryEntry[] {
    return (
      prep(this.db, 'SELECT to_status, at, step, actor FROM status_history WHERE request_id = ? ORDER BY id').all(requestId) as {
        to_status: RequestStatus;
        at: string;
        step: string | null;
        actor: string;
      }[]
    ).map((h) => ({ status: h.to_status, at: h.at, step: h.step, actor: h.actor }));
  }
}
