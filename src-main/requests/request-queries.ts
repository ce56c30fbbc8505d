/**
 * The reading side of the request service: one request (row, detail, pages, representative,
 * submission), the queue's search and counts, and the change listeners. RequestService adds every
 * change to it.
 */
import { AppError } from '../contract/errors.js';
import type { IdnKind } from '../contract/idn.js';
import type { DocumentSlot, Page, RecordedRepresentative, RequestDetail, RequestStatus, RequestSummary } from '../contract/model.js';
import type { Catalog } from '../catalog/catalog.js';
import { AuditLog } from '../audit/audit-log.js';
import type { Db } from '../db/database.js';
import { Repos } from '../db/repos/index.js';
import type { CurrentSubmission } from '../db/repos/outbox.js';
import type { ContentStore } from '../files/content-store.js';
import type { Logger } from '../host/logger-types.js';
import { rowToApplicant, type ApplicantService } from '../applicant/applicant-service.js';
import { maskIdn, pageFromRow, type ChangeListener, type RequestFilter, type RequestRow, type RequestServiceOptions } from './request-types.js';

export class RequestQueries {
  private readonly listeners = new Set<ChangeListener>();
  readonly audit: AuditLog;
  /** The tables' owners (src-main/db/repos): the sync stages and the request side share them. */
  readonly repos: Repos;

  constructor(
    readonly db: Db,
    protected readonly catalog: Catalog,
    protected readonly applicants: ApplicantService,
    readonly files: ContentStore,
    protected readonly log: Logger,
    protected readonly opts: RequestServiceOptions,
  ) {
    this.audit = new AuditLog(db, opts.now);
    this.repos = new Repos(db, opts.now);
  }

  onChange(l: ChangeListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  notify(id: string): void {
    const r = this.row(id);
    for (const l of this.listeners) {
      l({ id: r.id, localNumber: r.local_number, status: r.status, registrationNumber: r.registration_number });
    }
  }

  /** The name of the operator who accepted the request (printed on its papers). */
  operatorName(requestId: string): string {
    const name = this.repos.requests.operatorName(requestId);
    if (name === undefined) throw new AppError('NOT_FOUND');
    return name;
  }

  pageContent(pageId: string): { sha256: string; mediaType: string; requestId: string } {
    const row = this.repos.documents.pageContent(pageId);
    if (!row) throw new AppError('NOT_FOUND');
    return { sha256: row.sha256, mediaType: row.media_type, requestId: row.request_id };
  }

  row(id: string): RequestRow {
    const r = this.repos.requests.get(id);
    if (!r) throw new AppError('NOT_FOUND');
    return r;
  }

  list(status: RequestStatus | null, limit: number): RequestSummary[] {
    return this.search({ status, limit });
  }

  /** Newest first. Each filter uses an index (see docs/storage.md); the applicant by its keyed hash. */
  search(f: RequestFilter): RequestSummary[] {
    const rows = this.repos.requests.search({
      status: f.status,
      localNumberPrefix: f.localNumber,
      registrationNumber: f.registrationNumber,
      applicantHash: f.applicant ? this.repos.applicants.hash(f.applicant.kind, f.applicant.number) : null,
      createdFrom: f.createdFrom,
      createdTo: f.createdTo,
      limit: Math.min(Math.max(f.limit ?? 50, 1), 500),
    });
    return rows.map((r) => this.summary(r, r.kind, r.number));
  }

  pages(requestId: string): (Page & { slotId: string })[] {
    return this.repos.documents.pages(requestId).map(pageFromRow);
  }

  representative(requestId: string): RecordedRepresentative | null {
    const rep = this.repos.representatives.get(requestId);
    return rep
      ? { iin: rep.iin, name: rep.name, powerOfAttorney: { number: rep.poa_number, date: rep.poa_date, notary: rep.poa_notary }, verified: rep.verified === 1, exception: rep.poa_exception }
      : null;
  }

  detail(id: string): RequestDetail {
    const r = this.row(id);
    const applicant = rowToApplicant(this.repos.applicants.byId(r.applicant_id)!);
    const service = this.catalog.get(r.service_id);
    const pages = this.pages(id);
    const slots = this.repos.documents.slots(id).map(
      (s): DocumentSlot => ({
        slotId: s.slot_id,
        name: service.documents.find((d) => d.id === s.slot_id)?.name ?? { kk: s.slot_id, ru: s.slot_id, en: s.slot_id },
        required: s.required === 1,
        presented: s.presented === 1,
        original: s.original === 1,
        expired: s.expired === 1,
        pages: pages.filter((p) => p.slotId === s.slot_id),
      }),
    );
    const sig = this.repos.signatures.current(id);
    const signer = sig ? (JSON.parse(sig.signer_json) as { name: string; serial: string; notAfter: string; algorithm: string }) : null;
    return {
      ...this.summary(r, applicant.kind, applicant.number),
      applicantLanguage: r.applicant_language,
      applicant,
      representative: this.representative(id),
      slots,
      signature:
        sig && signer
          ? {
              signedAt: sig.signed_at,
              signerName: signer.name,
              certificateSerial: signer.serial,
              certificateNotAfter: signer.notAfter,
              algorithm: signer.algorithm,
              manifestSha256: sig.manifest_sha256,
            }
          : null,
      history: this.repos.history.forRequest(id),
    };
  }

  /** What is missing before the request can be signed: required slots not presented or without pages. */
  missingDocuments(id: string): string[] {
    return this.repos.documents.missingSlots(id);
  }

  /** Requests per status (kept by triggers: one small read, whatever the number of requests). */
  statusCounts(): Record<RequestStatus, number> {
    return this.repos.requests.statusCounts();
  }

  /** The request's current (not superseded) submit entry in the outbox. */
  currentSubmission(requestId: string): CurrentSubmission | null {
    return this.repos.outbox.currentSubmission(requestId);
  }

  protected summary(r: RequestRow, kind: IdnKind, number: string | null): RequestSummary {
    return {
      id: r.id,
      localNumber: r.local_number,
      serviceId: r.service_id,
      subServiceId: r.sub_service_id,
      status: r.status,
      registrationNumber: r.registration_number,
      applicantKind: kind,
      applicantNumberMasked: maskIdn(number),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      lastError: r.last_error,
      attention: r.attention_code,
    };
  }
}
