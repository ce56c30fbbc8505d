/**
 * The `requests` table (and its helpers `counters`, the local-number sequences, and
 * `request_status_counts`, kept by triggers). Reads `applicants` (the summary's masked number, the
 * search by keyed hash), `operators` (the accepting operator's name) and `pages`, `status_history`
 * (declared in test/unit/db/table-owners.test.ts); writes nothing else.
 *
 * Every method runs inside the caller's transaction when there is one; none opens its own.
 */
import type { IdnKind } from '../../contract/idn.js';
import type { RequestStatus } from '../../contract/model.js';
import { prep, type Db } from '../database.js';

export interface RequestRow {
  id: string;
  local_number: string;
  service_id: string;
  sub_service_id: string | null;
  applicant_id: string;
  operator_id: string;
  status: RequestStatus;
  registration_number: string | null;
  form_json: string;
  last_error: string | null;
  attention_code: string | null;
  /** The applicant's language for the papers handed over (migration 012). */
  applicant_language: 'kk' | 'ru';
  created_at: string;
  updated_at: string;
  /** Its chain of step events (migration 016): StepChain's head, kinds and opened. */
  step_head: number | null;
  step_kinds: number;
  step_opened: number | null;
}

/** A request's chain of step events (migration 016): its latest event, and the counted kinds it has had (a bit each). */
export interface StepChain {
  head: number | null;
  kinds: number;
  /** Its latest opening (service_chosen or reopened): where P5 starts. */
  opened: number | null;
}

/** A request with its applicant's kind and number (for summaries). */
/** Whose a request is: its service and the operator who accepts it (neither changes with its status). */
export type RequestOwner = Pick<RequestRow, 'service_id' | 'operator_id'>;

export type SummaryRow = RequestRow & { kind: IdnKind; number: string | null };

/** The statuses in which a request's result deadline runs (accepted, not decided). */
/**
 * The open requests (their result deadline runs): the condition of the partial index requests_due
 * (migration 017), which a query must repeat, as it is, for SQLite to use the index. Its queries
 * name the index (INDEXED BY): SQLite refuses to prepare one whose condition no longer matches,
 * and the planner cannot take the status index and sort instead.
 */
export const OPEN_STATUS = "(status = 'queued' OR status = 'sent' OR status = 'registered' OR status = 'under_review' OR status = 'needs_attention')";

/** An open request with its result's due date. */
export interface DueRow {
  id: string;
  local_number: string;
  service_id: string;
  sub_service_id: string | null;
  status: RequestStatus;
  due_date: string;
}

/** A registered request the engine asks the backend about. */
export interface PolledRow {
  id: string;
  status: RequestStatus;
  registration_number: string;
}

/** The search, already resolved to columns (the applicant by its keyed hash). */
export interface RequestQuery {
  status?: RequestStatus | null;
  localNumberPrefix?: string | null;
  registrationNumber?: string | null;
  applicantHash?: string | null;
  createdFrom?: string | null;
  createdTo?: string | null;
  limit: number;
}

const SUMMARY_COLUMNS = `r.id, r.local_number, r.service_id, r.sub_service_id, r.applicant_id, r.operator_id, r.status,
  r.registration_number, r.form_json, r.last_error, r.attention_code, r.applicant_language, r.created_at, r.updated_at, a.kind, a.number`;

export class RequestsRepo {
  constructor(private readonly db: Db) {}

  insert(r: { id: string; localNumber: string; serviceId: string; subServiceId: string | null; applicantId: string; operatorId: string; at: string; applicantLanguage?: 'kk' | 'ru' }): void {
    prep(
      this.db,
      `INSERT INTO requests (id, local_number, service_id, sub_service_id, applicant_id, operator_id, status, created_at, updated_at, applicant_language)
       VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?)`,
    ).run(r.id, r.localNumber, r.serviceId, r.subServiceId, r.applicantId, r.operatorId, r.at, r.at, r.applicantLanguage ?? 'kk');
  }

