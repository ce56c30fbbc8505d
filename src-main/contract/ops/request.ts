/** Requests: create, read, documents, search, cancel, re-open, representative, send again: the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { IDN_CODES } from '../idn.js';
import { ApplicantKind, ApplicantLanguage, Id, withIdnRules, Representative, RequestDetail, RequestStatus, RequestSummary, WorklistItem } from '../model.js';
import { IdnNumber } from './shared.js';

export const requestOps = {
  'request.create': operation({
    access: 'operator',
    summary: 'P2: open a request for a service and an applicant (verified by look-up, or entered by hand offline).',
    input: z.strictObject({
      serviceId: Id,
      subServiceId: Id.nullable(),
      applicant: withIdnRules(
        z.strictObject({
          kind: ApplicantKind,
          number: IdnNumber,
          /** Only when the registry could not be reached: the name as the operator typed it. */
          manualName: z.string().trim().min(2).max(300).nullable(),
        }),
      ),
      /** The applicant's language for the papers (Kazakh when absent). */
      applicantLanguage: ApplicantLanguage.optional(),
    }),
    output: RequestDetail,
    errors: [...IDN_CODES, 'APPLICANT_NOT_LOOKED_UP', 'CATALOG_UNKNOWN_SERVICE', 'CATALOG_NOT_AT_CENTRE', 'CATALOG_ACT_REPEALED', 'CATALOG_ACT_NOT_IN_FORCE'],
  }),
  'request.get': operation({
    access: 'operator',
    summary: 'One request with its applicant, documents, pages, signature and history.',
    input: z.strictObject({ id: Id }),
    output: RequestDetail,
  }),
  'request.list': operation({
    access: 'operator',
    summary: 'Recent requests, newest first.',
    input: z.strictObject({
      status: RequestStatus.nullable().default(null),
      limit: z.number().int().min(1).max(500).default(50),
    }),
    output: z.strictObject({ items: z.array(RequestSummary) }),
  }),
  'request.setDocument': operation({
    access: 'operator',
    summary: 'P5: mark whether a paper document was presented, whether it is the original, and whether its validity has expired.',
    input: z.strictObject({ requestId: Id, slotId: Id, presented: z.boolean(), original: z.boolean(), expired: z.boolean().optional() }),
    output: RequestDetail,
    errors: ['REQUEST_STATE', 'REQUEST_UNKNOWN_SLOT'],
  }),
  'request.search': operation({
    access: 'operator',
    summary: 'Find requests by local number (or its beginning), registration number, full IIN/BIN, status and creation dates; newest first.',
    input: z.strictObject({
      status: RequestStatus.nullable().default(null),
      localNumber: z.string().regex(/^[A-Z0-9-]{1,40}$/, 'local number').nullable().default(null),
      registrationNumber: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'registration number').nullable().default(null),
      applicant: withIdnRules(z.strictObject({ kind: ApplicantKind, number: IdnNumber })).nullable().default(null),
      createdFrom: z.iso.datetime({ offset: true }).nullable().default(null),
      createdTo: z.iso.datetime({ offset: true }).nullable().default(null),
      limit: z.number().int().min(1).max(500).default(50),
    }),
    output: z.strictObject({ items: z.array(RequestSummary) }),
  }),
  'request.worklist': operation({
    access: 'operator',
    summary: "The operator's work list: the newest requests with when each was accepted and when its decision is due (the one deadline rule).",
    input: z.strictObject({ limit: z.number().int().min(1).max(500).default(200) }),
    output: z.strictObject({ items: z.array(WorklistItem) }),
  }),
  'request.setApplicantLanguage': operation({
    access: 'operator',
    summary: "The applicant's language (kk or ru) for the receipt and the other papers handed over; at any status.",
    input: z.strictObject({ requestId: Id, language: ApplicantLanguage }),
    output: RequestDetail,
  }),
  'request.cancel': operation({
    access: 'operator',
    summary: 'Cancel a request that is not signed (the applicant withdrew, or P4 after a re-open).',
    input: z.strictObject({ requestId: Id }),
    output: RequestDetail,
    errors: ['REQUEST_STATE'],
  }),
  'request.reopen': operation({
    access: 'operator',
    summary: 'Re-open a request that needs attention so it can be corrected and signed again (only if the backend never accepted it).',
    input: z.strictObject({ requestId: Id }),
    output: RequestDetail,
    errors: ['REQUEST_STATE', 'REQUEST_OUTCOME_UNKNOWN'],
  }),
  'request.setRepresentative': operation({
    access: 'operator',
    summary: 'P3: the representative acting for the applicant under a power of attorney (null removes it); before signing.',
    input: z.strictObject({ requestId: Id, representative: Representative.nullable() }),
    output: RequestDetail,
    errors: ['REQUEST_STATE', 'REQUEST_REPRESENTATIVE_INVALID', ...IDN_CODES],
  }),
  'request.verifyRepresentative': operation({
    access: 'operator',
    summary: "P3: check the representative's power of attorney in the unified notarial system (БНАЖ).",
    input: z.strictObject({ requestId: Id }),
    output: RequestDetail,
    errors: ['REQUEST_STATE', 'REPRESENTATIVE_POA_NOT_FOUND', 'REPRESENTATIVE_POA_EXPIRED', 'REPRESENTATIVE_POA_REVOKED', 'REGISTRY_UNAVAILABLE', 'REGISTRY_BAD_RESPONSE'],
  }),
  'request.representativeException': operation({
    access: 'operator',
    summary:
      'P3: the power of attorney was certified otherwise than by a notary, so БНАЖ cannot confirm it (seed 002); its paper original is then scanned (null withdraws it). Before signing.',
    input: z.strictObject({ requestId: Id, exception: z.enum(['certified_otherwise']).nullable() }),
    output: RequestDetail,
    errors: ['REQUEST_STATE'],
  }),
  'request.requeue': operation({
    access: 'operator',
    summary: 'Send a request that needs attention again, with the same key (when what stopped it is fixed and it was never refused).',
    input: z.strictObject({ requestId: Id }),
    output: RequestDetail,
    errors: ['REQUEST_STATE'],
  }),
} as const;
