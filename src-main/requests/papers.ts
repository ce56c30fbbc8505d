/**
 * What goes on the papers the applicant takes away, taken from the request as it was accepted:
 * the acceptance receipt (after signing; again once the registration number arrives) and the
 * refusal to accept an incomplete package (before signing, listing what is missing).
 */
import { AppError } from '../contract/errors.js';
import type { Language, RequestDetail, Service } from '../contract/model.js';
import type { Docs } from '../docs/docs-client.js';
import type { ReceiptInput, RefusalNoticeInput } from '../docs/index.js';

export interface PaperContext {
  centre: { name: Record<Language, string>; address: Record<Language, string>; bin: string };
  operatorName: string;
  service: Service;
  docs: Docs;
  now: Date;
}

function header(detail: RequestDetail, language: Language, ctx: PaperContext) {
  const sub = ctx.service.subServices.find((s) => s.id === detail.subServiceId);
  return {
    language,
    centre: ctx.centre,
    operatorName: ctx.operatorName,
    applicant: {
      kind: detail.applicant.kind === 'iin' ? ('individual' as const) : ('legal_entity' as const),
      name: detail.applicant.name,
      iinOrBin: detail.applicant.number,
    },
    service: ctx.service.name,
    ...(sub ? { subService: sub.name } : {}),
    printedAt: ctx.now,
  };
}

const at = (detail: RequestDetail, status: string) => detail.history.find((h) => h.status === status)?.at ?? null;

export function receiptInput(detail: RequestDetail, language: Language, ctx: PaperContext): ReceiptInput {
  const acceptedAt = at(detail, 'queued');
  if (!acceptedAt) throw new AppError('REQUEST_STATE', { status: detail.status });
  const registeredAt = at(detail, 'registered');
  const sub = ctx.service.subServices.find((s) => s.id === detail.subServiceId);
  const rule = sub?.deadline ?? { unit: 'months' as const, count: 1 };
  const due = ctx.docs.expectedResult(new Date(registeredAt ?? acceptedAt), rule);
  return {
    ...header(detail, language, ctx),
    acceptedAt: new Date(acceptedAt),
    localNumber: detail.localNumber,
    ...(detail.registrationNumber ? { registrationNumber: detail.registrationNumber } : {}),
    documents: detail.slots
      .filter((s) => s.presented && s.pages.length > 0)
      .map((s) => ({ name: s.name, form: s.original ? ('original' as const) : ('copy' as const), pages: s.pages.length })),
    // Before registration the date is counted from acceptance and is an estimate.
    expectedResult: { date: due.date, rule: due.rule, provisional: due.provisional || !registeredAt, ...(registeredAt ? { registeredOn: due.registeredOn } : {}) },
  };
}

export function refusalNoticeInput(detail: RequestDetail, language: Language, ctx: PaperContext): RefusalNoticeInput {
  if (!['draft', 'applicant_verified', 'applicant_unverified', 'documents_complete', 'cancelled'].includes(detail.status)) {
    throw new AppError('REQUEST_STATE', { status: detail.status });
  }
  const missing = detail.slots.filter((s) => s.required && (!s.presented || s.pages.length === 0));
  if (missing.length === 0) throw new AppError('REQUEST_NOTHING_MISSING');
  const presented = detail.slots.filter((s) => s.presented && s.pages.length > 0);
  return {
    ...header(detail, language, ctx),
    refusedAt: ctx.now,
    localNumber: detail.localNumber,
    missingDocuments: missing.map((s) => s.name),
    ...(presented.length
      ? { presentedDocuments: presented.map((s) => ({ name: s.name, form: s.original ? ('original' as const) : ('copy' as const), pages: s.pages.length })) }
      : {}),
  };
}
