/**
 * Requests: open, mark documents, attach and arrange pages, name a representative, sign and queue,
 * re-open, cancel, issue. Every change is one write transaction (BEGIN IMMEDIATE) that also writes
 * the status history and the audit trail; files are on disk (fsync'd) before the row that points
 * at them commits; a signed request is never edited.
 */
import { existsSync } from 'node:fs';
import { AppError } from '../contract/errors.js';
import { kazakhstanToday, type IdnKind } from '../contract/idn.js';
import { EDITABLE } from '../contract/lifecycle.js';
import { checklistOf } from '../contract/rules.js';
import type { Representative, RequestDetail, RequestStatus } from '../contract/model.js';
import { writeTx } from '../db/database.js';
import { newId } from '../db/ids.js';
import type { PageRow } from '../db/repos/documents.js';
import { recordHistory } from '../db/repos/transitions.js';
import { assertValidIdn } from '../applicant/applicant-service.js';
import { RequestLifecycle } from './request-lifecycle.js';
import type { Actor, NewPage, RequestRow, Rotation, StoredPage } from './request-types.js';

export * from './request-types.js';

export class RequestService extends RequestLifecycle {
  create(
    actor: Actor,
    input: { serviceId: string; subServiceId: string | null; applicant: { kind: IdnKind; number: string; manualName: string | null }; applicantLanguage?: 'kk' | 'ru' },
  ): RequestDetail {
    const { service, subServiceId } = this.catalog.acceptable(input.serviceId, input.subServiceId, kazakhstanToday(this.opts.now()));
    const { kind, number, manualName } = input.applicant;
    if (!service.applicantKinds.includes(kind)) throw new AppError('CATALOG_APPLICANT_KIND', { kind });
    const id = newId();
    const now = this.opts.now();
    const at = now.toISOString();
    let verified = false;
    // The hand-typed applicant and the request commit together (or not at all).
    writeTx(this.db, () => {
      let applicant = this.applicants.get(kind, number);
      if (!applicant?.verified) {
        if (!manualName) throw new AppError('APPLICANT_NOT_LOOKED_UP');
        applicant = this.applicants.recordManual(kind, number, manualName);
      }
      if (applicant.registryStatus === 'deceased' || applicant.registryStatus === 'liquidated') {
        throw new AppError('APPLICANT_INACTIVE', { status: applicant.registryStatus });
      }
      verified = applicant.verified;
      const applicantId = this.applicants.idOf(kind, number)!;
      const localNumber = this.nextLocalNumber(now);
      this.repos.requests.insert({ id, localNumber, serviceId: service.id, subServiceId, applicantId, operatorId: actor.id, at, applicantLanguage: input.applicantLanguage ?? 'kk' });
      this.audit.append({
        actor: actor.id,
        action: 'request.created',
        subject: id,
        data: { serviceId: service.id, subServiceId, localNumber, applicantKind: kind, applicantVerified: verified },
        personal: { applicant: `${kind}:${number}` },
      });
      recordHistory(this.db, this.audit, id, null, 'draft', actor.id, at);
      this.opts.steps?.onTransition({ requestId: id, serviceId: service.id, from: null, to: 'draft', actor: actor.id });
      this.repos.documents.insertSlots(id, checklistOf(service, subServiceId));
      this.setStatus(id, 'draft', verified ? 'applicant_verified' : 'applicant_unverified', actor.id);
    });
    this.log.info({ requestId: id, serviceId: service.id, verified }, 'request created');
    this.notify(id);
    return this.detail(id);
  }

  setDocument(actor: Actor, requestId: string, slotId: string, presented: boolean, original: boolean, expired?: boolean): RequestDetail {
    return this.change(requestId, () => {
      const r = this.editable(requestId);
      if (!this.repos.documents.setSlot(requestId, slotId, presented, original)) throw new AppError('REQUEST_UNKNOWN_SLOT');
      if (expired !== undefined) this.repos.documents.setExpired(requestId, slotId, expired);
      this.touch(requestId);
      this.recomputeCompleteness(r, actor.id);
    });
  }

