/**
 * The sync engine's real parts for a test: a real store (SQLite file, content store, audit) on a
 * temp directory with a LIVE clock (the engine's backoff and due times are real), the request and
 * applicant services, a GatewayClient with the workstation's client certificate, and the engine
 * wired as the host wires it (SqliteUploadStateStore, the signing service's verifyResult with the
 * test PKI's provider root).
 *
 * `queueRequests` puts many signed requests in the queue fast: the same rows signAndQueue writes
 * (request, slots, a page per document, the status history with its audit entries, the signature
 * with the exact manifest bytes, the outbox entry and key), in one transaction per 200 requests.
 * The manifest is the real RFC 8785 manifest (src-main/sign/manifest.ts) listing the request's
 * documents; the CMS is either a real detached signature by the test operator's key (`sign`) or a
 * stand-in of the same size (for volume tests against a sandbox that does not check signatures).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicantService } from '../../src-main/applicant/applicant-service.js';
import { Catalog } from '../../src-main/catalog/catalog.js';
import { writeTx } from '../../src-main/db/database.js';
import { newId } from '../../src-main/db/ids.js';
import { applicantNumberHash } from '../../src-main/db/keys.js';
import { openStore, type Store } from '../../src-main/db/store.js';
import type { Logger } from '../../src-main/host/logger-types.js';
import { assetPath } from '../../src-main/host/paths.js';
import { RequestService } from '../../src-main/requests/request-service.js';
import { recordHistory } from '../../src-main/db/repos/transitions.js';
import { SqliteUploadStateStore } from '../../src-main/db/repos/upload-progress.js';
import { canonicalManifest, openPkcs12, SignService, signDetached, type Keystore } from '../../src-main/sign/index.js';
import { GatewayClient } from '../../src-main/gateway/gateway-client.js';
import type { ResultVerifier } from '../../src-main/requests/results.js';
import { SyncEngine, type SyncOptions } from '../../src-main/sync/sync-engine.js';
import { loadTlsCredentials } from '../../src-main/gateway/tls.js';
import type { QueueStatus, RequestStatus } from '../../src-main/contract/model.js';
import { makeIin } from './store-fixture.js';
import type { TestPki } from './pki.js';
import { storeProviderCrls, testResultProviders } from './sign-config.js';

export const CENTRE_BIN = '040340001233';
export const OPERATOR = { iin: '850315300128', name: 'Омаров Ерлан Серікұлы' };
export const SERVICE = { id: 'emission-permit-almaty', subService: 'cat-4' };

export interface SyncWorld {
  store: Store;
  requests: RequestService;
  applicants: ApplicantService;
  client: GatewayClient;
  operatorId: string;
  now: () => Date;
  log: Logger;
  /** The engine as the host builds it; quick backoff for tests unless overridden. */
  engine(opts?: Partial<SyncOptions>, onQueueChanged?: (s: QueueStatus) => void): SyncEngine;
  close(): Promise<void>;
}

/**
 * A client with the test workstation's certificate (mutual TLS with the sandbox). The default
 * deadline is a hang guard, not a figure under test: on a loaded machine a call can take seconds,
 * and a timeout there would show up as a fault the test did not inject.
 */
export function workstationClient(pki: TestPki, baseUrl: string, now: () => Date, timeoutMs = 60_000): GatewayClient {
  return new GatewayClient({
    baseUrl,
    tls: loadTlsCredentials({ caFile: pki.tls.ca, clientCertFile: pki.tls.clientCert, clientKeyFile: pki.tls.clientKey, clientPkcs12File: null, clientKeyPasswordFile: null }),
    timeoutMs,
    workstationId: 'W01',
    now,
  });
}

/**
 * The host's verifier: SignService.verifyResult with the test provider's trust (its root by
 * default; `roots` replaces it, e.g. with the wrong root), the provider's CRLs in a cache of its own.
 */
export function resultVerifier(pki: TestPki, now: () => Date, roots: string = pki.provider.root): ResultVerifier {
  const cacheDir = mkdtempSync(join(tmpdir(), 'qab-result-crl-'));
  const crls = storeProviderCrls(pki.dir, cacheDir);
  const svc = new SignService(
    {
      provider: 'pkcs12',
      centreBin: CENTRE_BIN,
      trustRoots: [readFileSync(pki.trustRoots, 'utf8')],
      resultProviders: testResultProviders(pki.dir, { trustRoots: [readFileSync(roots, 'utf8')] }),
      revocation: { mode: 'offline', ocsp: false, cacheDir, graceMs: 0, timeoutMs: 1000 },
    },
    { logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => ({}) as never }, now },
  );
  return async (pdf, cms, at, serviceId) => {
    await crls;
    const v = await svc.verifyResult(pdf, cms, { at, serviceId });
    return { signerCn: v.signer.subjectCn, signedAt: v.signingTime?.toISOString() ?? null };
  };
}

