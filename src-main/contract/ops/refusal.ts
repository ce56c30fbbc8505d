/**
 * Refusals at the counter as records (issue 13, items 3 and 7): P4 "data cannot be obtained"
 * (recorded by `applicant.lookup` when the registry has no such applicant), and the refusal to
 * accept documents (an incomplete package, or documents whose validity has expired). Each is
 * stored, counted, and printed for the applicant in kk or ru as a paper naming its ground.
 * The operations of this domain (composed in ../operations.ts).
 */
import { z } from 'zod';
import { operation } from '../define.js';
import { Id, IsoDate, IsoDateTime, Language, RequestDetail } from '../model.js';
import { PdfFile } from './shared.js';

export const RefusalGround = z.enum(['data_unavailable', 'incomplete', 'expired']);
export type RefusalGround = z.infer<typeof RefusalGround>;

export const CounterRefusal = z.strictObject({
  id: Id,
  at: IsoDateTime,
  operatorId: z.string(),
  ground: RefusalGround,
  /** 'counter': at the look-up or the documents; 'sending': an offline request's look-up before sending found nothing. */
  stage: z.enum(['counter', 'sending']),
  registry: z.enum(['individuals', 'entities']).nullable(),
  serviceId: z.string().nullable(),
  subServiceId: z.string().nullable(),
  requestId: z.string().nullable(),
  /** The paper printed for the applicant (its file), once printed. */
  paperSha256: z.string().nullable(),
});
export type CounterRefusal = z.infer<typeof CounterRefusal>;

export const refusalOps = {
  'request.refuse': operation({
    access: 'operator',
    summary:
      'Refuse to accept the documents on a legal ground: the package is incomplete, or documents are expired (marked with request.setDocument). Records the refusal and cancels the request.',
    input: z.strictObject({ requestId: Id, ground: z.enum(['incomplete', 'expired']) }),
    output: z.strictObject({ refusal: CounterRefusal, request: RequestDetail }),
    errors: ['REQUEST_STATE', 'REQUEST_NOTHING_MISSING', 'REQUEST_NOTHING_EXPIRED'],
  }),
  'refusal.paper': operation({
    access: 'operator',
    summary: "The refusal's paper for the applicant (kk or ru): the reasoned refusal of P4, or the refusal to accept documents, naming its legal ground.",
    input: z.strictObject({ refusalId: Id, language: Language }),
    output: PdfFile,
    errors: ['DOCS_UNSUPPORTED_CHARACTER', 'DOCS_ASSETS_MISSING', 'STORAGE_DISK_FULL'],
  }),
  'refusal.ofRequest': operation({
    access: 'operator',
    summary: "The refusal recorded for a request (P4 found at sending, or documents refused), for its paper; null when none.",
    input: z.strictObject({ requestId: Id }),
    output: z.strictObject({ refusal: CounterRefusal.nullable() }),
  }),
  'refusal.list': operation({
    access: 'supervisor',
    summary: "The counter's refusals between two dates (Kazakhstan's days, both included), with their counts by ground.",
    input: z.strictObject({ from: IsoDate, to: IsoDate, limit: z.number().int().min(1).max(5000).default(500) }),
    output: z.strictObject({
      counts: z.strictObject({ data_unavailable: z.number().int(), incomplete: z.number().int(), expired: z.number().int() }),
      items: z.array(CounterRefusal),
    }),
  }),
} as const;