  /**
   * Stores the page file durably, then records it; only then is it visible. The file's presence is
   * checked again inside the write transaction, which excludes retention's file removal: a file
   * removed in between (same content, deleted by a purge) is written again.
   */
  async addPage(actor: Actor, requestId: string, slotId: string, page: NewPage): Promise<RequestDetail> {
    this.editable(requestId);
    this.slotExists(requestId, slotId);
    for (let attempt = 0; attempt < 3; attempt++) {
      const stored = await this.files.put(page.bytes);
      if (this.tryRecordPage(actor, requestId, slotId, { ...page, sha256: stored.sha256, size: stored.size })) return this.detail(requestId);
    }
    throw new AppError('STORAGE_FILE_MISSING');
  }

  /**
   * Records a page whose file is already in the content store (the scanner and the importer
   * store it themselves), in one transaction that also updates the request's completeness and
   * writes the audit entry. Refused when the request can no longer change (signed in the
   * meantime), and with STORAGE_FILE_MISSING when the file is not (or no longer) there.
   */
  recordStoredPage(actor: Actor, requestId: string, slotId: string, page: StoredPage): void {
    if (!this.tryRecordPage(actor, requestId, slotId, page)) throw new AppError('STORAGE_FILE_MISSING');
  }

  /** false when the page's file is missing (checked inside the write transaction, see addPage). */
  private tryRecordPage(actor: Actor, requestId: string, slotId: string, page: StoredPage): boolean {
    const done = writeTx(this.db, () => {
      if (!existsSync(this.files.pathOf(page.sha256))) return false;
      const r = this.editable(requestId);
      this.slotExists(requestId, slotId);
      const position = this.repos.documents.nextPosition(requestId, slotId);
      const pageId = page.id ?? newId();
      this.repos.documents.insertPage({ ...page, id: pageId, requestId, slotId, position, at: this.opts.now().toISOString() });
      this.repos.files.keep(page.sha256);
      this.audit.append({ actor: actor.id, action: 'pages.added', subject: requestId, data: { pageId, slotId, sha256: page.sha256, size: page.size, source: page.source } });
      this.touch(requestId);
      this.recomputeCompleteness(r, actor.id);
      return true;
    });
    if (done) {
      this.log.info({ requestId, slotId, sha256: page.sha256.slice(0, 12), size: page.size, source: page.source }, 'page attached');
      this.notify(requestId);
    }
    return done;
  }

  /** Removes a page before signing. Its file stays until retention finds it unreferenced. */
  deletePage(actor: Actor, requestId: string, pageId: string): RequestDetail {
    return this.change(requestId, () => {
      const r = this.editable(requestId);
      const p = this.pageRow(requestId, pageId);
      this.repos.documents.deletePage({ id: pageId, requestId, slotId: p.slot_id, position: p.position });
      this.repos.files.release(p.sha256, this.opts.now().toISOString());
      this.audit.append({ actor: actor.id, action: 'pages.deleted', subject: requestId, data: { pageId, slotId: p.slot_id, sha256: p.sha256 } });
      this.touch(requestId);
      this.recomputeCompleteness(r, actor.id);
    });
  }

  /** Puts a slot's pages in the given order: `pageIds` must list each of the slot's pages once. */
  reorderPages(actor: Actor, requestId: string, slotId: string, pageIds: readonly string[]): RequestDetail {
    return this.change(requestId, () => {
      this.editable(requestId);
      this.slotExists(requestId, slotId);
      const current = this.repos.documents.pageIds(requestId, slotId);
      const wanted = new Set(pageIds);
      if (wanted.size !== pageIds.length || wanted.size !== current.length || !current.every((id) => wanted.has(id))) {
        throw new AppError('REQUEST_PAGE_ORDER');
      }
      this.repos.documents.setPositions(pageIds);
      this.audit.append({ actor: actor.id, action: 'pages.reordered', subject: requestId, data: { slotId, pages: [...pageIds] } });
      this.touch(requestId);
    });
  }

  /** Sets a page's rotation (degrees clockwise, applied when shown and when the PDF is assembled). */
  rotatePage(actor: Actor, requestId: string, pageId: string, rotation: Rotation): RequestDetail {
    return this.change(requestId, () => {
      this.editable(requestId);
      this.pageRow(requestId, pageId);
      this.repos.documents.setRotation(pageId, rotation);
      this.audit.append({ actor: actor.id, action: 'pages.rotated', subject: requestId, data: { pageId, rotation } });
      this.touch(requestId);
    });
  }

