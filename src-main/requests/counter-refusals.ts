/**
 * Refusals given at the counter, kept as records (issue 13, items 3 and 7):
 *
 * - P4 (seed 000, Diagram 3 and Table 3 action 4; seed 003, Appendix 1 para 10 step 5): the
 *   look-up finds no such applicant in the state registry (ЖТ МДБ / ЗТ МДБ), "data cannot be
 *   obtained"; Table 3 calls the outcome a reasoned refusal. Recorded at the counter's look-up
 *   (no request yet) and at sending, when an offline request's look-up finds nothing.
 * - The refusal to accept documents: the package is incomplete, or documents presented are
 *   expired (marked by the operator). The request is cancelled in the same transaction.
 *
 * Each record says who refused, when, on which ground, for which number, registry, service and
 * request; it is counted (`list`) and printed for the applicant in kk or ru (`paper`), naming the
 * ground and the regulation's paragraph (the catalogue's `counterGrounds`).
 */
import { AppError } from '../contract/errors.js';
import type { IdnKind } from '../contract/idn.js';
import type { Language, LocalizedText, RequestDetail, Service } from '../contract/model.js';
import type { CounterRefusal, RefusalGround } from '../contract/ops/refusal.js';
import { missingSlots } from '../contract/rules.js';
import type { ApplicantService } from '../applicant/applicant-service.js';
import type { Catalog } from '../catalog/catalog.js';
import { writeTx } from '../db/database.js';
import { newId } from '../db/ids.js';
import { CounterRefusalsRepo, type CounterRefusalRow } from '../db/repos/counter-refusals.js';
import { FilesRepo } from '../db/repos/files.js';
import type { Papers } from '../papers/papers-client.js';
import type { RefusalNoticeInput } from '../papers/index.js';
import type { ContentStore } from '../files/content-store.js';
import type { StepLog } from '../reports/step-log.js';
import { refusalBasis } from './refusal-basis.js';
import type { StoredPaper } from './paper-desk.js';
import type { Actor, RequestService } from './request-service.js';

export interface CounterRefusalDeps {
  requests: RequestService;
  applicants: ApplicantService;
  catalog: Catalog;
  files: ContentStore;
  papers: Papers;
  centre: RefusalNoticeInput['centre'];
  now: () => Date;
  /** The regulation's clock: the look-up's step events, each in the transaction of what it describes. */
  steps?: StepLog;
}

const REGISTRY = { iin: 'individuals', bin: 'entities' } as const;

/** Kazakhstan's day [from, to] as ISO instants [start, end). */
function dayRange(from: string, to: string): [string, string] {
  const start = new Date(`${from}T00:00:00+05:00`).toISOString();
  const end = new Date(new Date(`${to}T00:00:00+05:00`).getTime() + 86_400_000).toISOString();
  return [start, end];
}

export function toCounterRefusal(r: CounterRefusalRow): CounterRefusal {
  return {
    id: r.id,
    at: r.at,
    operatorId: r.operator_id,
    ground: r.ground,
    stage: r.stage,
    registry: r.registry,
    serviceId: r.service_id,
    subServiceId: r.sub_service_id,
    requestId: r.request_id,
    paperSha256: r.paper_sha256,
  };
}

export class CounterRefusals {
  readonly repo: CounterRefusalsRepo;

  constructor(private readonly deps: CounterRefusalDeps) {
    this.repo = new CounterRefusalsRepo(deps.requests.db);
    // P4 at sending (an applicant entered offline is not in the registry): recorded too.
    deps.requests.onChange((r) => {
      if (r.status === 'needs_attention' && deps.requests.row(r.id).last_error === 'APPLICANT_NOT_FOUND') this.recordAtSending(r.id);
    });
  }

