/** Signing a request into the outbox; the keystore: the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { Id, RequestDetail } from '../model.js';

/** Opening the operator's key (the keystore file, its password, the trust roots to check it by). */
const KEYSTORE_ERRORS = [
  'SIGN_NO_KEYSTORE',
  'SIGN_NO_TRUST_ROOTS',
  'SIGN_WRONG_PASSWORD',
  'SIGN_KEYSTORE_CORRUPT',
  'SIGN_KEYSTORE_NO_KEY',
  'SIGN_KEYSTORE_UNSUPPORTED',
  'SIGN_GOST_NEEDS_NCALAYER',
] as const;

/** The signer certificate's checks (sign/check.ts), the same before signing and in keystoreInfo. */
const CERTIFICATE_ERRORS = [
  'SIGN_CERT_EXPIRED',
  'SIGN_CERT_NOT_YET_VALID',
  'SIGN_CERT_IIN_MISMATCH',
  'SIGN_CERT_BIN_MISMATCH',
  'SIGN_CERT_KEY_USAGE',
  'SIGN_CERT_UNTRUSTED',
  'SIGN_CERT_REVOKED',
  'SIGN_CERT_REVOCATION_UNKNOWN',
  'SIGN_CERT_INTERMEDIATE_REVOKED',
] as const;

export const signingOps = {
  'request.sign': operation({
    access: 'operator',
    summary: "P5: sign the completed request with the operator's key and queue it for sending.",
    input: z.strictObject({ requestId: Id, password: z.string().min(1).max(256) }),
    output: RequestDetail,
    errors: [
      'REQUEST_STATE',
      'REQUEST_INCOMPLETE',
      'REPRESENTATIVE_NOT_CONFIRMED',
      'REPRESENTATIVE_POA_PAPER_MISSING',
      'AUTH_OPERATOR_NO_IIN',
      ...KEYSTORE_ERRORS,
      'SIGN_MANIFEST_INVALID',
      ...CERTIFICATE_ERRORS,
      'SIGN_NCALAYER_NOT_RUNNING',
      'SIGN_NCALAYER_CANCELLED',
      'SIGN_NCALAYER_FAILED',
      'SIGN_NCALAYER_NOT_PINNED',
      'SIGN_NCALAYER_CERT_CHANGED',
    ],
  }),

  'sign.keystoreInfo': operation({
    access: 'operator',
    summary: "Opens the operator's key with the password and runs every certificate check, without signing.",
    input: z.strictObject({ password: z.string().min(1).max(256) }),
    output: z.strictObject({
      signer: z.strictObject({ subjectCn: z.string(), serial: z.string(), iin: z.string().nullable(), bin: z.string().nullable(), notAfter: z.string() }),
      revocation: z.enum(['ocsp', 'crl', 'crl-cache', 'crl-grace']),
    }),
    errors: [
      'AUTH_OPERATOR_NO_IIN',
      'SIGN_NOT_PKCS12',
      ...KEYSTORE_ERRORS,
      ...CERTIFICATE_ERRORS,
    ],
  }),
} as const;
