/**
 * What goes on the papers the applicant takes away, taken from the request as it was accepted:
 * the acceptance receipt (after signing; again once the registration number arrives), the
 * refusal to accept an incomplete package (before signing, listing what is missing), and the result
 * issuance sheet (P9: the result or the reasoned refusal handed over).
 */
import { AppError } from '../contract/errors.js';
import type { Language, RequestDetail, Service } from '../contract/model.js';
import { EDITABLE } from '../contract/lifecycle.js';
import { missingSlots, resultTypeOf } from '../contract/rules.js';
import { expectedResult, momentsOf } from './expected-result.js';
import type { Papers } from '../papers/papers-client.js';
import type { IssuanceSheetInput, ReceiptInput, RefusalNoticeInput } from '../papers/index.js';

export interface PaperContext {
  centre: { name: Record<Language, string>; address: Record<Language, string>; bin: string };
  operatorName: string;
  service: Service;
  docs: Papers;
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

/** The expected result date as the papers print it: the one deadline rule (expected-result.ts). */
function expectedOf(detail: RequestDetail, ctx: PaperContext) {
  const due = expectedResult(ctx.service, detail.subServiceId, momentsOf(detail.history), ctx.now, (a, r) => ctx.docs.expectedResult(a, r));
  return {
    date: due.date,
    rule: due.rule,
    provisional: due.provisional,
    estimated: due.estimated,
    ...(due.estimated ? {} : { registeredOn: due.countedFrom }),
    ...(due.refusalBy ? { refusalBy: due.refusalBy } : {}),
  };
}

export function receiptInput(detail: RequestDetail, language: Language, ctx: PaperContext): ReceiptInput {
  const acceptedAt = at(detail, 'queued');
  if (!acceptedAt) throw new AppError('REQUEST_STATE', { status: detail.status });
  const due = expectedOf(detail, ctx);
  return {
    ...header(detail, language, ctx),
    acceptedAt: new Date(acceptedAt),
    localNumber: detail.localNumber,
    ...(detail.registrationNumber ? { registrationNumber: detail.registrationNumber } : {}),
    documents: detail.slots
      .filter((s) => s.presented && s.pages.length > 0)
      .map((s) => ({ name: s.name, form: s.original ? ('original' as const) : ('copy' as const), pages: s.pages.length })),
    // Before registration the date is counted from acceptance and is an estimate.
    expectedResult: due,
  };
}

export function refusalNoticeInput(detail: RequestDetail, language: Language, ctx: PaperContext): RefusalNoticeInput {
  if (!EDITABLE.has(detail.status) && detail.status !== 'cancelled') {
    throw new AppError('REQUEST_STATE', { status: detail.status });
  }
  const missing = missingSlots(detail.slots);
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

/** The reasoned refusal handed over at the counter instead of a result (P8 → P9). */
const REASONED_REFUSAL = {
  kk: 'Мемлекеттік қызмет көрсетуден дәлелді бас тарту',
  ru: 'Мотивированный отказ в оказании государственной услуги',
  en: 'Reasoned refusal to provide the state service',
};

/**
 * The result issuance sheet: the result (or the reasoned refusal) handed to the applicant or the
 * representative, by the operator at the counter now (`ctx.operatorName`: who hands it over).
 */
export function issuanceSheetInput(
  detail: RequestDetail,
  recipient: 'applicant' | 'representative',
  language: Language,
  ctx: PaperContext,
): IssuanceSheetInput {
  if (detail.status !== 'result_ready' && detail.status !== 'refused') throw new AppError('REQUEST_STATE', { status: detail.status });
  const rep = detail.representative;
  if (recipient === 'representative' && !rep) throw new AppError('RESULT_NO_REPRESENTATIVE');
  return {
    ...header(detail, language, ctx),
    ...(rep
      ? {
          representative: {
            name: rep.name,
            iin: rep.iin,
            powerOfAttorney: { number: rep.powerOfAttorney.number, issuedOn: rep.powerOfAttorney.date, ...(rep.powerOfAttorney.notary ? { notary: rep.powerOfAttorney.notary } : {}) },
          },
        }
      : {}),
    issuedAt: ctx.now,
    localNumber: detail.localNumber,
    ...(detail.registrationNumber ? { registrationNumber: detail.registrationNumber } : {}),
    recipient,
    items: [{ name: detail.status === 'result_ready' ? resultTypeOf(ctx.service, detail.subServiceId) : REASONED_REFUSAL, form: 'electronic' }],
    expectedResult: expectedOf(detail, ctx),
  };
}
