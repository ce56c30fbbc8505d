/** Runs openssl as the independent verifier of what the signing module makes. */
import { spawnSync } from 'node:child_process';

export interface OpensslResult {
  ok: boolean;
  output: string;
}

export function openssl(args: string[]): OpensslResult {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/**
 * `openssl cms -verify` of a detached DER signature over `contentFile`. Only the root is given as
 * trusted: the intermediate has to come from the certificates the signature carries. No
 * `-purpose any`, no `-no_signer_cert_verify`: the signer certificate must pass openssl's S/MIME
 * signing checks (key usage, extended key usage) as well.
 */
export function opensslCmsVerify(cmsFile: string, contentFile: string, rootFile: string): OpensslResult {
  return openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', cmsFile, '-content', contentFile, '-CAfile', rootFile, '-out', '/dev/null']);
}
