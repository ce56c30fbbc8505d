/**
 * Signing a request, hashing included, for documents totalling 1 MB and 100 MB:
 *   ours     = hashFile() over every document + canonicalManifest() + signDetached() (RSA 2048)
 *   baseline = `openssl dgst -sha256` over the same files + `openssl cms -sign` over the same manifest
 * both in this run, on the same files; prints the times and ours/baseline. Then the signing step
 * alone (signDetached over the manifest) for both sizes: it must not grow with the documents,
 * because only their hashes are signed.
 *
 *   npx tsx bench/sign/run.ts
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalManifest, hashFile, openPkcs12, signDetached, type Keystore, type ManifestInput } from '../../src-main/sign/index.js';
import { sampleManifest } from '../../test/support/sign-fixtures.js';
import { PASSWORD, pkiFile, testPki } from '../../test/support/sign-pki.js';
import { median } from '../stats.js';

const MB = 1024 * 1024;
const DOCS = 10;
const ROUNDS = 5;

async function timeIt(fn: () => unknown, rounds = ROUNDS): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const s = process.hrtime.bigint();
    await fn();
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  return median(t);
}

async function writeDocs(dir: string, total: number): Promise<string[]> {
  const files: string[] = [];
  const chunk = randomBytes(MB);
  for (let i = 0; i < DOCS; i++) {
    const f = join(dir, `doc-${total}-${i}.jpg`);
    const fh = await open(f, 'w');
    let left = Math.floor(total / DOCS);
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      await fh.write(chunk, 0, n);
      left -= n;
    }
    await fh.close();
    files.push(f);
  }
  return files;
}

async function manifestFor(files: string[]): Promise<Uint8Array> {
  const m: ManifestInput = sampleManifest();
  m.documents = await Promise.all(files.map(async (f, i) => ({ slot: 'scan', index: i, ...(await hashFile(f)), mediaType: 'image/jpeg' })));
  return canonicalManifest(m);
}

async function main(): Promise<void> {
  const pki = testPki();
  const dir = mkdtempSync(join(tmpdir(), 'qab-bench-sign-'));
  try {
    const ks: Keystore = await openPkcs12(pkiFile(pki, 'operator/rsa-valid.p12'), PASSWORD);
    const cert = join(pki, 'operator/rsa-valid.pem');
    const key = join(pki, 'operator/rsa-valid.key.pem');
    const chain = join(pki, 'ca/chain.pem');
    // Warm up the JIT and WebCrypto so the first size measured is not charged for it.
    const warm = await writeDocs(dir, DOCS * 64 * 1024);
    for (let i = 0; i < 20; i++) await signDetached(await manifestFor(warm), ks, { signingTime: new Date() });
    console.log(`request signing, RSA 2048 + SHA-256, ${DOCS} documents, median of ${ROUNDS} runs`);
    console.log('documents | ours: hash+manifest+sign | openssl: dgst+cms -sign | ours/openssl | sign step alone');
    const signOnly: number[] = [];
    for (const total of [1 * MB, 100 * MB]) {
      const files = await writeDocs(dir, total);
      const ours = await timeIt(async () => {
        const manifest = await manifestFor(files);
        await signDetached(manifest, ks, { signingTime: new Date() });
      });
      const manifest = await manifestFor(files);
      const manifestFile = join(dir, `manifest-${total}.json`);
      writeFileSync(manifestFile, manifest);
      const baseline = await timeIt(() => {
        execFileSync('openssl', ['dgst', '-sha256', ...files], { stdio: 'pipe' });
        execFileSync('openssl', ['cms', '-sign', '-binary', '-md', 'sha256', '-in', manifestFile, '-outform', 'DER', '-signer', cert, '-inkey', key, '-certfile', chain], { stdio: 'pipe' });
      });
      const sign = await timeIt(() => signDetached(manifest, ks, { signingTime: new Date() }), 31);
      signOnly.push(sign);
      const label = `${total / MB} MB`.padStart(9);
      console.log(`${label} | ${ours.toFixed(1).padStart(20)} ms | ${baseline.toFixed(1).padStart(19)} ms | ${(ours / baseline).toFixed(2).padStart(12)} | ${sign.toFixed(2)} ms (manifest ${manifest.byteLength} B)`);
    }
    console.log(`sign step 100 MB / 1 MB: ${(signOnly[1]! / signOnly[0]!).toFixed(2)} (flat when close to 1: only the hashes are signed)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
