/**
 * The checks on the operator's certificate before signing (the portal's condition 2, applied to
 * the operator). The first failure is thrown, each with its own code:
 *
 *   SIGN_CERT_NOT_YET_VALID, SIGN_CERT_EXPIRED   validity period at `now`
 *   SIGN_CERT_KEY_USAGE                          keyUsage must include digitalSignature and nonRepudiation
 *   SIGN_CERT_UNTRUSTED                          a chain to the configured trust roots
 *   SIGN_CERT_IIN_MISMATCH                       subject serialNumber IIN… = the logged-in operator's IIN
 *   SIGN_CERT_BIN_MISMATCH                       an OU BIN… = the Centre's configured BIN
 *   SIGN_CERT_REVOKED, SIGN_CERT_REVOCATION_UNKNOWN   OCSP / CRL (see revocation.ts)
 *   SIGN_CERT_INTERMEDIATE_REVOKED               an intermediate CA of the path is revoked (chain-revocation.ts)
 *
 * The checks that need no network run first, so that a wrong key is reported at once rather than
 * after a revocation look-up that may take the whole timeout.
 */
import { AppError } from '../contract/errors.js';
import { silentLogger, type Logger } from '../host/logger-types.js';
import { buildPath, type Cert } from './certs.js';
import { checkPathRevocation } from './chain-revocation.js';
import { asCerts } from './cms.js';
import { RevocationChecker, type RevocationPolicy, type RevocationResult } from './revocation.js';

export interface CheckContext {
  /** IIN of the operator who is logged in. */
  operatorIin: string;
  /** BIN of the Centre, from configuration. */
  centreBin: string;
  /** Trust anchors: PEM text, DER, or parsed certificates. */
  trustRoots: Array<Cert | string | Uint8Array>;
  /** Intermediate CAs from configuration; the keystore's own chain is added by the caller. */
  intermediates?: Array<Cert | string | Uint8Array>;
  now: () => Date;
  revocation: RevocationPolicy;
  logger?: Logger;
}

export interface CheckResult {
  revocation: RevocationResult;
  /** Leaf first, ending with the trust anchor. */
  path: Cert[];
}

export async function checkSignerCertificate(cert: Cert, ctx: CheckContext): Promise<CheckResult> {
  const log = ctx.logger ?? silentLogger;
  const now = ctx.now();
  if (cert.isGost) throw new AppError('SIGN_GOST_NEEDS_NCALAYER');
  if (now < cert.notBefore) throw new AppError('SIGN_CERT_NOT_YET_VALID', { notBefore: cert.notBefore.toISOString() });
  if (now > cert.notAfter) throw new AppError('SIGN_CERT_EXPIRED', { notAfter: cert.notAfter.toISOString() });
  const ku = cert.keyUsage;
  if (!ku || !ku.has('digitalSignature') || !ku.has('nonRepudiation')) throw new AppError('SIGN_CERT_KEY_USAGE');
  const path = await buildPath(cert, asCerts(ctx.intermediates), asCerts(ctx.trustRoots), now);
  if (!path || path.length < 2) throw new AppError('SIGN_CERT_UNTRUSTED');
  if (cert.iin !== ctx.operatorIin) throw new AppError('SIGN_CERT_IIN_MISMATCH');
  if (cert.bin !== ctx.centreBin) throw new AppError('SIGN_CERT_BIN_MISMATCH');
  const chain = await checkPathRevocation(path, new RevocationChecker(ctx.revocation, log), now, log);
  if (chain.revoked === 'leaf') throw new AppError('SIGN_CERT_REVOKED');
  if (chain.revoked === 'intermediate') throw new AppError('SIGN_CERT_INTERMEDIATE_REVOKED');
  const revocation = chain.leaf;
  log.info({ source: revocation.source, serial: cert.serialHex }, 'signer certificate checked');
  return { revocation, path };
}
