/**
 * The papers handed over at the counter, made from the request as it stands: the acceptance
 * receipt, the refusal to accept an incomplete package, the result issuance sheet, and the
 * expected result date. A paper handed over is stored (file first), then recorded as a receipt of
 * its request, so the file has a row (not an orphan for reconciliation) and retention purges it
 * with the request.
 */
import { AppError } from '../contract/errors.js';
import type { Language } from '../contract/model.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Papers } from '../papers/papers-client.js';
import type { ContentStore } from '../files/content-store.js';
import { expectedResult, momentsOf } from './expected-result.js';
import { recordReceipt } from './outcomes.js';
import { issuanceSheetInput, receiptInput, refusalNoticeInput, type PaperContext } from './paper-inputs.js';
import type { RequestService } from './request-service.js';

export interface PaperDeskDeps {
  requests: RequestService;
  catalog: Catalog;
  files: ContentStore;
  docs: Papers;
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

  /**
   * When the decision is expected: for a request, by its own moments (accepted, registered); for
   * a service and sub-service alone, as if accepted now. The one rule the papers use too.
   */
  expectedResult(serviceId: string, subServiceId: string | null, requestId: string | null = null) {
    const detail = requestId ? this.deps.requests.detail(requestId) : null;
    const service = this.deps.catalog.get(detail?.serviceId ?? serviceId);
    const sub = detail ? detail.subServiceId : subServiceId;
    if (service.subServices.length && !service.subServices.some((s) => s.id === sub)) throw new AppError('CATALOG_UNKNOWN_SERVICE');
    const moments = detail ? momentsOf(detail.history) : { acceptedAt: null, registeredAt: null };
    const due = expectedResult(service, sub, moments, this.deps.now(), (a, r) => this.deps.docs.expectedResult(a, r));
    return {
      date: due.date,
      provisional: due.provisional,
      estimated: due.estimated,
      unit: due.rule.unit,
      count: due.rule.count,
      countsFrom: due.rule.countsFrom,
      countedFrom: due.countedFrom,
      refusalBy: due.refusalBy,
    };
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
