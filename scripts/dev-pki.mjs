// @ts-check
/**
 * The development PKI for `npm start`: a test operator key (PKCS#12, password Qwerty12) and its
 * trust roots, made once by scripts/make-test-pki.sh into .qabyldau-dev/pki. Never used in
 * production: a real counter uses the operator's own key from the national CA.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './setup.mjs';

/** @returns {{ keystore: string, trustRoots: string } | null} */
export function ensureDevPki(/** @type {string} */ devDir) {
  const script = join(root, 'scripts', 'make-test-pki.sh');
  const out = join(devDir, 'pki');
  if (!existsSync(script)) return null;
  const r = spawnSync('bash', [script, out], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    console.error('[start] could not make the development PKI: signing will ask for a configured key');
    return null;
  }
  return { keystore: join(out, 'operator-rsa.p12'), trustRoots: join(out, 'trust-roots.pem') };
}