export async function openSyncWorld(o: {
  dataDir: string;
  pki: TestPki;
  sandboxUrl: string;
  log: Logger;
  /** Clock offset (skew) in milliseconds. */
  skewMs?: number;
  reconcile?: boolean;
  timeoutMs?: number;
}): Promise<SyncWorld> {
  const now = () => new Date(Date.now() + (o.skewMs ?? 0));
  const store = await openStore({ dataDir: o.dataDir, log: o.log, now, reconcile: o.reconcile ?? false });
  const catalog = Catalog.load(assetPath('catalog', 'services.json'));
  const client = workstationClient(o.pki, o.sandboxUrl, now, o.timeoutMs);
  const applicants = new ApplicantService(store.db, client, o.log, now);
  const requests = new RequestService(store.db, catalog, applicants, store.files, o.log, { centreCode: 'ALM-01', workstationId: 'W01', now });
  let operatorId = (store.db.prepare(`SELECT id FROM operators WHERE login = 'operator'`).get() as { id: string } | undefined)?.id;
  if (!operatorId) {
    operatorId = randomUUID();
    store.db
      .prepare(`INSERT INTO operators (id, login, full_name, iin, role, password_hash, created_at) VALUES (?, 'operator', ?, ?, 'operator', 'x', ?)`)
      .run(operatorId, OPERATOR.name, OPERATOR.iin, now().toISOString());
  }
  const verify = resultVerifier(o.pki, now);
  const engines: SyncEngine[] = [];
  return {
    store,
    requests,
    applicants,
    client,
    operatorId,
    now,
    log: o.log,
    engine(opts = {}, onQueueChanged) {
      const e = new SyncEngine(
        requests,
        applicants,
        client,
        o.log,
        {
          intervalSeconds: 1,
          workstationId: 'W01',
          centreBin: CENTRE_BIN,
          now,
          concurrency: 2,
          backoffBaseSeconds: 0.05,
          maxBackoffSeconds: 1,
          uploadState: new SqliteUploadStateStore(store.db, now),
          uploadChunkBytes: 64 * 1024,
          verifyResult: verify,
          ...opts,
        },
        onQueueChanged,
      );
      engines.push(e);
      return e;
    },
    async close() {
      for (const e of engines) await e.stop();
      client.close();
      await store.close();
    },
  };
}

export interface QueueOptions {
  /** How many requests (default 1). */
  count?: number;
  /** Size of each request's own document in bytes (default 4 KiB); random bytes, unique per request. */
  documentBytes?: number;
  /** How many own documents (pages) each request carries, each of `documentBytes` (default 1). */
  pages?: number;
  /** A document every request also carries (the same bytes: uploaded once). */
  shared?: Buffer | null;
  /** The applicant of request i: IIN and whether the registry confirmed it (default: a synthetic IIN, verified). */
  applicant?: (i: number) => { iin: string; name?: string; verified: boolean };
  /** Sign each manifest with this PKCS#12 (the test operator's key) instead of a stand-in CMS. */
  signWith?: { file: string; password: string } | null;
  /** First synthetic applicant number (distinct series per test). */
  offset?: number;
}

