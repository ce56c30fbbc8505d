/**
 * The test PKI (scripts/make-test-pki.sh), made once into test-results/pki, and the way the app's
 * tests trust it: the operator's RSA key, the test root, revocation judged offline from the CA's
 * CRL put into the workstation's cache (as an offline Centre's administrator would import it).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from '../../src-main/host/paths.js';
import { storeCrl } from '../../src-main/sign/index.js';

export interface TestPki {
  dir: string;
  operatorRsa: string;
  operatorEc: string;
  trustRoots: string;
  crlDer: string;
}

/** The CRL distribution point the script writes into operator certificates (default port). */
export const TEST_CRL_URL = 'http://127.0.0.1:47801/crl/intermediate.crl';

export function testPki(): TestPki {
  const dir = join(appRoot(), 'test-results', 'pki');
  const r = spawnSync('bash', [join(appRoot(), 'scripts', 'make-test-pki.sh'), dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, QAB_PKI_CRL_PORT: '47801', QAB_PKI_OCSP_PORT: '47802' },
  });
  if (r.status !== 0) throw new Error(`make-test-pki.sh failed: ${String(r.stderr)}`);
  return {
    dir,
    operatorRsa: join(dir, 'operator', 'rsa-valid.p12'),
    operatorEc: join(dir, 'operator', 'ec-valid.p12'),
    trustRoots: join(dir, 'ca', 'root.pem'),
    crlDer: join(dir, 'crl', 'intermediate.crl.der'),
  };
}

/** Environment that makes the app sign with the test operator's key. */
export function signingEnv(pki: TestPki, keystore = pki.operatorRsa): Record<string, string> {
  return {
    QABYLDAU_SIGNING__KEYSTORE_FILE: keystore,
    QABYLDAU_SIGNING__TRUST_ROOTS_FILE: pki.trustRoots,
    QABYLDAU_SIGNING__REVOCATION__MODE: 'offline',
    QABYLDAU_SIGNING__REVOCATION__OCSP: 'false',
  };
}

/** Puts the test CA's CRL into a data directory's cache, before the host starts. */
export async function preloadCrl(pki: TestPki, dataDir: string): Promise<void> {
  await storeCrl(join(dataDir, 'crl-cache'), TEST_CRL_URL, new Uint8Array(readFileSync(pki.crlDer)));
}
