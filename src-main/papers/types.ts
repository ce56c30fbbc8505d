/**
 * What the host gives the papers: already-resolved data. Names of services and documents come
 * from the catalogue as { kk, ru } pairs (en optional); the expected result date comes from the
 * working-day calendar; the paper's language is the applicant's choice.
 *
 * The zod schemas are exported so that the contract can reuse them.
 */
import { z } from 'zod';

const text = z.string().trim().min(1).max(2000);
const twelveDigits = z.string().regex(/^\d{12}$/);
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const localizedSchema = z.object({ kk: text, ru: text, en: text.optional() });
export type Localized = z.infer<typeof localizedSchema>;

export const paperLanguageSchema = z.enum(['kk', 'ru', 'en']);

export const centreSchema = z.object({
  name: localizedSchema,
  address: localizedSchema,
  bin: twelveDigits,
});

export const applicantSchema = z.object({
  kind: z.enum(['individual', 'legal_entity']),
  /** As in the state database: one string, or a legal entity's name in both languages. */
  name: z.union([text, localizedSchema]),
  iinOrBin: twelveDigits,
});

export const powerOfAttorneySchema = z.object({
  number: text,
  issuedOn: localDate,
  validUntil: localDate.optional(),
  /** The notary, as found in the notarial system (БНАЖ). */
  notary: text.optional(),
});

export const representativeSchema = z.object({
  name: text,
  iin: twelveDigits,
  powerOfAttorney: powerOfAttorneySchema,
});

export const deadlineRuleSchema = z.object({
  unit: z.enum(['calendar_days', 'working_days', 'months']),
  count: z.number().int().min(0).max(3660),
  /** What the period counts from, by the sub-service's regulation (registration when not said). */
  countsFrom: z.enum(['registration', 'handover']).optional(),
});

/**
 * The expected result date (src-main/requests/expected-result.ts). `estimated`: what the period
 * counts from has not happened yet; `provisional`: the holiday calendar of a year it touches is
 * not final. registeredOn: the date counted from, when it is known.
 */
export const expectedResultSchema = z.object({
  date: localDate,
  rule: deadlineRuleSchema,
  provisional: z.boolean(),
  estimated: z.boolean().optional(),
  registeredOn: localDate.optional(),
  /** The last day of a reasoned refusal, where the regulation gives that period. */
  refusalBy: z.object({ date: localDate, unit: z.enum(['calendar_days', 'working_days', 'months']), count: z.number().int().min(1) }).optional(),
});

export const acceptedDocumentSchema = z.object({
  name: localizedSchema,
  form: z.enum(['original', 'copy']),
  pages: z.number().int().min(1).max(100_000),
});

const common = {
  language: paperLanguageSchema,
  centre: centreSchema,
  operatorName: text,
  applicant: applicantSchema,
  representative: representativeSchema.optional(),
  service: localizedSchema,
  subService: localizedSchema.optional(),
  /** When this copy is printed (a receipt can be printed again once registered). */
  printedAt: z.date().optional(),
};

export const receiptInputSchema = z.object({
  ...common,
  acceptedAt: z.date(),
  localNumber: text,
  registrationNumber: text.optional(),
  documents: z.array(acceptedDocumentSchema).min(1).max(500),
  expectedResult: expectedResultSchema,
  /** Overrides the standard status-check wording (egov.kz, the Centre, 1414). */
  statusCheck: localizedSchema.optional(),
});
export type ReceiptInput = z.infer<typeof receiptInputSchema>;

/**
 * A refusal at the counter, on its ground: 'incomplete' (the default: missing documents listed),
 * 'expired' (documents whose validity has expired, listed), or 'data_unavailable' (P4: the
 * applicant is absent from the state registry `registry`; no documents, and the name may be
 * unknown). `basis`: the act and paragraph giving the ground; `refusalId`: the record's id.
 */
export const refusalNoticeInputSchema = z
  .object({
    ...common,
    applicant: applicantSchema.extend({ name: z.union([text, localizedSchema]).optional() }),
    refusedAt: z.date(),
    localNumber: text.optional(),
    ground: z.enum(['incomplete', 'expired', 'data_unavailable']).default('incomplete'),
    stage: z.enum(['counter', 'sending']).default('counter'),
    registry: z.enum(['individuals', 'entities']).optional(),
    refusalId: text.optional(),
    missingDocuments: z.array(localizedSchema).max(500),
    presentedDocuments: z.array(acceptedDocumentSchema).max(500).optional(),
    basis: z.array(localizedSchema).max(10).optional(),
  })
  .refine((r) => r.ground === 'data_unavailable' || r.missingDocuments.length > 0, { path: ['missingDocuments'], message: 'names the documents' })
  .refine((r) => r.ground !== 'data_unavailable' || r.registry !== undefined, { path: ['registry'], message: 'names the registry' });
export type RefusalNoticeInput = z.input<typeof refusalNoticeInputSchema>;

export const issuedItemSchema = z.object({
  name: localizedSchema,
  form: z.enum(['original', 'copy', 'electronic']),
  copies: z.number().int().min(1).max(1000).optional(),
  pages: z.number().int().min(1).max(100_000).optional(),
});

export const issuanceSheetInputSchema = z.object({
  ...common,
  issuedAt: z.date(),
  localNumber: text,
  registrationNumber: text.optional(),
  /** Who took the result: the applicant, or the representative (then `representative` is required). */
  recipient: z.enum(['applicant', 'representative']),
  items: z.array(issuedItemSchema).min(1).max(500),
  /** When the decision was due, by the same rule as the receipt. */
  expectedResult: expectedResultSchema.optional(),
});
export type IssuanceSheetInput = z.infer<typeof issuanceSheetInputSchema>;
