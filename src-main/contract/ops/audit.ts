/** The audit trail's views: the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { ApplicantKind, withIdnRules } from '../model.js';
import { IdnNumber } from './shared.js';

export const auditOps = {
  'audit.reads': operation({
    access: 'supervisor',
    summary: "Who read one applicant's data (look-ups, searches, pages, papers, results) and when, newest first.",
    input: withIdnRules(z.strictObject({ kind: ApplicantKind, number: IdnNumber })),
    output: z.strictObject({
      /** False when no applicant with that IIN/BIN is kept on this workstation. */
      known: z.boolean(),
      entries: z.array(
        z.strictObject({
          at: z.string(),
          action: z.enum(['read.applicant', 'read.search', 'read.pages', 'read.paper', 'read.result']),
          operator: z.strictObject({ id: z.string(), login: z.string().nullable(), name: z.string().nullable() }),
          requestId: z.string().nullable(),
          localNumber: z.string().nullable(),
          /** The paper's kind for read.paper (receipt, refusal), else null. */
          detail: z.string().nullable(),
        }),
      ),
    }),
  }),
} as const;
