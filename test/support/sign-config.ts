/** SignService configuration over the test PKI, with the CRL put into an offline cache. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { storeCrl, type SignConfig } from '../../src-main/sign/index.js';
import { CENTRE_BIN, CRL_PORT, pkiFile, pkiText } from './sign-pki.js';

/** The moment the test CA issued its CRL: a "now" at which that CRL is fresh. */
export function crlIssuedAt(pki: string): Date {
  const out = execFileSync('openssl', ['crl', '-in', join(pki, 'crl/intermediate.crl.pem'), '-noout', '-lastupdate'], { encoding: 'utf8' });
  return new Date(/lastUpdate=(.*)/.exec(out)![1]!);
}

export async function offlineSignConfig(pki: string, cacheDir: string, over: Partial<SignConfig> = {}): Promise<SignConfig> {
  await storeCrl(cacheDir, `http://127.0.0.1:${CRL_PORT}/crl/intermediate.crl`, pkiFile(pki, 'crl/intermediate.crl.der'));
  return {
    provider: 'pkcs12',
    centreBin: CENTRE_BIN,
    trustRoots: [pkiText(pki, 'ca/root.pem')],
    resultTrustRoots: [pkiText(pki, 'provider/root.pem')],
    revocation: { mode: 'offline', ocsp: false, cacheDir, graceMs: 24 * 3600_000, timeoutMs: 2000 },
    ...over,
  };
}