  /**
   * P3 with P4 as a record: the look-up, and when the registry has no such applicant, the
   * reasoned refusal is stored and APPLICANT_NOT_FOUND carries its id (for the paper).
   */
  async lookup(actor: Actor, input: { kind: IdnKind; number: string; serviceId?: string | undefined; subServiceId?: string | null | undefined }) {
    const steps = this.deps.steps;
    steps?.lookupAsked(actor.id);
    try {
      return await this.deps.applicants.lookup(input.kind, input.number, steps && (() => steps.lookupAnswered(actor.id, 'found')));
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'APPLICANT_NOT_FOUND') {
        // The registry unreachable, or an invalid number: nothing else is written.
        steps?.lookupAnswered(actor.id, e instanceof AppError ? e.code : 'failed');
        throw e;
      }
      const service = input.serviceId ? this.serviceOrNull(input.serviceId) : null;
      const id = this.record(actor, {
        ground: 'data_unavailable',
        stage: 'counter',
        kind: input.kind,
        number: input.number,
        serviceId: service?.id ?? null,
        subServiceId: service ? (input.subServiceId ?? null) : null,
        requestId: null,
        documents: null,
      }, (refusalId) => steps?.p4Recorded(actor.id, refusalId));
      throw new AppError('APPLICANT_NOT_FOUND', { kind: input.kind, refusalId: id }, { cause: e });
    }
  }

  /** P4 found at sending (an applicant entered offline): recorded against the request. */
  recordAtSending(requestId: string): string {
    const d = this.deps.requests.detail(requestId);
    const existing = this.repo.ofRequest(requestId);
    if (existing?.ground === 'data_unavailable') return existing.id;
    return this.record(
      { id: this.deps.requests.row(requestId).operator_id },
      { ground: 'data_unavailable', stage: 'sending', kind: d.applicant.kind, number: d.applicant.number, serviceId: d.serviceId, subServiceId: d.subServiceId, requestId, documents: null },
    );
  }

  /**
   * Refuses to accept the documents on a legal ground and cancels the request, in one transaction:
   * 'incomplete' needs a missing document, 'expired' a document marked expired.
   */
  refuse(actor: Actor, requestId: string, ground: 'incomplete' | 'expired'): { refusal: CounterRefusal; request: RequestDetail } {
    const id = writeTx(this.deps.requests.db, () => {
      const d = this.deps.requests.detail(requestId);
      const documents = ground === 'expired' ? d.slots.filter((s) => s.presented && s.expired) : missingSlots(d.slots).filter((s) => !s.expired);
      if (documents.length === 0) throw new AppError(ground === 'expired' ? 'REQUEST_NOTHING_EXPIRED' : 'REQUEST_NOTHING_MISSING');
      this.deps.requests.cancel(actor, requestId, ground);
      return this.record(actor, {
        ground,
        stage: 'counter',
        kind: d.applicant.kind,
        number: d.applicant.number,
        serviceId: d.serviceId,
        subServiceId: d.subServiceId,
        requestId,
        documents: documents.map((s) => s.slotId),
      });
    });
    return { refusal: toCounterRefusal(this.repo.get(id)!), request: this.deps.requests.detail(requestId) };
  }

  /**
   * The paper for the applicant, printed by `printedBy` now; stored, and its hash kept on the
   * record. A reprint replaces the paper kept: the earlier one is queued for deletion (file_gc;
   * retention deletes it, as it does files no row refers to).
   */
  async paper(printedBy: string, refusalId: string, language: Language): Promise<StoredPaper> {
    const r = this.repo.get(refusalId);
    if (!r) throw new AppError('NOT_FOUND');
    const pdf = await this.deps.papers.refusalNotice(this.paperInput(r, printedBy, language));
    const stored = await this.deps.files.put(pdf);
    writeTx(this.deps.requests.db, () => {
      const replaced = this.repo.setPaper(refusalId, stored.sha256);
      if (replaced) new FilesRepo(this.deps.requests.db).release(replaced, this.deps.now().toISOString());
    });
    return { sha256: stored.sha256, size: stored.size, dataBase64: Buffer.from(pdf).toString('base64') };
  }

  /** The refusal recorded for a request, if any (the latest). */
  ofRequest(requestId: string): CounterRefusal | null {
    const r = this.repo.ofRequest(requestId);
    return r ? toCounterRefusal(r) : null;
  }

  list(from: string, to: string, limit: number) {
    const [start, end] = dayRange(from, to);
    return { counts: this.repo.counts(start, end), items: this.repo.between(start, end, limit).map(toCounterRefusal) };
  }

  private serviceOrNull(id: string): Service | null {
    try {
      return this.deps.catalog.get(id);
    } catch {
      return null;
    }
  }

  private record(
    actor: Actor,
    r: { ground: RefusalGround; stage: 'counter' | 'sending'; kind: IdnKind; number: string; serviceId: string | null; subServiceId: string | null; requestId: string | null; documents: string[] | null },
    within?: (id: string) => void,
  ): string {
    const id = newId();
    const at = this.deps.now().toISOString();
    writeTx(this.deps.requests.db, () => {
      this.repo.insert({
        id,
        at,
        operator_id: actor.id,
        ground: r.ground,
        stage: r.stage,
        registry: r.ground === 'data_unavailable' ? REGISTRY[r.kind] : null,
        applicant_kind: r.kind,
        applicant_number: r.number,
        service_id: r.serviceId,
        sub_service_id: r.subServiceId,
        request_id: r.requestId,
        documents_json: r.documents ? JSON.stringify(r.documents) : null,
      });
      this.deps.requests.audit.append({
        actor: actor.id,
        action: 'refusal.recorded',
        subject: r.requestId ?? id,
        data: { refusalId: id, ground: r.ground, stage: r.stage, serviceId: r.serviceId, applicantKind: r.kind },
        personal: { applicant: `${r.kind}:${r.number}` },
      });
      within?.(id);
    });
    return id;
  }

  private paperInput(r: CounterRefusalRow, printedBy: string, language: Language): RefusalNoticeInput {
    const service = r.service_id ? this.serviceOrNull(r.service_id) : null;
    const request = r.request_id ? this.deps.requests.detail(r.request_id) : null;
    const sub = service?.subServices.find((s) => s.id === r.sub_service_id);
    const slotIds: string[] = r.documents_json ? (JSON.parse(r.documents_json) as string[]) : [];
    const names = slotIds.map((id): LocalizedText => service?.documents.find((d) => d.id === id)?.name ?? { kk: id, ru: id, en: id });
    const presented = request?.slots.filter((s) => s.presented && s.pages.length > 0 && !slotIds.includes(s.slotId)) ?? [];
    return {
      language,
      centre: this.deps.centre,
      operatorName: printedBy,
      applicant: {
        kind: r.applicant_kind === 'iin' ? 'individual' : 'legal_entity',
        ...(request?.applicant.name ? { name: request.applicant.name } : {}),
        iinOrBin: r.applicant_number ?? '000000000000',
      },
      service: service?.name ?? NO_SERVICE,
      ...(sub ? { subService: sub.name } : {}),
      refusedAt: new Date(r.at),
      ...(request ? { localNumber: request.localNumber } : {}),
      ground: r.ground,
      stage: r.stage,
      ...(r.registry ? { registry: r.registry } : {}),
      refusalId: r.id,
      missingDocuments: names,
      ...(presented.length ? { presentedDocuments: presented.map((s) => ({ name: s.name, form: s.original ? ('original' as const) : ('copy' as const), pages: s.pages.length })) } : {}),
      basis: service ? refusalBasis(this.deps.catalog, service, r.ground) : [],
      printedAt: this.deps.now(),
    };
  }
}

const NO_SERVICE: LocalizedText = { kk: 'Қызмет таңдалмаған', ru: 'Услуга не выбрана', en: 'No service chosen' };