  /** Names (or, with null, removes) the representative acting under a power of attorney. */
  setRepresentative(actor: Actor, requestId: string, rep: Representative | null): RequestDetail {
    if (rep) {
      assertValidIdn('iin', rep.iin, this.opts.now());
      const date = Date.parse(`${rep.powerOfAttorney.date}T00:00:00Z`);
      if (Number.isNaN(date)) throw new AppError('REQUEST_REPRESENTATIVE_INVALID', { field: 'powerOfAttorney.date' });
      if (date > this.opts.now().getTime()) throw new AppError('REQUEST_REPRESENTATIVE_INVALID', { field: 'powerOfAttorney.date' });
    }
    return this.change(requestId, () => {
      const r = this.editable(requestId);
      if (rep) {
        if (this.repos.applicants.byId(r.applicant_id)?.number === rep.iin) throw new AppError('REQUEST_REPRESENTATIVE_INVALID', { field: 'iin' });
        this.repos.representatives.upsert(requestId, rep, this.opts.now().toISOString());
      } else {
        this.repos.representatives.delete(requestId);
      }
      this.audit.append({
        actor: actor.id,
        action: 'request.representative',
        subject: requestId,
        data: { set: rep !== null },
        personal: rep ? { representative: rep.iin, powerOfAttorney: rep.powerOfAttorney.number } : null,
      });
      this.touch(requestId);
    });
  }

  /** The language of the papers handed to the applicant: not part of what is signed, so at any status. */
  setApplicantLanguage(requestId: string, language: 'kk' | 'ru'): RequestDetail {
    return this.change(requestId, () => {
      this.row(requestId);
      this.repos.requests.setApplicantLanguage(requestId, language, this.opts.now().toISOString());
    });
  }

  /**
   * Cancels a request before it is signed (a re-opened request is unsigned again). With a ground,
   * the cancellation is a refusal to accept the documents (CounterRefusals.refuse).
   */
  cancel(actor: Actor, requestId: string, refusal: 'incomplete' | 'expired' | null = null): RequestDetail {
    return this.change(requestId, () => {
      const r = this.editable(requestId);
      this.setStatus(requestId, r.status, 'cancelled', actor.id, null, refusal);
    });
  }

  /**
   * needs_attention → editable again, so the operator can fix the request and sign it anew.
   *
   * Exactly once: the backend registers a submission once per idempotency key, and a new
   * signature gets a new key. So a request may be re-opened only when its current submission can
   * never be registered: it was never put on the wire (`submitted_at` is null), or the backend
   * answered it with a definitive refusal (`outcome = 'rejected'`). When it went out and no
   * answer came back, the backend may hold it: re-opening is refused (REQUEST_OUTCOME_UNKNOWN) and
   * the operator sends it again with the same key (`requeue`), which either registers it or
   * returns the definitive answer. The old signature and outbox entry are kept, marked superseded.
   */
  reopen(actor: Actor, requestId: string): RequestDetail {
    return this.change(requestId, () => {
      const r = this.row(requestId);
      if (r.status !== 'needs_attention') throw new AppError('REQUEST_STATE', { status: r.status });
      const at = this.opts.now().toISOString();
      const entry = this.currentSubmission(requestId);
      if (entry) {
        if (entry.outcome === 'accepted') throw new AppError('REQUEST_STATE', { status: r.status });
        if (entry.submitted_at !== null && entry.outcome !== 'rejected') throw new AppError('REQUEST_OUTCOME_UNKNOWN');
        this.repos.outbox.supersede(entry.id, at);
      }
      const superseded = this.repos.signatures.supersede(requestId, at, 'reopened');
      this.audit.append({
        actor: actor.id,
        action: 'request.reopened',
        subject: requestId,
        data: { outboxEntry: entry?.id ?? null, neverSent: entry ? entry.submitted_at === null : true, signaturesSuperseded: superseded },
      });
      this.setStatus(requestId, 'needs_attention', this.editableStatusFor(requestId), actor.id);
    });
  }

  /** needs_attention → queued: send the same submission again, with the same idempotency key. */
  requeue(actor: Actor, requestId: string): RequestDetail {
    return this.change(requestId, () => {
      const r = this.row(requestId);
      const entry = this.currentSubmission(requestId);
      if (r.status !== 'needs_attention' || !entry || entry.outcome !== null) throw new AppError('REQUEST_STATE', { status: r.status });
      this.repos.outbox.requeue(entry.id, this.opts.now().toISOString());
      this.setStatus(requestId, 'needs_attention', 'queued', actor.id);
    });
  }