  /**
   * The request's latest step event (the head of its chain of events, migration 016) and which of
   * the kinds counted once per request it has had (a bit each: step-rollups.ts COUNTED_KIND_BIT).
   */
  stepHead(id: string): StepChain | undefined {
    return this.transitionState(id)?.chain;
  }

  /** Moves the head of the request's chain of step events (in the transaction writing the event). */
  setStepHead(id: string, chain: StepChain): void {
    prep(this.db, 'UPDATE requests SET step_head = ?, step_kinds = ?, step_opened = ? WHERE id = ?').run(chain.head, chain.kinds, chain.opened, id);
  }

  /** What a status change's step event is written from, before the change: the status, the service, its chain. */
  transitionState(id: string): { status: RequestStatus; service_id: string; chain: StepChain } | undefined {
    const r = prep(this.db, 'SELECT status, service_id, step_head, step_kinds, step_opened FROM requests WHERE id = ?').raw().get(id) as
      | [RequestStatus, string, number | null, number, number | null]
      | undefined;
    return r && { status: r[0], service_id: r[1], chain: { head: r[2], kinds: r[3], opened: r[4] } };
  }

  /** The applicant's language for the papers; false if there is no such request. */
  setApplicantLanguage(id: string, language: 'kk' | 'ru', at: string): boolean {
    return prep(this.db, 'UPDATE requests SET applicant_language = ?, updated_at = ? WHERE id = ?').run(language, at, id).changes === 1;
  }

  get(id: string): RequestRow | undefined {
    return prep(this.db, 'SELECT * FROM requests WHERE id = ?').get(id) as RequestRow | undefined;
  }

  /** The next number of a named sequence (the local request numbers, one per year). */
  nextInSequence(name: string): number {
    prep(this.db, 'INSERT INTO counters (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING').run(name);
    prep(this.db, 'UPDATE counters SET value = value + 1 WHERE name = ?').run(name);
    return (prep(this.db, 'SELECT value FROM counters WHERE name = ?').get(name) as { value: number }).value;
  }

  /** The name of the operator who accepted the request. */
  operatorName(id: string): string | undefined {
    return (prep(this.db, 'SELECT o.full_name AS name FROM requests r JOIN operators o ON o.id = r.operator_id WHERE r.id = ?').get(id) as { name: string } | undefined)
      ?.name;
  }

  applicantVerified(id: string): boolean {
    return (prep(this.db, 'SELECT a.verified FROM applicants a JOIN requests r ON r.applicant_id = a.id WHERE r.id = ?').get(id) as { verified: number }).verified === 1;
  }

  touch(id: string, at: string): void {
    prep(this.db, 'UPDATE requests SET updated_at = ? WHERE id = ?').run(at, id);
  }

  /**
   * The guarded status change (only from `from`): false when the request was not in `from`. With
   * `chain`, the change's step event was written first (reports/step-log.ts) on the chain whose
   * head was `chain.before`: the chain moves with the status, in the one write of its row, and
   * only from that head (a chain read before another event of the request is refused, as a
   * status read before another change is).
   */
  updateStatus(id: string, from: RequestStatus, to: RequestStatus, lastError: string | null, at: string, chain?: { before: number | null; after: StepChain }): boolean {
    if (chain) {
      const { after } = chain;
      return (
        prep(this.db, 'UPDATE requests SET status = ?, last_error = ?, updated_at = ?, step_head = ?, step_kinds = ?, step_opened = ? WHERE id = ? AND status = ? AND step_head IS ?').run(
          to,
          lastError,
          at,
          after.head,
          after.kinds,
          after.opened,
          id,
          from,
          chain.before,
        ).changes > 0
      );
    }
    return prep(this.db, 'UPDATE requests SET status = ?, last_error = ?, updated_at = ? WHERE id = ? AND status = ?').run(to, lastError, at, id, from).changes > 0;
  }

