/**
 * Revocation of a whole certification path, not only its leaf: every intermediate CA against the
 * CA above it, then the leaf against its issuer (an intermediate's CRL is its issuer's, e.g. the
 * root's authority revocation list), through the same OCSP / CRL checker. The trust anchor itself
 * is not checked (nothing above it could revoke it: it is removed from the configuration instead).
 *
 * An intermediate that names no CRL distribution point and no OCSP responder cannot be checked
 * (RFC 5280 allows such CAs): it is accepted and logged. One that names a source must get an
 * answer from it (SIGN_CERT_REVOCATION_UNKNOWN otherwise), exactly as the leaf must.
 */
import type { Logger } from '../host/logger-types.js';
import type { Cert } from './certs.js';
import type { RevocationChecker, RevocationResult } from './revocation.js';

export interface PathRevocation {
  /** The leaf's answer (or the revoked intermediate's). */
  leaf: RevocationResult;
  /** Which certificate of the path is revoked, if any (the first found, leaf first). */
  revoked: 'leaf' | 'intermediate' | null;
  /** How many intermediates were checked (those naming a source). */
  intermediatesChecked: number;
}

/**
 * `path` leaf first, ending with the trust anchor (buildPath). Checked from the top down: a revoked
 * intermediate is reported as such (its own CRL about the leaf would mean nothing).
 */
export async function checkPathRevocation(path: Cert[], checker: RevocationChecker, now: Date, log: Logger): Promise<PathRevocation> {
  let intermediatesChecked = 0;
  for (let i = path.length - 2; i >= 1; i--) {
    const ca = path[i]!;
    if (ca.crlUrls.length === 0 && ca.ocspUrls.length === 0) {
      log.warn({ serial: ca.serialHex }, 'an intermediate CA names no CRL or OCSP source: its revocation cannot be checked');
      continue;
    }
    const r = await checker.check(ca, path[i + 1]!, now);
    intermediatesChecked++;
    if (r.status === 'revoked') return { leaf: r, revoked: 'intermediate', intermediatesChecked };
  }
  const leaf = await checker.check(path[0]!, path[1]!, now);
  return { leaf, revoked: leaf.status === 'revoked' ? 'leaf' : null, intermediatesChecked };
}
