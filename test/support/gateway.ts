/**
 * The gateway's real parts for a test: the sandbox over HTTPS with mutual TLS (test PKI), its
 * admin API, a GatewayClient with the workstation's client certificate, and requests signed with
 * the test operator's key exactly as the workstation signs them (canonical manifest + detached CMS).
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxAdmin } from '../../sandbox/admin-client.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server.js';
import { opensslVerifier } from '../../sandbox/verify.js';
import { canonicalManifest, openPkcs12, signDetached } from '../../src-main/sign/index.js';
import { GatewayClient, type GatewayOptions, type Submission } from '../../src-main/gateway/gateway-client.js';
import { loadTlsCredentials } from '../../src-main/gateway/tls.js';
import { ChunkedUploader, MemoryUploadStateStore, type DocumentSource } from '../../src-main/sync/uploader.js';
import { testPki, type TestPki } from './pki.js';

export const OPERATOR_IIN = '850315300128';
export const CENTRE_BIN = '040340001233';
export const APPLICANT_IIN = '900702400457';

export interface GatewayRig {
  dir: string;
  pki: TestPki;
  sandbox: Sandbox;
  admin: SandboxAdmin;
  /** A client with the workstation's certificate (override anything; the deadline is a generous hang guard). */
  client(overrides?: Partial<GatewayOptions>): GatewayClient;
  /** Restarts the sandbox on the same port and data (a crash and a restart of the backend). */
  restart(overrides?: Partial<SandboxOptions>): Promise<void>;
  /** Stops the sandbox (the backend is down until start()). */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startGatewayRig(opts: Partial<SandboxOptions> = {}): Promise<GatewayRig> {
  const dir = await mkdtemp(join(tmpdir(), 'qab-gw-'));
  const pki = testPki();
  const clients: GatewayClient[] = [];
  const boot = (port: number, more: Partial<SandboxOptions> = {}) =>
    startSandbox({
      dataDir: join(dir, 'sandbox'),
      port,
      tls: { certFile: pki.tls.serverCert, keyFile: pki.tls.serverKey, clientCaFile: pki.tls.ca },
      provider: { certFile: pki.provider.cert, keyFile: pki.provider.key, chainFile: pki.provider.chain },
      verifySubmission: opensslVerifier(pki.trustRoots),
      decisionDelayMs: 400,
      ...opts,
      ...more,
    });
  let sandbox = await boot(0);
  const rig: GatewayRig = {
    dir,
    pki,
    get sandbox() {
      return sandbox;
    },
    get admin() {
      return new SandboxAdmin(sandbox.adminUrl, sandbox.adminToken);
    },
    client(overrides = {}) {
      const c = new GatewayClient({
        baseUrl: sandbox.url,
        tls: loadTlsCredentials({
          caFile: pki.tls.ca,
          clientCertFile: pki.tls.clientCert,
          clientKeyFile: pki.tls.clientKey,
          clientPkcs12File: null,
          clientKeyPasswordFile: null,
        }),
        // A hang guard, not a deadline under test: a loaded machine (load 20+) takes seconds over a
        // submission that openssl verifies. A test of the deadline itself sets its own.
        timeoutMs: 60_000,
        workstationId: 'W01',
        ...overrides,
      });
      clients.push(c);
      return c;
    },
    async restart(more = {}) {
      const port = sandbox.port;
      await sandbox.close();
      sandbox = await boot(port, more);
    },
    async stop() {
      await sandbox.close();
    },
    async start() {
      sandbox = await boot(sandbox.port);
    },
    async close() {
      for (const c of clients) c.close();
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** A document in memory (small tests). */
export function bytesSource(bytes: Buffer): DocumentSource {
  return { size: bytes.byteLength, read: (o, l) => Promise.resolve(bytes.subarray(o, o + l)), close: () => Promise.resolve() };
}

export const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface SignedRequest {
  submission: Submission;
  documents: Buffer[];
}

/**
 * A request signed as the workstation signs it: the RFC 8785 manifest listing the documents'
 * hashes, a detached CMS by the given PKCS#12 key (default: the valid operator key).
 */
export async function signedRequest(
  pki: TestPki,
  opts: {
    keystore?: string;
    documents?: Buffer[];
    applicant?: { kind: 'iin' | 'bin'; number: string; name: string };
    signingTime?: Date;
    /** Changes the manifest bytes after signing (a broken signature). */
    tamper?: (manifest: Buffer) => Buffer;
    centreBin?: string;
  } = {},
): Promise<SignedRequest> {
  const documents = opts.documents ?? [Buffer.from(`page ${randomUUID()}`)];
  const signingTime = opts.signingTime ?? new Date();
  const centreBin = opts.centreBin ?? CENTRE_BIN;
  let manifest: Buffer = Buffer.from(
    canonicalManifest({
      requestId: randomUUID(),
      service: { id: 'emission-permit-almaty', subService: 'cat-3' },
      applicant: opts.applicant ?? { kind: 'iin', number: APPLICANT_IIN, name: 'Жұмабаева Әсел Қайратқызы' },
      form: { objectName: 'Қазандық' },
      operator: { id: 'op-1', iin: OPERATOR_IIN, name: 'Омаров Ерлан Серікұлы' },
      centre: { code: 'ALM-01', bin: centreBin, name: 'ХҚКО Алматы қ. Алмалы ауданы бөлімі' },
      times: { createdAt: new Date(signingTime.getTime() - 60_000).toISOString(), signedAt: new Date(Math.floor(signingTime.getTime() / 1000) * 1000).toISOString() },
      documents: documents.map((d, i) => ({ slot: 'application', index: i, sha256: sha256(d), size: d.byteLength, mediaType: 'image/jpeg' })),
    }),
  );
  const keystore = await openPkcs12(new Uint8Array(readFileSync(opts.keystore ?? pki.operatorRsa)), 'Qwerty12');
  const cms = Buffer.from(await signDetached(new Uint8Array(manifest), keystore, { signingTime }));
  keystore.close();
  if (opts.tamper) manifest = opts.tamper(manifest);
  return {
    documents,
    submission: {
      idempotencyKey: `W01:${randomUUID()}`,
      workstationId: 'W01',
      centreBin,
      serviceId: 'emission-permit-almaty',
      subServiceId: 'cat-3',
      manifest,
      cms,
      documents: documents.map((d) => ({ sha256: sha256(d), size: d.byteLength })),
    },
  };
}

/** Uploads the request's documents with the resumable uploader (64 KiB chunks). */
export async function uploadAll(client: GatewayClient, documents: Buffer[], chunkSize = 64 * 1024): Promise<void> {
  const uploader = new ChunkedUploader(client, new MemoryUploadStateStore(), { chunkSize });
  for (const d of documents) await uploader.upload({ sha256: sha256(d), size: d.byteLength }, () => Promise.resolve(bytesSource(d)));
}

/** A raw HTTPS request with the workstation's certificate (for what the client never sends). */
export function rawRequest(
  rig: GatewayRig,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer,
): Promise<{ status: number; json: { error?: { code: string; retryable: boolean } } & Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(path, rig.sandbox.url),
      {
        method,
        agent: false,
        ca: readFileSync(rig.pki.tls.ca),
        cert: readFileSync(rig.pki.tls.clientCert),
        key: readFileSync(rig.pki.tls.clientKey),
        headers: { ...(body ? { 'content-length': String(body.byteLength) } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as never }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What a promise threw (fails the test if it did not throw). */
export async function caught(p: Promise<unknown>): Promise<{ code: string; retryable: boolean; params: Record<string, unknown>; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as never;
  }
  throw new Error('expected an error, got none');
}
