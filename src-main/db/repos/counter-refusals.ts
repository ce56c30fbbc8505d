/**
 * The `counter_refusals` table: refusals given at the counter, each a record (who, when, which
 * ground, which number and registry, which request, the paper printed). P4 "data cannot be
 * obtained" has no request when it happens at the counter's look-up. Reads `requests` (how many
 * requests refused at sending are settled, for the queue's needs-attention count).
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

/** A refusal still naming the applicant: its number, or a printed paper (which names it). */
const HOLDS_PERSONAL = '(applicant_number IS NOT NULL OR paper_sha256 IS NOT NULL)';

/**
 * Settled: nothing is left for the operator to do with the refusal: its paper was printed for the
 * applicant, or retention has forgotten the number (nothing left to print). A request refused at
 * sending stays parked (needs_attention) until then, and is closed, still listed, after.
 */
const SETTLED = '(paper_sha256 IS NOT NULL OR applicant_number IS NULL)';

export function refusalSettled(r: Pick<CounterRefusalRow, 'paper_sha256' | 'applicant_number'>): boolean {
  return r.paper_sha256 !== null || r.applicant_number === null;
}

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

  /**
   * The requests that need the operator, by the work list's rule (needsAttention in
   * src-renderer/screens/queue/worklist-model.ts): flagged with an attention code, whatever their
   * status, or needs_attention unless refused at sending with that refusal (the latest) settled
   * (see SETTLED): its paper handed over, it leaves the operator nothing to do.
   */
  needingAttention(): number {
    return (
      prep(
        this.db,
        `SELECT (SELECT COUNT(*) FROM requests WHERE attention_code IS NOT NULL)
              + (SELECT COUNT(*) FROM requests r WHERE r.status = 'needs_attention' AND r.attention_code IS NULL
                   AND NOT (r.last_error = 'APPLICANT_NOT_FOUND' AND IFNULL((SELECT stage = 'sending' AND ${SETTLED} FROM counter_refusals
                     WHERE request_id = r.id ORDER BY at DESC LIMIT 1), 0))) AS n`,
      ).get() as { n: number }
    ).n;
  }

  /** The paper last printed; returns the one it replaces (a reprint), whose file nothing refers to any more. */
  setPaper(id: string, sha256: string): string | null {
    const before = (prep(this.db, 'SELECT paper_sha256 FROM counter_refusals WHERE id = ?').get(id) as { paper_sha256: string | null } | undefined)?.paper_sha256 ?? null;
    prep(this.db, 'UPDATE counter_refusals SET paper_sha256 = ? WHERE id = ?').run(sha256, id);
    return before !== null && before !== sha256 ? before : null;
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

  /**
   * Retention: refusals older than the cutoff forget the applicant's number and their printed
   * paper (it names the number); the record and its ground stay for the counts. Returns the
   * refusals changed and the papers' hashes, for the caller to queue for deletion in the same
   * transaction.
   */
  /** How many refusals older than the cutoff still hold a number or a paper (a dry run's count). */
  toForgetBefore(cutoff: string): number {
    return (prep(this.db, `SELECT COUNT(*) AS n FROM counter_refusals WHERE at < ? AND ${HOLDS_PERSONAL}`).get(cutoff) as { n: number }).n;
  }

  forgetBefore(cutoff: string): { ids: string[]; papers: string[] } {
    const rows = prep(this.db, `SELECT id, paper_sha256 FROM counter_refusals WHERE at < ? AND ${HOLDS_PERSONAL}`).all(cutoff) as {
      id: string;
      paper_sha256: string | null;
    }[];
    prep(this.db, `UPDATE counter_refusals SET applicant_number = NULL, paper_sha256 = NULL WHERE at < ? AND ${HOLDS_PERSONAL}`).run(cutoff);
    return { ids: rows.map((r) => r.id), papers: [...new Set(rows.flatMap((r) => (r.paper_sha256 ? [r.paper_sha256] : [])))] };
  }
}
