/**
 * Reads of personal data written to the audit trail: who (the operator's id), what (the kind of
 * read, the request, the applicant's id: never an IIN or a name), when. The trail lives in the
 * encrypted database and is hash-chained (audit-log.ts), so these entries are protected at rest
 * like everything else and cannot be edited unseen.
 *
 *   read.applicant  the applicant looked up (P3: the registry, or the local copy)
 *   read.search     a search of requests: every applicant whose request it listed
 *   read.pages      a request's scanned pages opened
 *   read.paper      a request's paper (receipt, refusal notice) made again to be shown or printed
 *   read.result     the provider's result (its PDF) opened
 *
 * One entry per operator, kind of read, request and applicant within `windowMs` (10 minutes):
 * paging through a request's scans is one read, not one per thumbnail, and a busy counter does not
 * fill the trail. The supervisor lists them per applicant (audit.reads).
 */
import type { AuditData, AuditEntry, AuditLog } from './audit-log.js';

export type ReadKind = 'read.applicant' | 'read.search' | 'read.pages' | 'read.paper' | 'read.result';

export interface ReadEvent {
  /** The request read, if any. */
  requestId?: string | null;
  /** The applicant whose data was read (their id in the database), if one. */
  applicant?: string | null;
  /** Several applicants (a search's results). */
  applicants?: string[];
  /** What else is worth knowing, non-personal (the paper's kind, how many results). */
  data?: AuditData;
}

const WINDOW_MS = 10 * 60 * 1000;
const MAX_REMEMBERED = 5000;

export class ReadAudit {
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly audit: AuditLog,
    private readonly now: () => Date,
    private readonly windowMs = WINDOW_MS,
  ) {}

  record(actorId: string, kind: ReadKind, e: ReadEvent): void {
    const applicants = [...new Set(e.applicants ?? [])].sort();
    const key = [actorId, kind, e.requestId ?? '', e.applicant ?? '', applicants.join(',')].join('|');
    const t = this.now().getTime();
    const last = this.recent.get(key);
    if (last !== undefined && t - last < this.windowMs) return;
    if (this.recent.size >= MAX_REMEMBERED) this.recent.clear();
    this.recent.set(key, t);
    const data: AuditData = { ...(e.data ?? {}) };
    if (e.applicant) data.applicant = e.applicant;
    if (applicants.length) data.applicants = applicants;
    this.audit.append({ actor: actorId, action: kind, subject: e.requestId ?? null, data });
  }

  /** The reads of one applicant's data, newest first. */
  of(applicantId: string, limit = 500): AuditEntry[] {
    return this.audit.readsOf(applicantId, limit);
  }
}
