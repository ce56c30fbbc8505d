/**
 * Requests: open, mark documents, attach pages, sign and queue. Every change is one SQLite
 * transaction that also writes the status history; files are on disk (fsync'd) before the row
 * that points at them commits; a signed request is never edited.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../contract/errors.js';
import type { IdnKind } from '../contract/idn.js';
import type { DocumentSlot, Page, RequestDetail, RequestStatus, RequestSummary } from '../contract/model.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Db } from '../db/database.js';
import type { ContentStore } from '../files/content-store.js';
import type { Logger } from '../host/logger-types.js';
import { rowToApplicant, type ApplicantService } from '../applicant/applicant-service.js';
import { assertTransition, EDITABLE, STEP_OF } from './lifecycle.js';

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

export type ChangeListener = (r: { id: string; localNumber: string; status: RequestStatus; registrationNumber: string | null }) => void;

export function maskIdn(n: string): string {
  return n.length === 12 ? `${n.slice(0, 4)}••••••${n.slice(10)}` : '••••';
}

export class RequestService {
  private readonly listeners = new Set<ChangeListener>();

  constructor(
    readonly db: Db,
    private readonly catalog: Catalog,
    private readonly applicants: ApplicantService,
    readonly files: ContentStore,
    private readonly log: Logger,
    private readonly opts: RequestServiceOptions,
  ) {}

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
    let applicant = this.applicants.get(kind, number);
    if (!applicant?.verified) {
      if (!manualName) throw new AppError('APPLICANT_NOT_LOOKED_UP');
      applicant = this.applicants.recordManual(kind, number, manualName);
    }
    if (applicant.registryStatus === 'deceased' || applicant.registryStatus === 'liquidated') {
      throw new AppError('APPLICANT_INACTIVE', { status: applicant.registryStatus });
    }
    const applicantId = this.applicants.idOf(kind, number)!;
    const id = randomUUID();
    const now = this.opts.now();
    const at = now.toISOString();
    this.db.transaction(() => {
      const localNumber = this.nextLocalNumber(now);
      this.db
        .prepare(
          `INSERT INTO requests (id, local_number, service_id, sub_service_id, applicant_id, operator_id, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?)`,
        )
        .run(id, localNumber, service.id, subServiceId, applicantId, actor.id, at, at);
      this.history(id, null, 'draft', actor.id, at);
      const insertSlot = this.db.prepare(
        'INSERT INTO document_slots (request_id, slot_id, required, presented, original, position) VALUES (?, ?, ?, 0, 0, ?)',
      );
      service.documents.forEach((d, i) => insertSlot.run(id, d.id, d.required ? 1 : 0, i));
      this.setStatus(id, 'draft', applicant.verified ? 'applicant_verified' : 'applicant_unverified', actor.id);
    })();
    this.log.info({ requestId: id, serviceId: service.id, verified: applicant.verified }, 'request created');
    this.notify(id);
    return this.detail(id);
  }

  setDocument(actor: Actor, requestId: string, slotId: string, presented: boolean, original: boolean): RequestDetail {
    this.db.transaction(() => {
      const r = this.editable(requestId);
      const res = this.db
        .prepare('UPDATE document_slots SET presented = ?, original = ? WHERE request_id = ? AND slot_id = ?')
        .run(presented ? 1 : 0, original ? 1 : 0, requestId, slotId);
      if (res.changes === 0) throw new AppError('REQUEST_UNKNOWN_SLOT');
      this.touch(requestId);
      this.recomputeCompleteness(r, actor.id);
    })();
    this.notify(requestId);
    return this.detail(requestId);
  }

  /** Stores the page file durably, then records it; only then is it visible. */
  async addPage(actor: Actor, requestId: string, slotId: string, page: NewPage): Promise<RequestDetail> {
    this.editable(requestId);
    this.slotExists(requestId, slotId);
    const stored = await this.files.put(page.bytes);
    this.recordStoredPage(actor, requestId, slotId, { ...page, sha256: stored.sha256, size: stored.size });
    return this.detail(requestId);
  }

  /**
   * Records a page whose file is already in the content store (the scanner and the importer
   * store it themselves), in one transaction that also updates the request's completeness.
   * Refused when the request can no longer change (signed in the meantime).
   */
  recordStoredPage(actor: Actor, requestId: string, slotId: string, page: StoredPage): void {
    this.db.transaction(() => {
      const r = this.editable(requestId);
      this.slotExists(requestId, slotId);
      const position =
        (this.db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM pages WHERE request_id = ? AND slot_id = ?').get(requestId, slotId) as {
          p: number;
        }).p + 1;
      this.db
        .prepare(
          `INSERT INTO pages (id, request_id, slot_id, position, sha256, size, media_type, width, height, dpi, rotation, source, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
        )
        .run(
          page.id ?? randomUUID(),
          requestId,
          slotId,
          position,
          page.sha256,
          page.size,
          page.mediaType,
          page.width,
          page.height,
          page.dpi,
          page.source,
          this.opts.now().toISOString(),
        );
      this.touch(requestId);
      this.recomputeCompleteness(r, actor.id);
    })();
    this.log.info({ requestId, slotId, sha256: page.sha256.slice(0, 12), size: page.size, source: page.source }, 'page attached');
    this.notify(requestId);
  }

  /** The name of the operator who accepted the request (printed on its papers). */
  operatorName(requestId: string): string {
    const row = this.db
      .prepare('SELECT o.full_name AS name FROM requests r JOIN operators o ON o.id = r.operator_id WHERE r.id = ?')
      .get(requestId) as { name: string } | undefined;
    if (!row) throw new AppError('NOT_FOUND');
    return row.name;
  }

  pageContent(pageId: string): { sha256: string; mediaType: string } {
    const row = this.db.prepare('SELECT sha256, media_type FROM pages WHERE id = ?').get(pageId) as
      | { sha256: string; media_type: string }
      | undefined;
    if (!row) throw new AppError('NOT_FOUND');
    return { sha256: row.sha256, mediaType: row.media_type };
  }

  /** Moves a request along the lifecycle inside the caller's transaction, recording history. */
  setStatus(id: string, from: RequestStatus, to: RequestStatus, actorId: string, lastError: string | null = null): void {
    assertTransition(from, to);
    const at = this.opts.now().toISOString();
    const res = this.db
      .prepare('UPDATE requests SET status = ?, last_error = ?, updated_at = ? WHERE id = ? AND status = ?')
      .run(to, lastError, at, id, from);
    if (res.changes !== 1) throw new AppError('REQUEST_STATE', { status: from });
    this.history(id, from, to, actorId, at);
  }

  row(id: string): RequestRow {
    const r = this.db.prepare('SELECT * FROM requests WHERE id = ?').get(id) as RequestRow | undefined;
    if (!r) throw new AppError('NOT_FOUND');
    return r;
  }

  list(status: RequestStatus | null, limit: number): RequestSummary[] {
    const rows = (
      status
        ? this.db.prepare('SELECT r.*, a.kind, a.number FROM requests r JOIN applicants a ON a.id = r.applicant_id WHERE r.status = ? ORDER BY r.created_at DESC LIMIT ?').all(status, limit)
        : this.db.prepare('SELECT r.*, a.kind, a.number FROM requests r JOIN applicants a ON a.id = r.applicant_id ORDER BY r.created_at DESC LIMIT ?').all(limit)
    ) as (RequestRow & { kind: IdnKind; number: string })[];
    return rows.map((r) => this.summary(r, r.kind, r.number));
  }

  pages(requestId: string): (Page & { slotId: string })[] {
    return (
      this.db.prepare('SELECT * FROM pages WHERE request_id = ? ORDER BY slot_id, position').all(requestId) as PageRow[]
    ).map(pageFromRow);
  }

  detail(id: string): RequestDetail {
    const r = this.row(id);
    const applicantRow = this.db.prepare('SELECT * FROM applicants WHERE id = ?').get(r.applicant_id) as Parameters<typeof rowToApplicant>[0];
    const applicant = rowToApplicant(applicantRow);
    const service = this.catalog.get(r.service_id);
    const pages = this.pages(id);
    const slots = (
      this.db.prepare('SELECT * FROM document_slots WHERE request_id = ? ORDER BY position').all(id) as {
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
    const sig = this.db
      .prepare('SELECT * FROM signatures WHERE request_id = ? AND superseded_at IS NULL ORDER BY signed_at DESC LIMIT 1')
      .get(id) as { signed_at: string; signer_json: string; manifest_sha256: string } | undefined;
    const history = (
      this.db.prepare('SELECT to_status, at, step, actor FROM status_history WHERE request_id = ? ORDER BY id').all(id) as {
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
    const rows = this.db
      .prepare(
        `SELECT s.slot_id, s.presented, (SELECT COUNT(*) FROM pages p WHERE p.request_id = s.request_id AND p.slot_id = s.slot_id) AS pages
         FROM document_slots s WHERE s.request_id = ? AND s.required = 1 ORDER BY s.position`,
      )
      .all(id) as { slot_id: string; presented: number; pages: number }[];
    return rows.filter((s) => !s.presented || s.pages === 0).map((s) => s.slot_id);
  }

  statusCounts(): Record<RequestStatus, number> {
    const out = {} as Record<RequestStatus, number>;
    for (const r of this.db.prepare('SELECT status, COUNT(*) AS n FROM requests GROUP BY status').all() as { status: RequestStatus; n: number }[]) {
      out[r.status] = r.n;
    }
    return out;
  }

  private summary(r: RequestRow, kind: IdnKind, number: string): RequestSummary {
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

  private slotExists(requestId: string, slotId: string): void {
    const s = this.db.prepare('SELECT 1 FROM document_slots WHERE request_id = ? AND slot_id = ?').get(requestId, slotId);
    if (!s) throw new AppError('REQUEST_UNKNOWN_SLOT');
  }

  private touch(id: string): void {
    this.db.prepare('UPDATE requests SET updated_at = ? WHERE id = ?').run(this.opts.now().toISOString(), id);
  }

  private recomputeCompleteness(r: RequestRow, actorId: string): void {
    const current = this.row(r.id).status;
    const complete = this.missingDocuments(r.id).length === 0;
    if (complete && (current === 'applicant_verified' || current === 'applicant_unverified')) {
      this.setStatus(r.id, current, 'documents_complete', actorId);
    } else if (!complete && current === 'documents_complete') {
      const verified = (
        this.db.prepare('SELECT a.verified FROM applicants a JOIN requests r ON r.applicant_id = a.id WHERE r.id = ?').get(r.id) as {
          verified: number;
        }
      ).verified;
      this.setStatus(r.id, current, verified ? 'applicant_verified' : 'applicant_unverified', actorId);
    }
  }

  private history(id: string, from: RequestStatus | null, to: RequestStatus, actor: string, at: string): void {
    this.db
      .prepare('INSERT INTO status_history (request_id, from_status, to_status, step, actor, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, from, to, STEP_OF[to], actor, at);
  }

  /** <centre>-<workstation>-<year>-<sequence>, the sequence restarting each year. */
  private nextLocalNumber(now: Date): string {
    const year = now.getFullYear();
    const key = `local_number:${year}`;
    this.db.prepare('INSERT INTO counters (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING').run(key);
    this.db.prepare('UPDATE counters SET value = value + 1 WHERE name = ?').run(key);
    const seq = (this.db.prepare('SELECT value FROM counters WHERE name = ?').get(key) as { value: number }).value;
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
  };
}
