/**
 * The test PKI (scripts/make-test-pki.sh, built once by sign-pki.ts), and the way the app's
 * tests trust it: the operator's RSA key, the test root, revocation judged offline from the CA's
 * CRL put into the workstation's cache (as an offline Centre's administrator would import it).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { storeCrl } from '../../src-main/sign/index.js';
import { storeProviderCrls, testResultProviders } from './sign-config.js';
import { testPki as buildTestPki } from './sign-pki.js';

export interface TestPki {
  dir: string;
  operatorRsa: string;
  operatorEc: string;
  trustRoots: string;
  crlDer: string;
  /** TLS: the CA of both ends, the sandbox's server certificate, the workstation's client certificate. */
  tls: { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string; clientP12: string };
  /** The provider's signer (results) and its chain and root. */
  provider: { cert: string; key: string; chain: string; root: string };
}

/** The CRL distribution point the script writes into operator certificates (default port). */
export const TEST_CRL_URL = 'http://127.0.0.1:27801/crl/intermediate.crl';

/** The test PKI, built once per version of the script and shared by every test file (race-free). */
export function testPki(): TestPki {
  const dir = buildTestPki();
  return {
    dir,
    operatorRsa: join(dir, 'operator', 'rsa-valid.p12'),
    operatorEc: join(dir, 'operator', 'ec-valid.p12'),
    trustRoots: join(dir, 'ca', 'root.pem'),
    crlDer: join(dir, 'crl', 'intermediate.crl.der'),
    tls: {
      ca: join(dir, 'tls', 'ca.pem'),
      serverCert: join(dir, 'tls', 'server.pem'),
      serverKey: join(dir, 'tls', 'server.key.pem'),
      clientCert: join(dir, 'tls', 'client.pem'),
      clientKey: join(dir, 'tls', 'client.key.pem'),
      clientP12: join(dir, 'tls', 'client.p12'),
    },
    provider: {
      cert: join(dir, 'provider', 'signer.pem'),
      key: join(dir, 'provider', 'signer.key.pem'),
      chain: join(dir, 'provider', 'chain.pem'),
      root: join(dir, 'provider', 'root.pem'),
    },
  };
}

/** Environment that makes the app speak mutual TLS to the sandbox with the test PKI. */
export function backendTlsEnv(pki: TestPki): Record<string, string> {
  return {
    QABYLDAU_BACKEND__CA_FILE: pki.tls.ca,
    QABYLDAU_BACKEND__CLIENT_CERT_FILE: pki.tls.clientCert,
    QABYLDAU_BACKEND__CLIENT_KEY_FILE: pki.tls.clientKey,
  };
}

/** Environment that makes the app sign with the test operator's key. */
export function signingEnv(pki: TestPki, keystore = pki.operatorRsa): Record<string, string> {
  return {
    QABYLDAU_SIGNING__KEYSTORE_FILE: keystore,
    QABYLDAU_SIGNING__TRUST_ROOTS_FILE: pki.trustRoots,
    // Provider-signed results verify against the test provider's own root, BIN and key purpose.
    QABYLDAU_SIGNING__RESULT_PROVIDERS_FILE: resultProvidersFile(pki),
    QABYLDAU_SIGNING__REVOCATION__MODE: 'offline',
    QABYLDAU_SIGNING__REVOCATION__OCSP: 'false',
  };
}

/** Puts the test CAs' CRLs (operators' and the provider's) into a data directory's cache, before the host starts. */
export async function preloadCrl(pki: TestPki, dataDir: string): Promise<void> {
  await storeCrl(join(dataDir, 'crl-cache'), TEST_CRL_URL, new Uint8Array(readFileSync(pki.crlDer)));
  await storeProviderCrls(pki.dir, join(dataDir, 'crl-cache'));
}

/**
 * The test provider's result-trust file (signing.resultProvidersFile) in the PKI's folder: every
 * catalogue service, the provider's root, BIN, emailProtection and policy. Written once, atomically.
 */
export function resultProvidersFile(pki: TestPki): string {
  const file = join(pki.dir, 'result-providers.json');
  const [p] = testResultProviders(pki.dir);
  const text = `${JSON.stringify({ providers: [{ id: p!.id, services: p!.services, trustRootsFile: 'provider/root.pem', expect: p!.expect }] }, null, 2)}\n`;
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return file;
  const tmp = `${file}.${process.pid}.part`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  return file;
}
