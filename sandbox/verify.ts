/**
 * The sandbox checks each submission's detached CMS with `openssl cms -verify`: an independent
 * verifier (not the workstation's own code), as the real E-licensing system would be.
 *
 *  1. the signature over the manifest bytes alone (`-noverify`): a failure is SIGNATURE_INVALID;
 *  2. the signer's chain to the configured trust roots, its validity now (the sandbox's clock) and
 *     its purpose (S/MIME signing: key usage digitalSignature/nonRepudiation): a failure is
 *     SIGNER_UNTRUSTED (unknown CA) or SIGNER_CERT_INVALID (expired, not yet valid, wrong usage);
 *  3. the signer certificate's subject, read with Node's X509Certificate (again not the
 *     workstation's parser): its IIN (serialNumber=IIN…) and BIN (OU=BIN…), which the server then
 *     compares with the manifest's operator IIN and Centre BIN.
 *
 * Revocation is not checked here (the workstation checks it before signing; the sandbox has no
 * OCSP). Verdicts are cached by the hash of (manifest, CMS): a re-delivered submission does not
 * start openssl again. At most `maxConcurrent` openssl processes run at once.
 */
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type VerifyFailure = 'SIGNATURE_INVALID' | 'SIGNER_UNTRUSTED' | 'SIGNER_CERT_INVALID';

export type Verdict =
  | { ok: true; signer: { iin: string | null; bin: string | null; serial: string } }
  | { ok: false; code: VerifyFailure };

export type SubmissionVerifier = (manifest: Buffer, cms: Buffer) => Promise<Verdict>;

function run(args: string[]): Promise<{ ok: boolean; stderr: string }> {
  return new Promise((resolve) => {
    execFile('openssl', args, { timeout: 20_000 }, (err, _stdout, stderr) => resolve({ ok: !err, stderr: String(stderr) }));
  });
}

/** Reads IIN and BIN from a certificate's subject (serialNumber=IIN…, OU=BIN…). */
export function subjectIds(cert: X509Certificate): { iin: string | null; bin: string | null } {
  const subject = cert.subject;
  return {
    iin: /(?:^|\n)serialNumber=IIN(\d{12})(?:\n|$)/.exec(subject)?.[1] ?? null,
    bin: /(?:^|\n)OU=BIN(\d{12})(?:\n|$)/.exec(subject)?.[1] ?? null,
  };
}

export function opensslVerifier(trustRootsFile: string, opts: { maxConcurrent?: number } = {}): SubmissionVerifier {
  const cache = new Map<string, Verdict>();
  const max = opts.maxConcurrent ?? 4;
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    while (active >= max) await new Promise<void>((r) => waiting.push(r));
    active++;
  };
  const release = () => {
    active--;
    waiting.shift()?.();
  };

  const verify = async (manifest: Buffer, cms: Buffer): Promise<Verdict> => {
    const dir = await mkdtemp(join(tmpdir(), 'sbx-verify-'));
    try {
      const [m, c, s] = [join(dir, 'm'), join(dir, 'c'), join(dir, 's.pem')];
      await writeFile(m, manifest);
      await writeFile(c, cms);
      const base = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', c, '-content', m, '-out', '/dev/null'];
      const sig = await run([...base, '-noverify', '-signer', s]);
      if (!sig.ok) return { ok: false, code: 'SIGNATURE_INVALID' };
      const chain = await run([...base, '-CAfile', trustRootsFile]);
      if (!chain.ok) {
        const invalid = /certificate has expired|certificate is not yet valid|certificate purpose|key usage/i.test(chain.stderr);
        return { ok: false, code: invalid ? 'SIGNER_CERT_INVALID' : 'SIGNER_UNTRUSTED' };
      }
      const pem = (await readFile(s, 'utf8')).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
      if (!pem) return { ok: false, code: 'SIGNATURE_INVALID' };
      const cert = new X509Certificate(pem);
      return { ok: true, signer: { ...subjectIds(cert), serial: cert.serialNumber } };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  return async (manifest, cms) => {
    const key = createHash('sha256').update(manifest).update('\u0000').update(cms).digest('hex');
    const hit = cache.get(key);
    if (hit) return hit;
    await acquire();
    try {
      const verdict = await verify(manifest, cms);
      if (cache.size > 10_000) cache.clear();
      cache.set(key, verdict);
      return verdict;
    } finally {
      release();
    }
  };
}
