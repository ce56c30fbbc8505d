/**
 * The test PKI (scripts/make-test-pki.sh), built once per version of the script into the system's
 * temp dir and shared by every test file. Built into a private directory and renamed into place, so
 * two vitest workers starting at once do not trip over each other.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appRoot } from '../../src-main/host/paths.js';

/** The repository (found by its package.json: a relative path breaks once bundled into a child under node_modules/.cache). */
export const REPO = appRoot();
export const PKI_SCRIPT = join(REPO, 'scripts/make-test-pki.sh');
export const PASSWORD = 'Qwerty12';
export const OPERATOR_IIN = '850315300128';
export const OTHER_IIN = '900702400457';
export const CENTRE_BIN = '040340001233';
/** Ports written into the operator certificates by the script (its defaults): below Linux's
 *  ephemeral range (32768-60999), so no outgoing connection of another test can hold them. */
export const CRL_PORT = 27801;
export const OCSP_PORT = 27802;

export function testPki(): string {
  const version = createHash('sha256').update(readFileSync(PKI_SCRIPT)).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `qabyldau-test-pki-${version}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  const work = `${dir}.build-${process.pid}`;
  execFileSync('bash', [PKI_SCRIPT, work], { stdio: 'pipe', env: { ...process.env, QAB_PKI_CRL_PORT: String(CRL_PORT), QAB_PKI_OCSP_PORT: String(OCSP_PORT) } });
  try {
    renameSync(work, dir);
  } catch {
    rmSync(work, { recursive: true, force: true }); // another worker finished first
  }
  return dir;
}

export const pkiFile = (pki: string, rel: string): Buffer => readFileSync(join(pki, rel));
export const pkiText = (pki: string, rel: string): string => readFileSync(join(pki, rel), 'utf8');
