/**
 * The papers handed over at the counter, made from the request as it stands: the acceptance
 * receipt, the refusal to accept an incomplete package, the result issuance sheet, and the
 * expected result date. A paper handed over is stored (file first), then recorded as a receipt of
 * its request, so the file has a row (not an orphan for reconciliation) and retention purges it
 * with the request.
 */
import { AppError } from '../contract/errors.js';
import type { Language } from '../contract/model.js';
import { deadlineOf } from '../contract/rules.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Docs } from '../docs/docs-client.js';
import type { ContentStore } from '../files/content-store.js';
import { recordReceipt } from './outcomes.js';
import { issuanceSheetInput, receiptInput, refusalNoticeInput, type PaperContext } from './papers.js';
import type { RequestService } from './request-service.js';

export interface PaperDeskDeps {
  requests: RequestService;
  catalog: Catalog;
  files: ContentStore;
  docs: Docs;
  centre: PaperContext['centre'];
  now: () => Date;
}

/** A stored PDF as the contract carries it. */
export interface StoredPaper {
  sha256: string;
  size: number;
  dataBase64: string;
}

export class PaperDesk {
  constructor(private readonly deps: PaperDeskDeps) {}

  /** The acceptance receipt (after signing; again once the registration number arrives). */
  async receipt(requestId: string, language: Language): Promise<StoredPaper> {
    const detail = this.deps.requests.detail(requestId);
    const ctx = this.context(requestId, detail.serviceId);
    const pdf = await this.deps.docs.receipt(receiptInput(detail, language, ctx));
    return this.store(pdf, { requestId, kind: 'acceptance', number: detail.localNumber });
  }

  /** The refusal to accept an incomplete package (before signing, listing what is missing). */
  async refusalNotice(requestId: string, language: Language): Promise<StoredPaper> {
    const detail = this.deps.requests.detail(requestId);
    const ctx = this.context(requestId, detail.serviceId);
    const pdf = await this.deps.docs.refusalNotice(refusalNoticeInput(detail, language, ctx));
    return this.store(pdf, { requestId, kind: 'refusal', number: detail.localNumber });
  }

  /** The issuance sheet; it names `handedBy`, the operator who hands the result over now. */
  async issuanceSheet(handedBy: string, requestId: string, recipient: 'applicant' | 'representative', language: Language): Promise<Uint8Array> {
    const detail = this.deps.requests.detail(requestId);
    const ctx = { ...this.context(requestId, detail.serviceId), operatorName: handedBy };
    return this.deps.docs.issuanceSheet(issuanceSheetInput(detail, recipient, language, ctx));
  }

  /** When a request for the service accepted now is expected to be decided. */
  expectedResult(serviceId: string, subServiceId: string | null) {
    const service = this.deps.catalog.get(serviceId);
    if (service.subServices.length && !service.subServices.some((s) => s.id === subServiceId)) throw new AppError('CATALOG_UNKNOWN_SERVICE');
    const rule = deadlineOf(service, subServiceId);
    const due = this.deps.docs.expectedResult(this.deps.now(), rule);
    return { date: due.date, provisional: due.provisional, unit: rule.unit, count: rule.count };
  }

  private context(requestId: string, serviceId: string): PaperContext {
    return {
      centre: this.deps.centre,
      operatorName: this.deps.requests.operatorName(requestId),
      service: this.deps.catalog.get(serviceId),
      docs: this.deps.docs,
      now: this.deps.now(),
    };
  }

  private async store(pdf: Uint8Array, receipt: { requestId: string; kind: 'acceptance' | 'refusal'; number: string }): Promise<StoredPaper> {
    const stored = await this.deps.files.put(pdf);
    recordReceipt(this.deps.requests, { ...receipt, file: { sha256: stored.sha256, size: stored.size } }, this.deps.now().toISOString());
    return { sha256: stored.sha256, size: stored.size, dataBase64: Buffer.from(pdf).toString('base64') };
  }
}
