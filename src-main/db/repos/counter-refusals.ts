/**
 * The `counter_refusals` table: refusals given at the counter, each a record (who, when, which
 * ground, which number and registry, which request, the paper printed). P4 "data cannot be
 * obtained" has no request when it happens at the counter's look-up.
 */
import { prep, type Db } from '../database.js';

export type RefusalGround = 'data_unavailable' | 'incomplete' | 'expired';
export type RefusalStage = 'counter' | 'sending';
export type RefusalRegistry = 'individuals' | 'entities';

export interface CounterRefusalRow {
  id: string;
  at: string;
  operator_id: string;
  ground: RefusalGround;
  stage: RefusalStage;
  registry: RefusalRegistry | null;
  applicant_kind: 'iin' | 'bin';
  applicant_number: string | null;
  service_id: string | null;
  sub_service_id: string | null;
  request_id: string | null;
  documents_json: string | null;
  paper_sha256: string | null;
}

export type NewCounterRefusal = Omit<CounterRefusalRow, 'paper_sha256'>;

export class CounterRefusalsRepo {
  constructor(private readonly db: Db) {}

  insert(r: NewCounterRefusal): void {
    prep(
      this.db,
      `INSERT INTO counter_refusals (id, at, operator_id, ground, stage, registry, applicant_kind, applicant_number, service_id, sub_service_id, request_id, documents_json)
       VALUES (@id, @at, @operator_id, @ground, @stage, @registry, @applicant_kind, @applicant_number, @service_id, @sub_service_id, @request_id, @documents_json)`,
    ).run(r);
  }

  get(id: string): CounterRefusalRow | undefined {
    return prep(this.db, 'SELECT * FROM counter_refusals WHERE id = ?').get(id) as CounterRefusalRow | undefined;
  }

  /** The refusal recorded for a request (the latest), if any. */
  ofRequest(requestId: string): CounterRefusalRow | undefined {
    return prep(this.db, 'SELECT * FROM counter_refusals WHERE request_id = ? ORDER BY at DESC LIMIT 1').get(requestId) as CounterRefusalRow | undefined;
  }

  setPaper(id: string, sha256: string): void {
    prep(this.db, 'UPDATE counter_refusals SET paper_sha256 = ? WHERE id = ?').run(sha256, id);
  }

  /** Refusals in [from, to) (ISO instants), oldest first. */
  between(from: string, to: string, limit: number): CounterRefusalRow[] {
    return prep(this.db, 'SELECT * FROM counter_refusals WHERE at >= ? AND at < ? ORDER BY at LIMIT ?').all(from, to, limit) as CounterRefusalRow[];
  }

  /** How many refusals of each ground in [from, to). */
  counts(from: string, to: string): Record<RefusalGround, number> {
    const rows = prep(this.db, 'SELECT ground, COUNT(*) AS n FROM counter_refusals WHERE at >= ? AND at < ? GROUP BY ground').all(from, to) as { ground: RefusalGround; n: number }[];
    const out: Record<RefusalGround, number> = { data_unavailable: 0, incomplete: 0, expired: 0 };
    for (const r of rows) out[r.ground] = r.n;
    return out;
  }

  /** Retention: forgets the numbers of refusals older than the cutoff (the counts stay). */
  forgetNumbersBefore(cutoff: string): number {
    return prep(this.db, 'UPDATE counter_refusals SET applicant_number = NULL WHERE at < ? AND applicant_number IS NOT NULL').run(cutoff).changes;
  }
}
