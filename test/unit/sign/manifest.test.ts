import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalManifest, hashFile, type ManifestInput } from '../../../src-main/sign/index.js';
import { sampleManifest } from '../../support/sign-fixtures.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('canonical manifest (RFC 8785)', () => {
  it('is compact JSON with keys sorted, UTF-8 text unescaped, numbers written the ECMAScript way', () => {
    const s = text(canonicalManifest(sampleManifest()));
    expect(s.startsWith('{"applicant":{"kind":"bin","name":"ЖШС «Темір-Сервис»","number":"150240012347"},"centre":')).toBe(true);
    expect(s).toContain('"form":{"address":"Алматы қ., Абай даңғылы 10","employees":12,"licensed":false,"share":0.5,"zones":["A","B"]}');
    expect(s).toContain('"format":"qabyldau.request-manifest/1"');
    expect(s).not.toMatch(/\s"|":\s/);
    expect(JSON.parse(s)).toMatchObject({ operator: { iin: '850315300128' }, times: { signedAt: '2026-11-23T09:30:00.000Z' } });
  });

  it('gives the same bytes whatever order the caller listed keys and documents in', () => {
    const a = sampleManifest();
    const b = sampleManifest();
    b.documents.reverse();
    b.form = { zones: ['A', 'B'], share: 0.5, licensed: false, employees: 12, address: 'Алматы қ., Абай даңғылы 10' };
    expect(Buffer.from(canonicalManifest(b)).equals(Buffer.from(canonicalManifest(a)))).toBe(true);
    const docs = (JSON.parse(text(canonicalManifest(a))) as { documents: { slot: string; index: number }[] }).documents;
    expect(docs.map((d) => `${d.slot}#${d.index}`)).toEqual(['charter#0', 'charter#1', 'statement#0']);
  });

  it('changes when any document hash changes', () => {
    const a = sampleManifest();
    const b = sampleManifest();
    b.documents[0] = { ...b.documents[0]!, sha256: 'd'.repeat(64) };
    expect(Buffer.from(canonicalManifest(b)).equals(Buffer.from(canonicalManifest(a)))).toBe(false);
  });

  it.each<[string, (m: ManifestInput) => void]>([
    ['documents.0.sha256', (m) => (m.documents[0]!.sha256 = 'XYZ')],
    ['operator.iin', (m) => (m.operator.iin = '85031530012')],
    ['times.signedAt', (m) => (m.times.signedAt = 'yesterday')],
    ['form', (m) => (m.form = { when: new Date() as unknown as string })],
    ['form', (m) => (m.form = { n: Number.NaN })],
    ['documents.2', (m) => (m.documents[1] = { ...m.documents[2]! })],
    ['applicant.kind', (m) => (m.applicant.kind = 'passport' as 'iin')],
  ])('rejects bad input naming the field (%s), never its value', (field, spoil) => {
    const m = sampleManifest();
    spoil(m);
    expect(() => canonicalManifest(m)).toThrow(expect.objectContaining({ code: 'SIGN_MANIFEST_INVALID', params: { field } }));
  });
});

describe('hashFile', () => {
  it('streams a file and returns the SHA-256 and size of its bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qab-hash-'));
    try {
      const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
      const p = join(dir, 'scan.jpg');
      await writeFile(p, data);
      expect(await hashFile(p)).toEqual({ sha256: createHash('sha256').update(data).digest('hex'), size: data.length });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
