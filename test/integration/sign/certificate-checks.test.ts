/**
 * The checks on the operator's certificate before signing, one test per failure, and revocation
 * against real servers: an HTTP server publishing the CRL at the URL in the certificates, and
 * `openssl ocsp` as the OCSP responder. Both listen on the ports the test PKI wrote into the
 * certificates, so every test that needs them lives in this one file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSignerCertificate, loadCerts, type CheckContext, type RevocationPolicy } from '../../../src-main/sign/index.js';
import { startCrlServer, startOcspResponder, type CrlServer, type OcspResponder } from '../../support/sign-servers.js';
import { CENTRE_BIN, CRL_PORT, OCSP_PORT, OPERATOR_IIN, pkiText, testPki } from '../../support/sign-pki.js';

const HOUR = 3600_000;
let pki: string;
let crlServer: CrlServer;
let work: string;
let crlThisUpdate: Date;
let crlNextUpdate: Date;

beforeAll(async () => {
  pki = testPki();
  crlServer = await startCrlServer(pki, CRL_PORT);
  work = await mkdtemp(join(tmpdir(), 'qab-check-'));
  const out = execFileSync('openssl', ['crl', '-in', join(pki, 'crl/intermediate.crl.pem'), '-noout', '-lastupdate', '-nextupdate'], { encoding: 'utf8' });
  crlThisUpdate = new Date(/lastUpdate=(.*)/.exec(out)![1]!);
  crlNextUpdate = new Date(/nextUpdate=(.*)/.exec(out)![1]!);
});
afterAll(async () => {
  await crlServer.close();
  await rm(work, { recursive: true, force: true });
});

const cert = (name: string) => loadCerts(pkiText(pki, `operator/${name}.pem`))[0]!;
let dirs = 0;
const freshCacheDir = () => join(work, `cache-${++dirs}`);

function ctx(over: Partial<CheckContext> = {}, policy: Partial<RevocationPolicy> = {}): CheckContext {
  return {
    operatorIin: OPERATOR_IIN,
    centreBin: CENTRE_BIN,
    trustRoots: [pkiText(pki, 'ca/root.pem')],
    intermediates: [pkiText(pki, 'ca/intermediate.pem')],
    now: () => new Date(crlThisUpdate.getTime() + HOUR),
    revocation: { mode: 'online', ocsp: false, cacheDir: freshCacheDir(), graceMs: 24 * HOUR, timeoutMs: 2000, ...policy },
    ...over,
  };
}

const failure = (p: Promise<unknown>) => p.then(() => 'passed', (e: { code?: string }) => e.code);

describe.each(['rsa', 'ec'])('%s operator certificate', (alg) => {
  it('passes every check when it is valid, trusted, not revoked and the operator’s', async () => {
    const r = await checkSignerCertificate(cert(`${alg}-valid`), ctx());
    expect(r.revocation).toEqual({ status: 'good', source: 'crl' });
    expect(r.path.map((c) => c.summary().subjectCn)).toEqual(['Омаров Ерлан Серікұлы', 'Test NCA Intermediate', 'Test NCA Root']);
  });
  it('is refused before its validity starts', async () => {
    expect(await failure(checkSignerCertificate(cert(`${alg}-notyet`), ctx()))).toBe('SIGN_CERT_NOT_YET_VALID');
  });
  it('is refused once expired', async () => {
    expect(await failure(checkSignerCertificate(cert(`${alg}-expired`), ctx()))).toBe('SIGN_CERT_EXPIRED');
  });
  it('is refused without digitalSignature and nonRepudiation key usage', async () => {
    expect(await failure(checkSignerCertificate(cert(`${alg}-wrong-ku`), ctx()))).toBe('SIGN_CERT_KEY_USAGE');
  });
  it('is refused when it does not chain to the configured roots', async () => {
    expect(await failure(checkSignerCertificate(cert(`${alg}-valid`), ctx({ trustRoots: [pkiText(pki, 'provider/root.pem')] })))).toBe('SIGN_CERT_UNTRUSTED');
    // the intermediate is needed too: the root alone did not sign the operator's certificate
    expect(await failure(checkSignerCertificate(cert(`${alg}-valid`), ctx({ intermediates: [] })))).toBe('SIGN_CERT_UNTRUSTED');
  });
  it('is refused when the CRL lists it as revoked', async () => {
    expect(await failure(checkSignerCertificate(cert(`${alg}-revoked`), ctx()))).toBe('SIGN_CERT_REVOKED');
  });
  it('is refused when it carries another person’s IIN', async () => {
    expect(await failure(checkSignerCertificate(cert(`${alg}-wrong-iin`), ctx()))).toBe('SIGN_CERT_IIN_MISMATCH');
  });
  it('is refused when its BIN is not the Centre’s', async () => {
    expect(await failure(checkSignerCertificate(cert(`${alg}-valid`), ctx({ centreBin: '150240012347' })))).toBe('SIGN_CERT_BIN_MISMATCH');
  });
  it('is refused when revocation cannot be checked (offline, nothing cached)', async () => {
    expect(await failure(checkSignerCertificate(cert(`${alg}-valid`), ctx({}, { mode: 'offline' })))).toBe('SIGN_CERT_REVOCATION_UNKNOWN');
  });
});

describe('CRL cache', () => {
  it('downloads the CRL once and uses the cached copy until its nextUpdate', async () => {
    const cacheDir = freshCacheDir();
    const hits = crlServer.hits;
    const c = ctx({}, { cacheDir });
    expect((await checkSignerCertificate(cert('rsa-valid'), c)).revocation.source).toBe('crl');
    expect(crlServer.hits).toBe(hits + 1);
    expect((await readdir(cacheDir)).filter((f) => f.endsWith('.crl'))).toHaveLength(1);
    expect((await checkSignerCertificate(cert('ec-valid'), c)).revocation.source).toBe('crl-cache');
    // a revoked certificate is caught from the cache as well
    expect(await failure(checkSignerCertificate(cert('rsa-revoked'), c))).toBe('SIGN_CERT_REVOKED');
    expect(crlServer.hits).toBe(hits + 1);

    // offline, just before nextUpdate: still the cache
    const before = ctx({ now: () => new Date(crlNextUpdate.getTime() - HOUR) }, { cacheDir, mode: 'offline' });
    expect((await checkSignerCertificate(cert('rsa-valid'), before)).revocation.source).toBe('crl-cache');
  });

  it('past nextUpdate and offline: the stale CRL counts during the grace period, then no longer', async () => {
    const cacheDir = freshCacheDir();
    await checkSignerCertificate(cert('rsa-valid'), ctx({}, { cacheDir }));
    const at = (ms: number, graceMs: number) => ctx({ now: () => new Date(crlNextUpdate.getTime() + ms) }, { cacheDir, mode: 'offline', graceMs });
    expect((await checkSignerCertificate(cert('rsa-valid'), at(HOUR, 24 * HOUR))).revocation.source).toBe('crl-grace');
    expect(await failure(checkSignerCertificate(cert('rsa-revoked'), at(HOUR, 24 * HOUR)))).toBe('SIGN_CERT_REVOKED');
    expect(await failure(checkSignerCertificate(cert('rsa-valid'), at(25 * HOUR, 24 * HOUR)))).toBe('SIGN_CERT_REVOCATION_UNKNOWN');
    expect(await failure(checkSignerCertificate(cert('rsa-valid'), at(HOUR, 0)))).toBe('SIGN_CERT_REVOCATION_UNKNOWN');
  });

  it('past nextUpdate and online: downloads again before falling back on the grace period', async () => {
    const cacheDir = freshCacheDir();
    await checkSignerCertificate(cert('rsa-valid'), ctx({}, { cacheDir }));
    const hits = crlServer.hits;
    const late = ctx({ now: () => new Date(crlNextUpdate.getTime() + HOUR) }, { cacheDir });
    // the server still publishes the same (now stale) CRL: it is fetched, then judged under the grace period
    expect((await checkSignerCertificate(cert('rsa-valid'), late)).revocation.source).toBe('crl-grace');
    expect(crlServer.hits).toBe(hits + 1);
  });

  it('does not believe a cache file that is not a CRL signed by the issuer', async () => {
    const cacheDir = freshCacheDir();
    await checkSignerCertificate(cert('rsa-valid'), ctx({}, { cacheDir }));
    const [file] = (await readdir(cacheDir)).filter((f) => f.endsWith('.crl'));
    // replace it with the provider CA's certificate: readable DER, wrong thing
    await writeFile(join(cacheDir, file!), loadCerts(pkiText(pki, 'provider/root.pem'))[0]!.der);
    expect(await failure(checkSignerCertificate(cert('rsa-valid'), ctx({}, { cacheDir, mode: 'offline' })))).toBe('SIGN_CERT_REVOCATION_UNKNOWN');
    expect(existsSync(join(cacheDir, file!))).toBe(true);
  });
});

describe('OCSP against a real openssl responder', () => {
  let responder: OcspResponder;
  beforeAll(async () => {
    responder = await startOcspResponder(pki, OCSP_PORT);
  });
  afterAll(async () => {
    await responder.stop();
  });
  const ocspCtx = () => ctx({ now: () => new Date() }, { ocsp: true });

  it('answers good for a valid certificate', async () => {
    const hits = crlServer.hits;
    expect((await checkSignerCertificate(cert('rsa-valid'), ocspCtx())).revocation).toEqual({ status: 'good', source: 'ocsp' });
    expect((await checkSignerCertificate(cert('ec-valid'), ocspCtx())).revocation.source).toBe('ocsp');
    expect(crlServer.hits).toBe(hits); // no CRL needed
  });

  it('answers revoked for a revoked certificate', async () => {
    expect(await failure(checkSignerCertificate(cert('rsa-revoked'), ocspCtx()))).toBe('SIGN_CERT_REVOKED');
    expect(await failure(checkSignerCertificate(cert('ec-revoked'), ocspCtx()))).toBe('SIGN_CERT_REVOKED');
  });

  it('falls back to the CRL when the responder is down', async () => {
    await responder.stop();
    try {
      const c = ctx({ now: () => new Date(crlThisUpdate.getTime() + HOUR) }, { ocsp: true });
      expect((await checkSignerCertificate(cert('rsa-valid'), c)).revocation.source).toBe('crl');
    } finally {
      responder = await startOcspResponder(pki, OCSP_PORT);
    }
  });
});
