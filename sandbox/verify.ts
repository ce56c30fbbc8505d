/**
 * The sandbox checks each submission's detached CMS with `openssl cms -verify`: an independent
 * verifier (not the workstation's own code), as the real E-licensing system would be. It checks
 * the signature over the manifest bytes and the signer's chain to the configured trust roots.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function opensslVerifier(trustRootsFile: string): (manifest: Buffer, cms: Buffer) => Promise<string | null> {
  return async (manifest, cms) => {
    const dir = await mkdtemp(join(tmpdir(), 'sbx-verify-'));
    try {
      await writeFile(join(dir, 'm'), manifest);
      await writeFile(join(dir, 'c'), cms);
      return await new Promise<string | null>((resolve) => {
        execFile(
          'openssl',
          ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'c'), '-content', join(dir, 'm'), '-CAfile', trustRootsFile, '-out', '/dev/null'],
          { timeout: 10_000 },
          (err) => resolve(err ? 'SIGNATURE_INVALID' : null),
        );
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
