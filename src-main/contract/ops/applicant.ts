/** The applicant's registry look-up (P3): the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { IDN_CODES } from '../idn.js';
import { Applicant, ApplicantKind, Id, withIdnRules } from '../model.js';
import { IdnNumber } from './shared.js';

export const applicantOps = {
  'applicant.lookup': operation({
    access: 'operator',
    summary: 'P3/C1: look the applicant up in the state registry by IIN or BIN.',
    input: withIdnRules(z.strictObject({ kind: ApplicantKind, number: IdnNumber, serviceId: Id.optional(), subServiceId: Id.nullable().optional() })),
    output: z.strictObject({ applicant: Applicant }),
    errors: [...IDN_CODES, 'APPLICANT_NOT_FOUND', 'REGISTRY_UNAVAILABLE', 'REGISTRY_BAD_RESPONSE'],
  }),

} as const;