  /** Newest first; every filter is served by an index (docs/storage.md). */
  search(q: RequestQuery): SummaryRow[] {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (q.status) add('r.status = ?', q.status);
    if (q.localNumberPrefix) add('r.local_number >= ? AND r.local_number < ?', q.localNumberPrefix, `${q.localNumberPrefix}\uffff`);
    if (q.registrationNumber) add('r.registration_number = ?', q.registrationNumber);
    if (q.applicantHash) add('r.applicant_id = (SELECT id FROM applicants WHERE number_hash = ?)', q.applicantHash);
    if (q.createdFrom) add('r.created_at >= ?', q.createdFrom);
    if (q.createdTo) add('r.created_at < ?', q.createdTo);
    params.push(q.limit);
    return prep(
      this.db,
      `SELECT ${SUMMARY_COLUMNS} FROM requests r JOIN applicants a ON a.id = r.applicant_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.created_at DESC LIMIT ?`,
    ).all(...params) as SummaryRow[];
  }

  /** Requests per status (kept by triggers: one small read, whatever the number of requests). */
  statusCounts(): Record<RequestStatus, number> {
    const out = {} as Record<RequestStatus, number>;
    for (const r of prep(this.db, 'SELECT status, n FROM request_status_counts WHERE n > 0').all() as { status: RequestStatus; n: number }[]) out[r.status] = r.n;
    return out;
  }

  // ------------------------------------------------------------------ the backend's side

  recordRegistration(id: string, registrationNumber: string, registeredAt: string, checkedAt: string): void {
    prep(this.db, `UPDATE requests SET registration_number = ?, registered_at = ?, backend_status = 'registered', backend_checked_at = ? WHERE id = ?`).run(
      registrationNumber,
      registeredAt,
      checkedAt,
      id,
    );
  }

  setBackendStatus(id: string, backendStatus: string, checkedAt: string): void {
    prep(this.db, 'UPDATE requests SET backend_status = ?, backend_checked_at = ? WHERE id = ?').run(backendStatus, checkedAt, id);
  }

  /** Registered requests waiting for the provider's decision. */
  awaitingDecision(): PolledRow[] {
    return prep(
      this.db,
      `SELECT id, status, registration_number FROM requests WHERE status IN ('registered', 'under_review') AND registration_number IS NOT NULL`,
    ).all() as PolledRow[];
  }

  /** Registered requests that need attention for one of `codes`. */
  registeredNeedingAttention(codes: readonly string[]): PolledRow[] {
    return prep(
      this.db,
      `SELECT id, status, registration_number FROM requests WHERE status = 'needs_attention' AND registration_number IS NOT NULL AND last_error IN (${codes.map(() => '?').join(', ')})`,
    ).all(...codes) as PolledRow[];
  }

  // ------------------------------------------------------------------ attention flags (outside the lifecycle)

  /** Sets the attention flag; false when it already had this code. */
  flag(id: string, code: string, at: string): boolean {
    return prep(this.db, 'UPDATE requests SET attention_code = ?, attention_at = ? WHERE id = ? AND attention_code IS NOT ?').run(code, at, id, code).changes > 0;
  }

  /** Clears the flag `code` of requests none of whose pages is missing any more. */
  clearFlagWhereNoPageMissing(code: string): void {
    prep(
      this.db,
      `UPDATE requests SET attention_code = NULL, attention_at = NULL WHERE attention_code = ?
         AND NOT EXISTS (SELECT 1 FROM pages WHERE pages.request_id = requests.id AND pages.missing_since IS NOT NULL)`,
    ).run(code);
  }

  // ------------------------------------------------------------------ retention

  /** Ended (issued, cancelled) and not purged, the end no later than `cutoff`, oldest first. */
  purgeCandidates(cutoff: string): string[] {
    return (
      prep(
        this.db,
        `SELECT r.id FROM requests r
         WHERE r.status IN ('issued', 'cancelled') AND r.purged_at IS NULL
           AND (SELECT MAX(h.at) FROM status_history h WHERE h.request_id = r.id AND h.to_status = r.status) <= ?
         ORDER BY r.created_at`,
      ).all(cutoff) as { id: string }[]
    ).map((r) => r.id);
  }