/** Puts signed requests in the queue (status queued, a pending submit entry each); returns their ids in order. */
export async function queueRequests(w: SyncWorld, opts: QueueOptions = {}): Promise<string[]> {
  const count = opts.count ?? 1;
  const db = w.store.db;
  const audit = w.requests.audit;
  const catalog = Catalog.load(assetPath('catalog', 'services.json')).get(SERVICE.id);
  let keystore: Keystore | null = null;
  if (opts.signWith) keystore = await openPkcs12(new Uint8Array(readFileSync(opts.signWith.file)), opts.signWith.password);
  const put = (bytes: Buffer): { sha256: string; size: number } => {
    // Written the content store's way (path by hash, encrypted); without its fsyncs, to fill a test store fast.
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = w.store.files.pathOf(sha256);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, w.store.files.storedForm(bytes));
    return { sha256, size: bytes.byteLength };
  };
  const shared = opts.shared ? put(opts.shared) : null;
  const ids: string[] = [];
  const BATCH = 200;
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    const prepared: { id: string; sigId: string; manifest: Buffer; cms: Buffer; applicant: { iin: string; name: string; verified: boolean }; own: { sha256: string; size: number }[]; at: string }[] = [];
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const a = opts.applicant?.(i) ?? { iin: makeIin((opts.offset ?? 500_000) + i), verified: true };
      const applicant = { iin: a.iin, name: a.name ?? `Өтініш беруші ${i} Қайратқызы`, verified: a.verified };
      const own = Array.from({ length: opts.pages ?? 1 }, () => put(randomBytes(opts.documentBytes ?? 4096)));
      const id = newId();
      const at = w.now();
      const signedAt = new Date(Math.floor(at.getTime() / 1000) * 1000);
      const documents = [
        ...own.map((o, index) => ({ slot: 'application', index, sha256: o.sha256, size: o.size, mediaType: 'application/pdf' })),
        ...(shared ? [{ slot: 'identity', index: 0, sha256: shared.sha256, size: shared.size, mediaType: 'application/pdf' }] : []),
      ];
      const manifest = Buffer.from(
        canonicalManifest({
          requestId: id,
          service: SERVICE,
          applicant: { kind: 'iin', number: applicant.iin, name: applicant.name },
          representative: null,
          form: { objectName: 'Қазандық', counter: { workstationId: 'W01', applicantVerified: applicant.verified } },
          operator: { id: w.operatorId, iin: OPERATOR.iin, name: OPERATOR.name },
          centre: { code: 'ALM-01', bin: CENTRE_BIN, name: 'ХҚКО Алматы қ. Алмалы ауданы бөлімі' },
          times: { createdAt: new Date(at.getTime() - 60_000).toISOString(), signedAt: signedAt.toISOString() },
          documents,
        }),
      );
      const cms = keystore
        ? Buffer.from(await signDetached(new Uint8Array(manifest), keystore, { signingTime: signedAt }))
        : Buffer.concat(Array.from({ length: 56 }, (_, j) => createHash('sha256').update(manifest).update(String(j)).digest()));
      prepared.push({ id, sigId: newId(), manifest, cms, applicant, own, at: at.toISOString() });
    }
    writeTx(db, () => {
      for (const p of prepared) {
        const hash = applicantNumberHash(db, 'iin', p.applicant.iin);
        db.prepare(
          `INSERT INTO applicants (id, kind, number, number_hash, name, registry_status, verified, fetched_at) VALUES (?, 'iin', ?, ?, ?, ?, ?, ?)
           ON CONFLICT (number_hash) DO NOTHING`,
        ).run(randomUUID(), p.applicant.iin, hash, p.applicant.name, p.applicant.verified ? 'active' : 'unknown', p.applicant.verified ? 1 : 0, p.applicant.verified ? p.at : null);
        const applicantId = (db.prepare('SELECT id FROM applicants WHERE number_hash = ?').get(hash) as { id: string }).id;
        const year = new Date(p.at).getFullYear();
        db.prepare('INSERT INTO counters (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING').run(`local_number:${year}`);
        db.prepare('UPDATE counters SET value = value + 1 WHERE name = ?').run(`local_number:${year}`);
        const seq = (db.prepare('SELECT value FROM counters WHERE name = ?').get(`local_number:${year}`) as { value: number }).value;
        db.prepare(
          `INSERT INTO requests (id, local_number, service_id, sub_service_id, applicant_id, operator_id, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
        ).run(p.id, `ALM-01-W01-${year}-${String(seq).padStart(6, '0')}`, SERVICE.id, SERVICE.subService, applicantId, w.operatorId, p.at, p.at);
        catalog.documents.forEach((d, pos) => {
          const attached = d.id === 'application' || (shared !== null && d.id === 'identity');
          db.prepare('INSERT INTO document_slots (request_id, slot_id, required, presented, original, position) VALUES (?, ?, ?, ?, 0, ?)').run(p.id, d.id, d.required ? 1 : 0, attached ? 1 : 0, pos);
        });
        const page = db.prepare(
          `INSERT INTO pages (id, request_id, slot_id, position, sha256, size, media_type, rotation, source, created_at) VALUES (?, ?, ?, ?, ?, ?, 'application/pdf', 0, 'import', ?)`,
        );
        p.own.forEach((o, i) => page.run(newId(), p.id, 'application', i + 1, o.sha256, o.size, p.at));
        if (shared) page.run(newId(), p.id, 'identity', 1, shared.sha256, shared.size, p.at);
        const path: RequestStatus[] = ['draft', p.applicant.verified ? 'applicant_verified' : 'applicant_unverified', 'documents_complete', 'signed', 'queued'];
        path.forEach((to, s) => recordHistory(db, audit, p.id, s === 0 ? null : path[s - 1]!, to, w.operatorId, p.at));
        db.prepare(`INSERT INTO signatures (id, request_id, manifest, manifest_sha256, cms, signer_json, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
          p.sigId,
          p.id,
          p.manifest,
          createHash('sha256').update(p.manifest).digest('hex'),
          p.cms,
          JSON.stringify({ name: OPERATOR.name, serial: '0a1b2c3d', notAfter: '2027-11-23T00:00:00.000Z', algorithm: 'RSA-SHA256', iin: OPERATOR.iin }),
          p.at,
        );
        db.prepare(
          `INSERT INTO outbox (id, request_id, kind, idempotency_key, state, attempts, next_attempt_at, created_at) VALUES (?, ?, 'submit', ?, 'pending', 0, ?, ?)`,
        ).run(newId(), p.id, `${p.id}:${p.sigId}`, p.at, p.at);
        ids.push(p.id);
      }
    });
  }
  keystore?.close();
  return ids;
}

/** Waits until `done()` is true (checked every 100 ms), or fails after `timeoutMs` with `describe()`. */
export async function until(done: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => unknown = () => ''): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms: ${JSON.stringify(describe())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Requests per status in the store. */
export function statusCounts(w: SyncWorld): Record<string, number> {
  return Object.fromEntries((w.store.db.prepare('SELECT status, COUNT(*) AS n FROM requests GROUP BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]));
}

