/**
 * Requests: open, mark documents, attach and arrange pages, name a representative, sign and queue,
 * re-open, cancel, issue. Every change is one write transaction (BEGIN IMMEDIATE) that also writes
 * the status history and the audit trail; files are on disk (fsync'd) before the row that points
 * at them commits; a signed request is never edited.
 */
import { existsSync } from 'node:fs';
import { AppError } from '../contract/errors.js';
import type { IdnKind } from '../contract/idn.js';
import type { DocumentSlot, Page, Representative, RequestDetail, RequestStatus, RequestSummary, RecordedRepresentative } from '../contract/model.js';
import type { Catalog } from '../catalog/catalog.js';
import { AuditLog } from '../audit/audit-log.js';
import { prep, writeTx, type Db } from '../db/database.js';
import { newId } from '../db/ids.js';
import { applicantNumberHash } from '../db/keys.js';
import type { ContentStore } from '../files/content-store.js';
import type { Logger } from '../host/logger-types.js';
import { assertValidIdn, rowToApplicant, type ApplicantService } from '../applicant/applicant-service.js';
import { EDITABLE } from './lifecycle.js';
import { applyTransition, recordHistory } from './transitions.js';

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
  created_at: string;
  updated_at: string;
}

interface PageRow {
  id: string;
  slot_id: string;
  position: number;
  sha256: string;
  size: number;
  media_type: string;
  width: number | null;
  height: number | null;
  dpi: number | null;
  rotation: number;
  missing_since: string | null;
}

export interface NewPage {
  bytes: Buffer;
  mediaType: string;
  width: number | null;
  height: number | null;
  dpi: number | null;
  source: 'scanner' | 'import';
}

/** A page whose file is already stored by content. */
export interface StoredPage {
  id?: string;
  sha256: string;
  size: number;
  mediaType: string;
  width: number | null;
  height: number | null;
  dpi: number | null;
  source: 'scanner' | 'import';
}

export interface Actor {
  id: string;
}

export interface RequestServiceOptions {
  centreCode: string;
  workstationId: string;
  now: () => Date;
}

/** What the operator's queue screen filters and searches by; every field is served by an index. */
export interface RequestFilter {
  status?: RequestStatus | null;
  /** A whole local number, or its beginning (ALM-01-W01-2026-). */
  localNumber?: string | null;
  registrationNumber?: string | null;
  /** The applicant's full IIN/BIN: found through its keyed hash, never a clear-text index. */
  applicant?: { kind: IdnKind; number: string } | null;
  /** created_at within [from, to) (ISO instants). */
  createdFrom?: string | null;
  createdTo?: string | null;
  limit?: number;
}

export type ChangeListener = (r: { id: string; localNumber: string; status: RequestStatus; registrationNumber: string | null }) => void;

export const ROTATIONS = [0, 90, 180, 270] as const;
export type Rotation = (typeof ROTATIONS)[number];

export function maskIdn(n: string | null): string {
  return n && n.length === 12 ? `${n.slice(0, 4)}••••••${n.slice(10)}` : '••••';
}

const SUMMARY_COLUMNS = `r.id, r.local_number, r.service_id, r.sub_service_id, r.applicant_id, r.operator_id, r.status,
  r.registration_number, r.form_json, r.last_error, r.attention_code, r.created_at, r.updated_at, a.kind, a.number`;

export class RequestService {
  private readonly listeners = new Set<ChangeListener>();
  readonly audit: AuditLog;

