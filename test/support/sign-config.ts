/** SignService configuration over the test PKI, with the CRL put into an offline cache. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { storeCrl, type ResultProvider, type SignConfig } from '../../src-main/sign/index.js';
import { CENTRE_BIN, CRL_PORT, pkiFile, pkiText, REPO } from './sign-pki.js';

/** The provider's BIN in the test PKI's result signer (provider/signer.pem). */
export const PROVIDER_BIN = '150240012347';
/** The certificate policy the test provider's signers carry. */
export const PROVIDER_POLICY = '1.2.398.3.3.4.1.2';
export const OID_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';

/** Every service id of the catalogue: the test provider signs the results of all of them. */
export function catalogueServiceIds(): string[] {
  const cat = JSON.parse(readFileSync(join(REPO, 'assets/catalog/services.json'), 'utf8')) as { services: { id: string }[] };
  return cat.services.map((s) => s.id);
}

/** The test provider's result trust: its own root, its BIN, emailProtection and its policy. */
export function testResultProviders(pki: string, over: Partial<ResultProvider> = {}): ResultProvider[] {
  return [
    {
      id: 'test-provider',
      services: catalogueServiceIds(),
      trustRoots: [pkiText(pki, 'provider/root.pem')],
      expect: { bin: PROVIDER_BIN, extendedKeyUsage: [OID_EMAIL_PROTECTION], policies: [PROVIDER_POLICY] },
      ...over,
    },
  ];
}

/** Puts the test provider's CRLs (its root's and its intermediate's) into a revocation cache. */
export async function storeProviderCrls(pki: string, cacheDir: string): Promise<void> {
  for (const name of ['root', 'intermediate']) {
    await storeCrl(cacheDir, `http://127.0.0.1:${CRL_PORT}/crl/provider-${name}.crl`, pkiFile(pki, `crl/provider-${name}.crl.der`));
  }
}

/** The moment the test CA issued its CRL: a "now" at which that CRL is fresh. */
export function crlIssuedAt(pki: string): Date {
  const out = execFileSync('openssl', ['crl', '-in', join(pki, 'crl/intermediate.crl.pem'), '-noout', '-lastupdate'], { encoding: 'utf8' });
  return new Date(/lastUpdate=(.*)/.exec(out)![1]!);
}

export async function offlineSignConfig(pki: string, cacheDir: string, over: Partial<SignConfig> = {}): Promise<SignConfig> {
  await storeCrl(cacheDir, `http://127.0.0.1:${CRL_PORT}/crl/intermediate.crl`, pkiFile(pki, 'crl/intermediate.crl.der'));
  await storeProviderCrls(pki, cacheDir);
  return {
    provider: 'pkcs12',
    centreBin: CENTRE_BIN,
    trustRoots: [pkiText(pki, 'ca/root.pem')],
    resultProviders: testResultProviders(pki),
    revocation: { mode: 'offline', ocsp: false, cacheDir, graceMs: 24 * 3600_000, timeoutMs: 2000 },
    ...over,
  };
}
