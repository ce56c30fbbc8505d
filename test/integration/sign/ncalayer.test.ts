/** The NCALayer client against a protocol double that signs with openssl. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalManifest, NcaLayerClient, SignService, verifyDetached, type ManifestToSign } from '../../../src-main/sign/index.js';
import { captureLogger } from '../../support/capture-logger.js';
import { startNcaLayerDouble, type NcaLayerDouble } from '../../support/ncalayer-double.js';
import { opensslCmsVerify } from '../../support/openssl.js';
import { crlIssuedAt, offlineSignConfig } from '../../support/sign-config.js';
import { sampleManifest } from '../../support/sign-fixtures.js';
import { CENTRE_BIN, OPERATOR_IIN, pkiText, testPki } from '../../support/sign-pki.js';

let pki: string;
let dir: string;
let double: NcaLayerDouble;
const signer = (name: string) => ({ cert: join(pki, `operator/${name}.pem`), key: join(pki, `operator/${name}.key.pem`), chain: join(pki, 'ca/chain.pem') });

beforeAll(async () => {
  pki = testPki();
  dir = await mkdtemp(join(tmpdir(), 'qab-nca-'));
  double = await startNcaLayerDouble(signer('rsa-valid'));
});
afterAll(async () => {
  await double.close();
  await rm(dir, { recursive: true, force: true });
});

const manifest = () => canonicalManifest(sampleManifest());

async function unusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('NCALayer client', () => {
  it('gets a detached CMS that openssl and our verifier accept, asking for the operator’s key', async () => {
    double.behaviour = 'sign';
    double.signer = signer('rsa-valid');
    const before = double.requests.length;
    const data = manifest();
    const cms = await new NcaLayerClient({ url: double.url, ca: double.tlsCert }).signCms(data, { iin: OPERATOR_IIN, bin: CENTRE_BIN });
    await writeFile(join(dir, 'm.json'), data);
    await writeFile(join(dir, 'm.cms'), cms);
    expect(opensslCmsVerify(join(dir, 'm.cms'), join(dir, 'm.json'), join(pki, 'ca/root.pem')).ok).toBe(true);
    expect((await verifyDetached(data, cms, { trustRoots: [pkiText(pki, 'ca/root.pem')] })).signer.iin).toBe(OPERATOR_IIN);

    expect(double.requests.length).toBe(before + 1);
    expect(double.requests.at(-1)).toMatchObject({
      module: 'kz.gov.pki.knca.basics',
      method: 'sign',
      args: {
        format: 'cms',
        data: Buffer.from(data).toString('base64'),
        signingParams: { decode: true, encapsulate: false, digested: false },
        signerParams: { iin: OPERATOR_IIN, bin: CENTRE_BIN },
        locale: 'kk',
      },
    });
  });

  it('works without a pinned certificate on the loopback address', async () => {
    double.behaviour = 'sign';
    const cms = await new NcaLayerClient({ url: double.url }).signCms(manifest());
    expect(cms.byteLength).toBeGreaterThan(500);
  });

  it('reports that NCALayer is not running', async () => {
    const port = await unusedPort();
    await expect(new NcaLayerClient({ url: `wss://127.0.0.1:${port}`, connectTimeoutMs: 1000 }).signCms(manifest())).rejects.toMatchObject({
      code: 'SIGN_NCALAYER_NOT_RUNNING',
      retryable: true,
    });
  });

  it('reports that the operator cancelled', async () => {
    double.behaviour = 'cancel';
    await expect(new NcaLayerClient({ url: double.url, ca: double.tlsCert }).signCms(manifest())).rejects.toMatchObject({ code: 'SIGN_NCALAYER_CANCELLED' });
  });

  it('reports NCALayer’s own failure and a dropped connection', async () => {
    double.behaviour = 'fail';
    await expect(new NcaLayerClient({ url: double.url, ca: double.tlsCert }).signCms(manifest())).rejects.toMatchObject({
      code: 'SIGN_NCALAYER_FAILED',
      params: { reason: '500' },
    });
    double.behaviour = 'close';
    await expect(new NcaLayerClient({ url: double.url, ca: double.tlsCert }).signCms(manifest())).rejects.toMatchObject({
      code: 'SIGN_NCALAYER_FAILED',
      params: { reason: 'closed' },
    });
  });

  it('refuses to talk to a non-loopback NCALayer without a pinned certificate', () => {
    expect(() => new NcaLayerClient({ url: 'wss://192.0.2.10:13579' })).toThrow(/loopback/);
  });
});

describe('SignService with the NCALayer provider', () => {
  const toSign = (): ManifestToSign => {
    const { times, ...rest } = sampleManifest();
    return { ...rest, createdAt: times.createdAt };
  };
  const svc = async () => {
    const config = await offlineSignConfig(pki, join(dir, `cache-${Math.random().toString(36).slice(2)}`), { provider: 'ncalayer' });
    const now = new Date(crlIssuedAt(pki).getTime() + 3600_000);
    return new SignService(config, {
      logger: captureLogger(),
      now: () => now,
      ncalayer: new NcaLayerClient({ url: double.url, ca: double.tlsCert }),
    });
  };

  it('signs through NCALayer and checks the certificate NCALayer used', async () => {
    double.behaviour = 'sign';
    double.signer = signer('ec-valid');
    const out = await (await svc()).signRequest(toSign());
    expect(out.provider).toBe('ncalayer');
    expect(out.signer.iin).toBe(OPERATOR_IIN);
    await writeFile(join(dir, 's.json'), out.manifest);
    await writeFile(join(dir, 's.cms'), out.cms);
    expect(opensslCmsVerify(join(dir, 's.cms'), join(dir, 's.json'), join(pki, 'ca/root.pem')).ok).toBe(true);
  });

  it('refuses a signature NCALayer made with someone else’s key', async () => {
    double.behaviour = 'sign';
    double.signer = signer('rsa-wrong-iin');
    await expect((await svc()).signRequest(toSign())).rejects.toMatchObject({ code: 'SIGN_CERT_IIN_MISMATCH' });
  });

  it('refuses a signature NCALayer made with a revoked key', async () => {
    double.behaviour = 'sign';
    double.signer = signer('ec-revoked');
    await expect((await svc()).signRequest(toSign())).rejects.toMatchObject({ code: 'SIGN_CERT_REVOKED' });
  });
});
