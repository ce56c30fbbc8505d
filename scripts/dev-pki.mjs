// @ts-check
/**
 * The development PKI for `npm start`: a test operator key (PKCS#12, password Qwerty12) and its
 * trust roots, made once by scripts/make-test-pki.sh into .qabyldau-dev/pki-<port>. The
 * certificates name the sandbox (127.0.0.1:<port>) as their CRL distribution point, and the
 * sandbox serves that CRL. Never used in production: a real counter uses the operator's own key
 * from the national CA.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './setup.mjs';

/** @returns {{ dir: string, keystore: string, trustRoots: string, crlDir: string } | null} */
export function ensureDevPki(/** @type {string} */ devDir, /** @type {number} */ sandboxPort) {
  const script = join(root, 'scripts', 'make-test-pki.sh');
  const out = join(devDir, `pki-${sandboxPort}`);
  if (!existsSync(script)) return null;
  const r = spawnSync('bash', [script, out], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, QAB_PKI_CRL_PORT: String(sandboxPort), QAB_PKI_OCSP_PORT: String(sandboxPort) },
  });
  if (r.status !== 0) {
    console.error('[start] could not make the development PKI (is openssl installed?): signing will refuse until a key is configured');
    return null;
  }
  return { dir: out, keystore: join(out, 'operator', 'rsa-valid.p12'), trustRoots: join(out, 'ca', 'root.pem'), crlDir: join(out, 'crl') };
}