  purge(id: string, at: string): void {
    prep(this.db, `UPDATE requests SET form_json = '{}', last_error = NULL, purged_at = ? WHERE id = ?`).run(at, id);
  }

  /** Requests of this applicant not purged yet. */
  liveOfApplicant(applicantId: string): number {
    return (prep(this.db, 'SELECT COUNT(*) AS n FROM requests WHERE applicant_id = ? AND purged_at IS NULL').get(applicantId) as { n: number }).n;
  }
  // ------------------------------------------------------------------ the result's due date (dashboard)

  /** Stores the result's due date (Almaty date; '' when no deadline rule applies), set when the request is accepted and when it is registered. */
  setDueDate(id: string, dueDate: string | null): void {
    prep(this.db, 'UPDATE requests SET due_date = ? WHERE id = ?').run(dueDate, id);
  }

  dueDate(id: string): string | null {
    return (prep(this.db, 'SELECT due_date FROM requests WHERE id = ?').get(id) as { due_date: string | null } | undefined)?.due_date ?? null;
  }

  /**
   * Open requests (their result deadline runs) due on or before `through`, soonest first, from
   * `offset`, at most `limit`, and how many there are: a range of the partial index requests_due
   * (whose WHERE this query repeats).
   */
  dueBy(through: string, serviceId: string | null, limit: number, offset: number): { rows: DueRow[]; total: number } {
    const where = `${OPEN_STATUS} AND due_date > '' AND due_date <= ? AND (? IS NULL OR service_id = ?)`;
    const rows = prep(this.db, `SELECT id, local_number, service_id, sub_service_id, status, due_date FROM requests INDEXED BY requests_due WHERE ${where} ORDER BY due_date, id LIMIT ? OFFSET ?`).all(
      through,
      serviceId,
      serviceId,
      limit,
      offset,
    ) as DueRow[];
    const total = (prep(this.db, `SELECT COUNT(*) AS n FROM requests INDEXED BY requests_due WHERE ${where}`).get(through, serviceId, serviceId) as { n: number }).n;
    return { rows, total };
  }

  /** Open requests without a stored due date (accepted before it was stored), with their acceptance and registration. */
  undated(limit: number): { id: string; service_id: string; sub_service_id: string | null; accepted_at: string | null; registered_at: string | null }[] {
    return prep(
      this.db,
      `SELECT id, service_id, sub_service_id,
         (SELECT MIN(h.at) FROM status_history h WHERE h.request_id = requests.id AND h.to_status = 'queued') AS accepted_at,
         (SELECT MIN(h.at) FROM status_history h WHERE h.request_id = requests.id AND h.to_status = 'registered') AS registered_at
       FROM requests INDEXED BY requests_due WHERE ${OPEN_STATUS} AND due_date IS NULL LIMIT ?`,
    ).all(limit) as never;
  }

  /** Requests queued or sent (not registered yet) since before `before`, longest first, at most `limit`, and how many. */
  waitingSince(before: string, serviceId: string | null, limit: number): { rows: { id: string; local_number: string; service_id: string; queued_at: string }[]; total: number } {
    const all = prep(
      this.db,
      `SELECT id, local_number, service_id, queued_at FROM (
         SELECT r.id, r.local_number, r.service_id,
           (SELECT MAX(h.at) FROM status_history h WHERE h.request_id = r.id AND h.to_status = 'queued') AS queued_at
         FROM requests r WHERE r.status IN ('queued', 'sent') AND (? IS NULL OR r.service_id = ?))
       WHERE queued_at < ? ORDER BY queued_at`,
    ).all(serviceId, serviceId, before) as { id: string; local_number: string; service_id: string; queued_at: string }[];
    return { rows: all.slice(0, limit), total: all.length };
  }
}
