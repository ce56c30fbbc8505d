/** What came back (P8, P9) and handing it over: the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { Id, Sha256, Language, LocalizedText, RequestStatus } from '../model.js';
import { PdfFile } from './shared.js';

export const resultOps = {
  'result.get': operation({
    access: 'operator',
    summary: "P8/P9: the provider's decision: refusal reasons as sent, or the result with its signature check; the PDF only when its provider signature is valid.",
    input: z.strictObject({ requestId: Id }),
    output: z.strictObject({
      requestId: z.string(),
      status: RequestStatus,
      registrationNumber: z.string().nullable(),
      decidedAt: z.string().nullable(),
      refusal: z.strictObject({ reasons: z.array(z.strictObject({ code: z.string(), text: LocalizedText })) }).nullable(),
      result: z
        .strictObject({
          sha256: Sha256,
          size: z.number().int(),
          verification: z.enum(['valid', 'invalid', 'unverified']),
          /** Why it is not valid (a SIGN_VERIFY_* code), or null. */
          verificationCode: z.string().nullable(),
          signerCn: z.string().nullable(),
          signedAt: z.string().nullable(),
          receivedAt: z.string(),
        })
        .nullable(),
      /** The provider-signed PDF: present only when its signature verifies. */
      pdf: PdfFile.nullable(),
      issued: z.strictObject({ at: z.string(), recipient: z.enum(['applicant', 'representative']) }).nullable(),
    }),
    errors: ['NOT_FOUND'],
  }),
  'request.issue': operation({
    access: 'operator',
    summary: 'P9: hand the result (or the reasoned refusal) to the applicant or the representative: records it, queues the acknowledgement and makes the issuance sheet.',
    input: z.strictObject({ requestId: Id, recipient: z.enum(['applicant', 'representative']), language: Language }),
    output: PdfFile,
    errors: ['REQUEST_STATE', 'RESULT_NO_REPRESENTATIVE', 'DOCS_UNSUPPORTED_CHARACTER', 'DOCS_ASSETS_MISSING', 'STORAGE_DISK_FULL'],
  }),
} as const;