  /**
   * P9: the result (or the refusal) is handed to the applicant. Records the issuance and queues
   * the acknowledgement for the backend (its own outbox entry and key).
   */
  issue(actor: Actor, requestId: string, recipient: 'applicant' | 'representative'): RequestDetail {
    return this.change(requestId, () => {
      const r = this.row(requestId);
      if (r.status !== 'result_ready' && r.status !== 'refused') throw new AppError('REQUEST_STATE', { status: r.status });
      const at = this.opts.now().toISOString();
      const outboxId = this.repos.outbox.insertIssuanceAck(requestId, at);
      this.repos.outcomes.insertIssuance(requestId, at, actor.id, recipient, outboxId);
      this.audit.append({ actor: actor.id, action: 'request.issued', subject: requestId, data: { recipient, decision: r.status } });
      this.setStatus(requestId, r.status, 'issued', actor.id);
    });
  }

  /**
   * Records (or withdraws, with null) that the representative's power of attorney was certified
   * otherwise than by a notary and so cannot be confirmed in БНАЖ (before signing).
   */
  setRepresentativeException(actor: Actor, requestId: string, exception: 'certified_otherwise' | null): RequestDetail {
    return this.change(requestId, () => {
      this.editable(requestId);
      if (!this.repos.representatives.setException(requestId, exception, this.opts.now().toISOString())) {
        throw new AppError('REQUEST_STATE', { status: 'no_representative' });
      }
      this.audit.append({ actor: actor.id, action: 'request.representative.exception', subject: requestId, data: { exception } });
      this.touch(requestId);
    });
  }

  /** Records that the notarial registry confirmed the representative's power of attorney (before signing). */
  markRepresentativeVerified(actor: Actor, requestId: string, record: { notary: string }): RequestDetail {
    return this.change(requestId, () => {
      this.editable(requestId);
      if (!this.repos.representatives.markVerified(requestId, record.notary || null, this.opts.now().toISOString())) {
        throw new AppError('REQUEST_STATE', { status: 'no_representative' });
      }
      this.audit.append({ actor: actor.id, action: 'request.representative.verified', subject: requestId, data: {} });
      this.touch(requestId);
    });
  }

  private change(requestId: string, fn: () => void): RequestDetail {
    writeTx(this.db, fn);
    this.notify(requestId);
    return this.detail(requestId);
  }

  /** Throws unless pages may still be added to this request's slot (before signing). */
  assertEditableSlot(requestId: string, slotId: string): void {
    this.editable(requestId);
    this.slotExists(requestId, slotId);
  }

  private editable(id: string): RequestRow {
    const r = this.row(id);
    if (!EDITABLE.has(r.status)) throw new AppError('REQUEST_STATE', { status: r.status });
    return r;
  }

  private pageRow(requestId: string, pageId: string): PageRow {
    const p = this.repos.documents.page(requestId, pageId);
    if (!p) throw new AppError('REQUEST_UNKNOWN_PAGE');
    return p;
  }

  private slotExists(requestId: string, slotId: string): void {
    if (!this.repos.documents.slotExists(requestId, slotId)) throw new AppError('REQUEST_UNKNOWN_SLOT');
  }

  private touch(id: string): void {
    this.repos.requests.touch(id, this.opts.now().toISOString());
  }

  /** The editable status the request's content calls for. */
  private editableStatusFor(id: string): RequestStatus {
    if (this.missingDocuments(id).length === 0) return 'documents_complete';
    return this.repos.requests.applicantVerified(id) ? 'applicant_verified' : 'applicant_unverified';
  }

  private recomputeCompleteness(r: RequestRow, actorId: string): void {
    const current = this.row(r.id).status;
    const complete = this.missingDocuments(r.id).length === 0;
    if (complete && (current === 'applicant_verified' || current === 'applicant_unverified')) {
      this.setStatus(r.id, current, 'documents_complete', actorId);
    } else if (!complete && current === 'documents_complete') {
      this.setStatus(r.id, current, this.repos.requests.applicantVerified(r.id) ? 'applicant_verified' : 'applicant_unverified', actorId);
    }
  }

  /** <centre>-<workstation>-<year>-<sequence>, the sequence restarting each year. */
  private nextLocalNumber(now: Date): string {
    const year = now.getFullYear();
    const seq = this.repos.requests.nextInSequence(`local_number:${year}`);
    return `${this.opts.centreCode}-${this.opts.workstationId}-${year}-${String(seq).padStart(6, '0')}`;
  }
}
