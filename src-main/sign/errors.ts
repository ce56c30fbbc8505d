/**
 * Every error code the signing module throws (as `AppError(code, params)`). Each one has a sentence
 * in src-renderer/i18n/{kk,ru,en}/errors/sign.json; test/unit/sign/i18n.test.ts keeps the two in step.
 * `params` never carry personal data: no IINs, BINs, names or key material.
 */
export const SIGN_ERROR_CODES = [
  // keystores
  'SIGN_WRONG_PASSWORD',
  'SIGN_KEYSTORE_CORRUPT',
  'SIGN_KEYSTORE_NO_KEY',
  'SIGN_KEYSTORE_UNSUPPORTED',
  'SIGN_GOST_NEEDS_NCALAYER',
  // checks on the operator's certificate before signing
  'SIGN_CERT_NOT_YET_VALID',
  'SIGN_CERT_EXPIRED',
  'SIGN_CERT_KEY_USAGE',
  'SIGN_CERT_UNTRUSTED',
  'SIGN_CERT_REVOKED',
  'SIGN_CERT_REVOCATION_UNKNOWN',
  'SIGN_CERT_IIN_MISMATCH',
  'SIGN_CERT_BIN_MISMATCH',
  'SIGN_CERT_INTERMEDIATE_REVOKED',
  // verification of a signature (provider-signed results, NCALayer output)
  'SIGN_VERIFY_BAD_SIGNATURE',
  'SIGN_VERIFY_UNTRUSTED',
  'SIGN_VERIFY_CERT_NOT_VALID_AT_SIGNING_TIME',
  'SIGN_VERIFY_MALFORMED',
  // trust in a provider-signed result (result-trust.ts)
  'SIGN_RESULT_PROVIDER_UNKNOWN',
  'SIGN_RESULT_SIGNER_UNEXPECTED',
  'SIGN_RESULT_SIGNER_REVOKED',
  'SIGN_RESULT_INTERMEDIATE_REVOKED',
  // NCALayer
  'SIGN_NCALAYER_NOT_RUNNING',
  'SIGN_NCALAYER_CANCELLED',
  'SIGN_NCALAYER_FAILED',
  'SIGN_NCALAYER_NOT_PINNED',
  'SIGN_NCALAYER_CERT_CHANGED',
  // bad input to the module
  'SIGN_MANIFEST_INVALID',
  // the workstation's signing set-up (raised by the host's signer, src-main/host/signer.ts)
  'SIGN_NO_KEYSTORE',
  'SIGN_NO_TRUST_ROOTS',
  'SIGN_NOT_PKCS12',
] as const;

export type SignErrorCode = (typeof SIGN_ERROR_CODES)[number];