  constructor(
    readonly db: Db,
    private readonly catalog: Catalog,
    private readonly applicants: ApplicantService,
    readonly files: ContentStore,
    private readonly log: Logger,
    private readonly opts: RequestServiceOptions,
  ) {
    this.audit = new AuditLog(db, opts.now);
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

  create(
    actor: Actor,
    input: { serviceId: string; subServiceId: string | null; applicant: { kind: IdnKind; number: string; manualName: string | null } },
  ): RequestDetail {
    const { service, subServiceId } = this.catalog.acceptable(input.serviceId, input.subServiceId);
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
      prep(this.db, 
          `INSERT INTO requests (id, local_number, service_id, sub_service_id, applicant_id, operator_id, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?)`,
        )
        .run(id, localNumber, service.id, subServiceId, applicantId, actor.id, at, at);
      this.audit.append({
        actor: actor.id,
        action: 'request.created',
        subject: id,
        data: { serviceId: service.id, subServiceId, localNumber, applicantKind: kind, applicantVerified: verified },
        personal: { applicant: `${kind}:${number}` },
      });
      recordHistory(this.db, this.audit, id, null, 'draft', actor.id, at);
      const insertSlot = prep(this.db, 
        'INSERT INTO document_slots (request_id, slot_id, required, presented, original, position) VALUES (?, ?, ?, 0, 0, ?)',
      );
      service.documents.forEach((d, i) => insertSlot.run(id, d.id, d.required ? 1 : 0, i));
      this.setStatus(id, 'draft', verified ? 'applicant_verified' : 'applicant_unverified', actor.id);
    });
    this.log.info({ requestId: id, serviceId: service.id, verified }, 'request created');
    this.notify(id);
    return this.detail(id);
  }

  setDocument(actor: Actor, requestId: string, slotId: string, presented: boolean, original: boolean): RequestDetail {
    return this.change(requestId, () => {
      const r = this.editable(requestId);
      const res = prep(this.db, 'UPDATE document_slots SET presented = ?, original = ? WHERE request_id = ? AND slot_id = ?')
        .run(presented ? 1 : 0, original ? 1 : 0, requestId, slotId);
      if (res.changes === 0) throw new AppError('REQUEST_UNKNOWN_SLOT');
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

  /** The name of the operator who accepted the request (printed on its papers). */
  operatorName(requestId: string): string {
    const row = prep(this.db, 'SELECT o.full_name AS name FROM requests r JOIN operators o ON o.id = r.operator_id WHERE r.id = ?').get(requestId) as
      | { name: string }
      | undefined;
    if (!row) throw new AppError('NOT_FOUND');
    return row.name;
  }

  /** false when the page's file is missing (checked inside the write transaction, see addPage). */
  private tryRecordPage(actor: Actor, requestId: string, slotId: string, page: StoredPage): boolean {
    const done = writeTx(this.db, () => {
      if (!existsSync(this.files.pathOf(page.sha256))) return false;
      const r = this.editable(requestId);
      this.slotExists(requestId, slotId);
      const position =
        (prep(this.db, 'SELECT COALESCE(MAX(position), 0) AS p FROM pages WHERE request_id = ? AND slot_id = ?').get(requestId, slotId) as {
          p: number;
        }).p + 1;
      const pageId = page.id ?? newId();
      prep(
        this.db,
        `INSERT INTO pages (id, request_id, slot_id, position, sha256, size, media_type, width, height, dpi, rotation, source, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
      ).run(pageId, requestId, slotId, position, page.sha256, page.size, page.mediaType, page.width, page.height, page.dpi, page.source, this.opts.now().toISOString());
      prep(this.db, 'DELETE FROM file_gc WHERE sha256 = ?').run(page.sha256);
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
      prep(this.db, 'DELETE FROM pages WHERE id = ?').run(pageId);
      prep(this.db, 'UPDATE pages SET position = position - 1 WHERE request_id = ? AND slot_id = ? AND position > ?')
        .run(requestId, p.slot_id, p.position);
      prep(this.db, 'INSERT INTO file_gc (sha256, queued_at) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING').run(p.sha256, this.opts.now().toISOString());
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
      const current = (prep(this.db, 'SELECT id FROM pages WHERE request_id = ? AND slot_id = ?').all(requestId, slotId) as { id: string }[]).map(
        (p) => p.id,
      );
      const wanted = new Set(pageIds);
      if (wanted.size !== pageIds.length || wanted.size !== current.length || !current.every((id) => wanted.has(id))) {
        throw new AppError('REQUEST_PAGE_ORDER');
      }
      const set = prep(this.db, 'UPDATE pages SET position = ? WHERE id = ?');
      pageIds.forEach((id, i) => set.run(i + 1, id));
      this.audit.append({ actor: actor.id, action: 'pages.reordered', subject: requestId, data: { slotId, pages: [...pageIds] } });
      this.touch(requestId);
    });
  }

  /** Sets a page's rotation (degrees clockwise, applied when shown and when the PDF is assembled). */
  rotatePage(actor: Actor, requestId: string, pageId: string, rotation: Rotation): RequestDetail {
    return this.change(requestId, () => {
      this.editable(requestId);
      this.pageRow(requestId, pageId);
      prep(this.db, 'UPDATE pages SET rotation = ? WHERE id = ?').run(rotation, pageId);
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
        const applicantNumber = (prep(this.db, 'SELECT number FROM applicants WHERE id = ?').get(r.applicant_id) as { number: string | null }).number;
        if (applicantNumber === rep.iin) throw new AppError('REQUEST_REPRESENTATIVE_INVALID', { field: 'iin' });
        prep(this.db, 
            `INSERT INTO request_representatives (request_id, iin, name, poa_number, poa_date, poa_notary, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (request_id) DO UPDATE SET iin = excluded.iin, name = excluded.name, poa_number = excluded.poa_number,
               poa_date = excluded.poa_date, poa_notary = excluded.poa_notary, verified = 0, fetched_at = NULL`,
          )
          .run(requestId, rep.iin, rep.name.trim(), rep.powerOfAttorney.number.trim(), rep.powerOfAttorney.date, rep.powerOfAttorney.notary?.trim() ?? null, this.opts.now().toISOString());
      } else {
        prep(this.db, 'DELETE FROM request_representatives WHERE request_id = ?').run(requestId);
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

  /** Cancels a request before it is signed (a re-opened request is unsigned again). */
  cancel(actor: Actor, requestId: string): RequestDetail {
    return this.change(requestId, () => {
      const r = this.editable(requestId);
      this.setStatus(requestId, r.status, 'cancelled', actor.id);
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
        prep(this.db, `UPDATE outbox SET superseded_at = ?, state = CASE state WHEN 'pending' THEN 'failed' ELSE state END WHERE id = ?`).run(at, entry.id);
      }
      const sig = prep(this.db, `UPDATE signatures SET superseded_at = ?, superseded_reason = 'reopened' WHERE request_id = ? AND superseded_at IS NULL`).run(at, requestId);
      this.audit.append({
        actor: actor.id,
        action: 'request.reopened',
        subject: requestId,
        data: { outboxEntry: entry?.id ?? null, neverSent: entry ? entry.submitted_at === null : true, signaturesSuperseded: sig.changes },
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
      prep(this.db, `UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = NULL WHERE id = ?`)
        .run(this.opts.now().toISOString(), entry.id);
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
      const outboxId = newId();
      prep(this.db, 
          `INSERT INTO outbox (id, request_id, kind, idempotency_key, state, attempts, next_attempt_at, created_at) VALUES (?, ?, 'issuance_ack', ?, 'pending', 0, ?, ?)`,
        )
        .run(outboxId, requestId, `${requestId}:issued`, at, at);
      prep(this.db, 'INSERT INTO issuances (request_id, issued_at, operator_id, recipient, outbox_id) VALUES (?, ?, ?, ?, ?)')
        .run(requestId, at, actor.id, recipient, outboxId);
      this.audit.append({ actor: actor.id, action: 'request.issued', subject: requestId, data: { recipient, decision: r.status } });
      this.setStatus(requestId, r.status, 'issued', actor.id);
    });
  }

  pageContent(pageId: string): { sha256: string; mediaType: string } {
    const row = prep(this.db, 'SELECT sha256, media_type FROM pages WHERE id = ?').get(pageId) as
      | { sha256: string; media_type: string }
      | undefined;
    if (!row) throw new AppError('NOT_FOUND');
    return { sha256: row.sha256, mediaType: row.media_type };
  }

  /** Moves a request along the lifecycle inside the caller's transaction, recording history and audit. */
  setStatus(id: string, from: RequestStatus, to: RequestStatus, actorId: string, lastError: string | null = null): void {
    writeTx(this.db, () => applyTransition(this.db, this.audit, { id, from, to, actor: actorId, at: this.opts.now().toISOString(), lastError }));
  }

  row(id: string): RequestRow {
    const r = prep(this.db, 'SELECT * FROM requests WHERE id = ?').get(id) as RequestRow | undefined;
    if (!r) throw new AppError('NOT_FOUND');
    return r;
  }

  list(status: RequestStatus | null, limit: number): RequestSummary[] {
    return this.search({ status, limit });
  }

  /** Newest first. Each filter uses an index (see docs/storage.md); the applicant by its keyed hash. */
  search(f: RequestFilter): RequestSummary[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.status) {
      where.push('r.status = ?');
      params.push(f.status);
    }
    if (f.localNumber) {
      where.push('r.local_number >= ? AND r.local_number < ?');
      params.push(f.localNumber, `${f.localNumber}\uffff`);
    }
    if (f.registrationNumber) {
      where.push('r.registration_number = ?');
      params.push(f.registrationNumber);
    }
    if (f.applicant) {
      where.push('r.applicant_id = (SELECT id FROM applicants WHERE number_hash = ?)');
      params.push(applicantNumberHash(this.db, f.applicant.kind, f.applicant.number));
    }
    if (f.createdFrom) {
      where.push('r.created_at >= ?');
      params.push(f.createdFrom);
    }
    if (f.createdTo) {
      where.push('r.created_at < ?');
      params.push(f.createdTo);
    }
    params.push(Math.min(Math.max(f.limit ?? 50, 1), 500));
    const rows = prep(this.db, 
        `SELECT ${SUMMARY_COLUMNS} FROM requests r JOIN applicants a ON a.id = r.applicant_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.created_at DESC LIMIT ?`,
      )
      .all(...params) as (RequestRow & { kind: IdnKind; number: string | null })[];
    return rows.map((r) => this.summary(r, r.kind, r.number));
  }

  pages(requestId: string): (Page & { slotId: string })[] {
    return (
      prep(this.db, 'SELECT * FROM pages WHERE request_id = ? ORDER BY slot_id, position').all(requestId) as PageRow[]
    ).map(pageFromRow);
  }

  representative(requestId: string): RecordedRepresentative | null {
    const rep = prep(this.db, 'SELECT * FROM request_representatives WHERE request_id = ?').get(requestId) as
      | { iin: string; name: string; poa_number: string; poa_date: string; poa_notary: string | null; verified: number }
      | undefined;
    return rep
      ? { iin: rep.iin, name: rep.name, powerOfAttorney: { number: rep.poa_number, date: rep.poa_date, notary: rep.poa_notary }, verified: rep.verified === 1 }
      : null;
  }

  /** Records that the notarial registry confirmed the representative's power of attorney (before signing). */
  markRepresentativeVerified(actor: Actor, requestId: string, record: { notary: string }): RequestDetail {
    return this.change(requestId, () => {
      this.editable(requestId);
      const res = prep(this.db, 'UPDATE request_representatives SET verified = 1, fetched_at = ?, poa_notary = COALESCE(poa_notary, ?) WHERE request_id = ?').run(
        this.opts.now().toISOString(),
        record.notary || null,
        requestId,
      );
      if (res.changes !== 1) throw new AppError('REQUEST_STATE', { status: 'no_representative' });
      this.audit.append({ actor: actor.id, action: 'request.representative.verified', subject: requestId, data: {} });
      this.touch(requestId);
    });
  }

  detail(id: string): RequestDetail {
    const r = this.row(id);
    const applicantRow = prep(this.db, 'SELECT * FROM applicants WHERE id = ?').get(r.applicant_id) as Parameters<typeof rowToApplicant>[0];
    const applicant = rowToApplicant(applicantRow);
    const service = this.catalog.get(r.service_id);
    const pages = this.pages(id);
    const slots = (
      prep(this.db, 'SELECT * FROM document_slots WHERE request_id = ? ORDER BY position').all(id) as {
        slot_id: string;
        required: number;
        presented: number;
        original: number;
      }[]
    ).map(
      (s): DocumentSlot => ({
        slotId: s.slot_id,
        name: service.documents.find((d) => d.id === s.slot_id)?.name ?? { kk: s.slot_id, ru: s.slot_id, en: s.slot_id },
        required: s.required === 1,
        presented: s.presented === 1,
        original: s.original === 1,
        pages: pages.filter((p) => p.slotId === s.slot_id),
      }),
    );
    const sig = prep(this.db, 'SELECT * FROM signatures WHERE request_id = ? AND superseded_at IS NULL ORDER BY signed_at DESC LIMIT 1')
      .get(id) as { signed_at: string; signer_json: string; manifest_sha256: string } | undefined;
    const history = (
      prep(this.db, 'SELECT to_status, at, step, actor FROM status_history WHERE request_id = ? ORDER BY id').all(id) as {
        to_status: RequestStatus;
        at: string;
        step: string | null;
        actor: string;
      }[]
    ).map((h) => ({ status: h.to_status, at: h.at, step: h.step, actor: h.actor }));
    const signer = sig ? (JSON.parse(sig.signer_json) as { name: string; serial: string; notAfter: string; algorithm: string }) : null;
    return {
      ...this.summary(r, applicant.kind, applicant.number),
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
      history,
    };
  }

  /** What is missing before the request can be signed: required slots not presented or without pages. */
  missingDocuments(id: string): string[] {
    const rows = prep(this.db, 
        `SELECT s.slot_id, s.presented, (SELECT COUNT(*) FROM pages p WHERE p.request_id = s.request_id AND p.slot_id = s.slot_id) AS pages
         FROM document_slots s WHERE s.request_id = ? AND s.required = 1 ORDER BY s.position`,
      )
      .all(id) as { slot_id: string; presented: number; pages: number }[];
    return rows.filter((s) => !s.presented || s.pages === 0).map((s) => s.slot_id);
  }

  /** Requests per status (kept by triggers: one small read, whatever the number of requests). */
  statusCounts(): Record<RequestStatus, number> {
    const out = {} as Record<RequestStatus, number>;
    for (const r of prep(this.db, 'SELECT status, n FROM request_status_counts WHERE n > 0').all() as { status: RequestStatus; n: number }[]) {
      out[r.status] = r.n;
    }
    return out;
  }

  /** The request's current (not superseded) submit entry in the outbox. */
  currentSubmission(requestId: string): { id: string; state: string; submitted_at: string | null; outcome: string | null; idempotency_key: string } | null {
    return (
      (prep(this.db, `SELECT id, state, submitted_at, outcome, idempotency_key FROM outbox WHERE request_id = ? AND kind = 'submit' AND superseded_at IS NULL`)
        .get(requestId) as { id: string; state: string; submitted_at: string | null; outcome: string | null; idempotency_key: string } | undefined) ?? null
    );
  }

  private change(requestId: string, fn: () => void): RequestDetail {
    writeTx(this.db, fn);
    this.notify(requestId);
    return this.detail(requestId);
  }

  private summary(r: RequestRow, kind: IdnKind, number: string | null): RequestSummary {
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
    const p = prep(this.db, 'SELECT * FROM pages WHERE id = ? AND request_id = ?').get(pageId, requestId) as PageRow | undefined;
    if (!p) throw new AppError('REQUEST_UNKNOWN_PAGE');
    return p;
  }

  private slotExists(requestId: string, slotId: string): void {
    const s = prep(this.db, 'SELECT 1 FROM document_slots WHERE request_id = ? AND slot_id = ?').get(requestId, slotId);
    if (!s) throw new AppError('REQUEST_UNKNOWN_SLOT');
  }

  private touch(id: string): void {
    prep(this.db, 'UPDATE requests SET updated_at = ? WHERE id = ?').run(this.opts.now().toISOString(), id);
  }

  private applicantVerified(id: string): boolean {
    return (
      (prep(this.db, 'SELECT a.verified FROM applicants a JOIN requests r ON r.applicant_id = a.id WHERE r.id = ?').get(id) as { verified: number })
        .verified === 1
    );
  }

  /** The editable status the request's content calls for. */
  private editableStatusFor(id: string): RequestStatus {
    if (this.missingDocuments(id).length === 0) return 'documents_complete';
    return this.applicantVerified(id) ? 'applicant_verified' : 'applicant_unverified';
  }

  private recomputeCompleteness(r: RequestRow, actorId: string): void {
    const current = this.row(r.id).status;
    const complete = this.missingDocuments(r.id).length === 0;
    if (complete && (current === 'applicant_verified' || current === 'applicant_unverified')) {
      this.setStatus(r.id, current, 'documents_complete', actorId);
    } else if (!complete && current === 'documents_complete') {
      this.setStatus(r.id, current, this.applicantVerified(r.id) ? 'applicant_verified' : 'applicant_unverified', actorId);
    }
  }

  /** <centre>-<workstation>-<year>-<sequence>, the sequence restarting each year. */
  private nextLocalNumber(now: Date): string {
    const year = now.getFullYear();
    const key = `local_number:${year}`;
    prep(this.db, 'INSERT INTO counters (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING').run(key);
    prep(this.db, 'UPDATE counters SET value = value + 1 WHERE name = ?').run(key);
    const seq = (prep(this.db, 'SELECT value FROM counters WHERE name = ?').get(key) as { value: number }).value;
    return `${this.opts.centreCode}-${this.opts.workstationId}-${year}-${String(seq).padStart(6, '0')}`;
  }
}

export function pageFromRow(p: PageRow): Page & { slotId: string } {
  return {
    id: p.id,
    slotId: p.slot_id,
    position: p.position,
    sha256: p.sha256,
    size: p.size,
    mediaType: p.media_type,
    width: p.width,
    height: p.height,
    dpi: p.dpi,
    rotation: p.rotation,
    missing: p.missing_since !== null,
  };
}
