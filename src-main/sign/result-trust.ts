/**
 * Trust in a provider-signed result (P9). A result is shown only when its detached CMS signature:
 *
 *   1. verifies over the PDF (SIGN_VERIFY_BAD_SIGNATURE, SIGN_VERIFY_MALFORMED);
 *   2. was made by a certificate chaining to THAT provider's own trust roots, the ones configured
 *      for the provider of the request's service; never any other root the workstation trusts
 *      (SIGN_RESULT_PROVIDER_UNKNOWN when the service has no provider configured,
 *      SIGN_VERIFY_UNTRUSTED when the chain does not end at one of its roots,
 *      SIGN_VERIFY_CERT_NOT_VALID_AT_SIGNING_TIME);
 *   3. by the expected signer: the subject's BIN (OU "BIN…") and/or the key purposes
 *      (every extended key usage listed, at least one of the certificate policies listed), as the
 *      provider's entry says (SIGN_RESULT_SIGNER_UNEXPECTED);
 *   4. whose certificate is not revoked, and no intermediate CA of its path is revoked, by OCSP or
 *      CRL as for operators' certificates (SIGN_RESULT_SIGNER_REVOKED,
 *      SIGN_RESULT_INTERMEDIATE_REVOKED; no answer: SIGN_CERT_REVOCATION_UNKNOWN).
 *
 * The certificates are judged at the CMS signing time (else the server's decision time); the
 * freshness of CRLs and OCSP answers at the workstation's now.
 */
import { AppError } from '../contract/errors.js';
import { silentLogger, type Logger } from '../host/logger-types.js';
import { checkPathRevocation } from './chain-revocation.js';
import { asCerts, verifyDetached, type VerifyResult } from './cms.js';
import type { Cert } from './certs.js';
import { RevocationChecker, type RevocationPolicy } from './revocation.js';

/** What a provider's results must look like: at least one of the three is required. */
export interface ResultSignerExpectation {
  /** The provider's BIN, as the signer certificate's subject carries it (OU "BIN…"). */
  bin?: string;
  /** Extended key usage OIDs the signer certificate must all carry. */
  extendedKeyUsage?: string[];
  /** Certificate policy OIDs: the signer certificate must carry at least one. */
  policies?: string[];
}

export interface ResultProvider {
  /** A short name for logs and support ("almaty-nature"). */
  id: string;
  /** The catalogue's service ids whose results this provider signs. */
  services: string[];
  /** This provider's own trust anchors (PEM text or DER). */
  trustRoots: Array<string | Uint8Array>;
  /** Its intermediate CAs, when its signatures do not carry them. */
  intermediates?: Array<string | Uint8Array>;
  expect: ResultSignerExpectation;
}

export interface ResultTrustContext {
  providers: ResultProvider[];
  revocation: RevocationPolicy;
  now: () => Date;
  logger?: Logger;
}

export interface ResultVerification extends VerifyResult {
  provider: string;
}

/** The provider configured for a service, or null. */
export function providerOf(providers: ResultProvider[], serviceId: string): ResultProvider | null {
  return providers.find((p) => p.services.includes(serviceId)) ?? null;
}

/** Which expectation the signer certificate fails, or null when it meets them all. */
export function unmetExpectation(cert: Cert, expect: ResultSignerExpectation): 'bin' | 'extendedKeyUsage' | 'policies' | null {
  if (expect.bin !== undefined && cert.bin !== expect.bin) return 'bin';
  if (expect.extendedKeyUsage?.length) {
    const eku = cert.extendedKeyUsage ?? [];
    if (!expect.extendedKeyUsage.every((oid) => eku.includes(oid))) return 'extendedKeyUsage';
  }
  if (expect.policies?.length) {
    const pol = cert.policies;
    if (!expect.policies.some((oid) => pol.includes(oid))) return 'policies';
  }
  return null;
}

export async function verifyProviderResult(
  data: Uint8Array,
  cms: Uint8Array,
  serviceId: string,
  ctx: ResultTrustContext,
  opts: { at?: Date } = {},
): Promise<ResultVerification> {
  const log = ctx.logger ?? silentLogger;
  const provider = providerOf(ctx.providers, serviceId);
  if (!provider) throw new AppError('SIGN_RESULT_PROVIDER_UNKNOWN');
  const v = await verifyDetached(data, cms, { trustRoots: provider.trustRoots, intermediates: provider.intermediates, at: opts.at });
  const path = v.path;
  const unmet = unmetExpectation(path[0]!, provider.expect);
  if (unmet) {
    log.warn({ provider: provider.id, serial: path[0]!.serialHex, unmet }, 'result signed by a certificate the provider does not sign results with');
    throw new AppError('SIGN_RESULT_SIGNER_UNEXPECTED', { what: unmet });
  }
  const now = ctx.now();
  const rev = await checkPathRevocation(path, new RevocationChecker(ctx.revocation, log), now, log);
  if (rev.revoked === 'leaf') throw new AppError('SIGN_RESULT_SIGNER_REVOKED');
  if (rev.revoked === 'intermediate') throw new AppError('SIGN_RESULT_INTERMEDIATE_REVOKED');
  log.info({ provider: provider.id, serial: path[0]!.serialHex, source: rev.leaf.source, intermediates: rev.intermediatesChecked }, 'result signature checked');
  return { ...v, provider: provider.id };
}

/** The certificates of a provider entry, parsed once (a wrong file stops the start, not a result). */
export function checkProvider(p: ResultProvider): void {
  if (asCerts(p.trustRoots).length === 0) throw new Error(`provider ${p.id}: no trust root`);
  asCerts(p.intermediates);
  if (p.expect.bin === undefined && !p.expect.extendedKeyUsage?.length && !p.expect.policies?.length) {
    throw new Error(`provider ${p.id}: expect needs a bin, extendedKeyUsage or policies`);
  }
}
