/**
 * A RequestSigner double for store tests: the manifest is the REAL canonical manifest
 * (src-main/sign/manifest.ts validates and serialises it, representative included); the "CMS" is
 * not a signature but a fixed-size stand-in (the store keeps it as opaque bytes). Tests of real
 * signing live in test/integration/sign and skeleton-flow.
 */
import { createHash } from 'node:crypto';
import type { RequestSigner } from '../../src-main/requests/signing.js';
import { canonicalManifest } from '../../src-main/sign/manifest.js';

export function signerDouble(now: () => Date = () => new Date()): RequestSigner & { signed: Buffer[] } {
  const signed: Buffer[] = [];
  return {
    signed,
    signManifest(input) {
      const { createdAt, ...rest } = input;
      const signedAt = new Date(Math.floor(now().getTime() / 1000) * 1000).toISOString();
      const manifest = Buffer.from(canonicalManifest({ ...rest, times: { createdAt, signedAt } }));
      signed.push(manifest);
      // About the size of a real RSA-2048 detached CMS with its certificate.
      const cms = Buffer.concat(Array.from({ length: 56 }, (_, i) => createHash('sha256').update(manifest).update(String(i)).digest()));
      return Promise.resolve({
        manifest,
        cms,
        signer: { name: 'Омаров Ерлан Серікұлы', serial: '0a1b2c3d', notAfter: '2027-11-23T00:00:00.000Z', algorithm: 'RSA-SHA256', iin: '850315300128' },
        signedAt,
      });
    },
  };
}
