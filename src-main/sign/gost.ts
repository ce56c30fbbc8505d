/**
 * GOST algorithms cannot be used in Node's crypto (neither OpenSSL's default provider nor Electron's
 * BoringSSL implement them). We only recognise their object identifiers so that the operator is told
 * to sign through NCALayer instead of seeing a generic failure.
 *
 * - Kazakhstan (NCA RK, Kalkan): arc 1.2.398.3.10 — e.g. 1.2.398.3.10.1.1.1.1 GOST 34.310-2004 keys,
 *   1.2.398.3.10.1.1.1.2 GOST 34.310 with GOST 34.311 signatures, 1.2.398.3.10.1.3.1 GOST 34.311 hash,
 *   1.2.398.3.10.1.1.2.* the 2015 curves.
 * - Russia: arc 1.2.643 — GOST R 34.10/34.11-2001 (1.2.643.2.2.*) and -2012 (1.2.643.7.1.*).
 */
export const GOST_OID_PREFIXES = ['1.2.398.3.10.', '1.2.643.'] as const;

export function isGostOid(oid: string): boolean {
  return GOST_OID_PREFIXES.some((p) => oid.startsWith(p));
}
