/** The papers printed at the counter (receipt, refusal notice) and the expected result date: the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { Id, IsoDate, Language } from '../model.js';
import { PdfFile } from './shared.js';

/** A paper the operator prints for a request, in the language chosen for it (null: the applicant's language set on the request): a PDF. */
function requestPaper<const E extends string>(summary: string, errors: readonly E[]) {
  return operation({ access: 'operator', summary, input: z.strictObject({ requestId: Id, language: Language.nullable() }), output: PdfFile, errors });
}

export const papersOps = {
  'docs.receipt': requestPaper(
    "The acceptance receipt (қолхат / расписка) in the applicant's language; printed again once the registration number arrives.",
    ['REQUEST_STATE', 'DOCS_UNSUPPORTED_CHARACTER', 'DOCS_ASSETS_MISSING', 'CALENDAR_OUT_OF_RANGE', 'STORAGE_DISK_FULL'],
  ),
  'docs.refusalNotice': requestPaper(
    'The refusal to accept an incomplete package, naming the missing documents (before signing).',
    ['REQUEST_STATE', 'REQUEST_NOTHING_MISSING', 'DOCS_UNSUPPORTED_CHARACTER', 'DOCS_ASSETS_MISSING', 'STORAGE_DISK_FULL'],
  ),
  'docs.expectedResult': operation({
    access: 'operator',
    summary:
      "When the provider's decision is due, by the sub-service's own rule (unit, count, what it counts from) and the working-day calendar: for a request by its own moments, else as if accepted today.",
    input: z.strictObject({ serviceId: Id, subServiceId: Id.nullable(), requestId: Id.nullable().default(null) }),
    output: z.strictObject({
      date: IsoDate,
      /** The holiday calendar of a year the period touches is not final. */
      provisional: z.boolean(),
      /** What the period counts from has not happened yet. */
      estimated: z.boolean(),
      unit: z.enum(['calendar_days', 'working_days', 'months']),
      count: z.number().int(),
      countsFrom: z.enum(['registration', 'handover']),
      countedFrom: IsoDate,
      /** The last day of a reasoned refusal, where the sub-service's regulation gives that period. */
      refusalBy: z.strictObject({ date: IsoDate, unit: z.enum(['calendar_days', 'working_days', 'months']), count: z.number().int() }).nullable(),
    }),
    errors: ['CATALOG_UNKNOWN_SERVICE', 'CALENDAR_OUT_OF_RANGE'],
  }),
} as const;
