/** The providers' result-trust file: read as written, and a wrong one stops the start naming the setting. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src-main/host/config.js';
import { readResultProviders } from '../../../src-main/host/result-providers.js';
import { pkiText, testPki } from '../../support/sign-pki.js';

const dir = mkdtempSync(join(tmpdir(), 'qab-providers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pki = testPki();
writeFileSync(join(dir, 'root.pem'), pkiText(pki, 'provider/root.pem'));

function file(content: unknown): string {
  const f = join(dir, `p-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
}
const entry = { id: 'almaty-nature', services: ['emission-permit-almaty'], trustRootsFile: 'root.pem', expect: { bin: '150240012347' } };

describe('signing.resultProvidersFile', () => {
  it('reads each provider with its roots (relative to the file) and expectations', () => {
    const [p] = readResultProviders(file({ providers: [entry] }));
    expect(p).toMatchObject({ id: 'almaty-nature', services: ['emission-permit-almaty'], expect: { bin: '150240012347' } });
    expect(String(p!.trustRoots[0])).toContain('BEGIN CERTIFICATE');
  });

  it.each([
    ['not JSON', '{', /cannot be read as JSON/],
    ['no expectation (any signer under the root would do)', { providers: [{ ...entry, expect: {} }] }, /needs a bin, extendedKeyUsage or policies/],
    ['a bad OID', { providers: [{ ...entry, expect: { extendedKeyUsage: ['emailProtection'] } }] }, /an OID/],
    ['a missing root file', { providers: [{ ...entry, trustRootsFile: 'nope.pem' }] }, /trustRootsFile nope.pem cannot be read/],
    ['a service under two providers', { providers: [entry, { ...entry, id: 'other' }] }, /listed under both almaty-nature and other/],
    ['no provider', { providers: [] }, /providers/],
  ])('refuses %s, naming the setting', (_what, content, why) => {
    let error: unknown;
    try {
      readResultProviders(file(content));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('signing.resultProvidersFile');
    expect((error as ConfigError).message).toMatch(why);
  });
});
