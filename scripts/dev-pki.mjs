// @ts-check
/**
 * The development PKI for `npm start`: a test operator key (PKCS#12, password Qwerty12) and its
 * trust roots, the TLS certificates of the sandbox and of the workstation (mutual TLS), and the
 * provider's key that signs results, made once by scripts/make-test-pki.sh into
 * .qabyldau-dev/pki-<port>-crl<port+1>. The operator certificates name the sandbox's CRL
 * distribution point (plain HTTP on 127.0.0.1:<port+1>), and the sandbox serves that CRL there.
 * Never used in production: a real counter uses the operator's own key from the national CA and
 * a workstation certificate issued for the gateway.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './setup.mjs';

/**
 * @returns {{ dir: string, keystore: string, trustRoots: string, providerRoot: string, crlDir: string,
 *   tls: { ca: string, clientCert: string, clientKey: string } } | null}
 */
export function ensureDevPki(/** @type {string} */ devDir, /** @type {number} */ sandboxPort) {
  const script = join(root, 'scripts', 'make-test-pki.sh');
  const crlPort = sandboxPort + 1;
  const out = join(devDir, `pki-${sandboxPort}-crl${crlPort}`);
  if (!existsSync(script)) return null;
  const r = spawnSync('bash', [script, out], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, QAB_PKI_CRL_PORT: String(crlPort), QAB_PKI_OCSP_PORT: String(crlPort) },
  });
  if (r.status !== 0) {
    console.error('[start] could not make the development PKI (is openssl installed?): signing will refuse until a key is configured');
    return null;
  }
  return {
    dir: out,
    keystore: join(out, 'operator', 'rsa-valid.p12'),
    trustRoots: join(out, 'ca', 'root.pem'),
    providerRoot: join(out, 'provider', 'root.pem'),
    crlDir: join(out, 'crl'),
    tls: { ca: join(out, 'tls', 'ca.pem'), clientCert: join(out, 'tls', 'client.pem'), clientKey: join(out, 'tls', 'client.key.pem') },
  };
}
