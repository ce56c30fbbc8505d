/**
 * A real store on a temp data directory (SQLite file, content store, worker, audit), with the
 * request service over the real catalogue, an operator row, and helpers that walk a request along
 * Diagram 3 through the store's own API.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicantService } from '../../src-main/applicant/applicant-service.js';
import { Catalog } from '../../src-main/catalog/catalog.js';
import { idnCheckDigit } from '../../src-main/contract/idn.js';
import type { RequestDetail } from '../../src-main/contract/model.js';
import { openStore, type Store, type StoreOptions } from '../../src-main/db/store.js';
import { appRoot, assetPath } from '../../src-main/host/paths.js';
import { RequestService, type Actor, type NewPage } from '../../src-main/requests/request-service.js';
import type { PapersClient } from '../../src-main/papers/papers-client.js';
import { slotPdfAssembler } from '../../src-main/requests/document-pdfs.js';
import { signAndQueue, type SigningContext } from '../../src-main/requests/signing.js';
import { GatewayClient } from '../../src-main/gateway/gateway-client.js';
import { captureLogger } from './capture-logger.js';
import { processPapers } from './papers.js';
import { signerDouble } from './signer-double.js';

export const SERVICE = { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4' };
export const JPEG = readFileSync(join(appRoot(), 'test', 'fixtures', 'page-gray.jpg'));

export interface StoreFixture {
  dir: string;
  dataDir: string;
  /** The papers worker's client (PDFs at signing): the process's one (papers.ts). */
  docs: PapersClient;
  store: Store;
  requests: RequestService;
  applicants: ApplicantService;
  actor: Actor;
  logLines: string[];
  clock: { t: number };
  now: () => Date;
  signing: SigningContext;
  close(opts?: { keep?: boolean }): Promise<void>;
}

/**
 * The n-th valid IIN of a synthetic series (born 1990, or 1890 in the rare case where neither
 * 20th-century digit gives a check digit: never a birth in the future; n < 3,360,000 gives
 * distinct numbers).
 */
export function makeIin(n: number): string {
  const pad = (v: number) => String(v).padStart(2, '0');
  const day = 1 + (n % 28);
  const month = 1 + (Math.floor(n / 28) % 12);
  const serial = String(Math.floor(n / 336)).padStart(4, '0');
  for (const century of [3, 4, 1, 2]) {
    const first11 = `90${pad(month)}${pad(day)}${century}${serial}`;
    const check = idnCheckDigit(first11);
    if (check !== null) return first11 + String(check);
  }
  throw new Error(`makeIin: no valid IIN for ${n}`);
}

export function page(bytes: Buffer = JPEG): NewPage {
  return { bytes, mediaType: 'image/jpeg', width: 850, height: 1100, dpi: 100, source: 'import' };
}

export async function openFixture(opts: Partial<StoreOptions> & { dir?: string } = {}): Promise<StoreFixture> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'qab-store-'));
  const dataDir = opts.dataDir ?? join(dir, 'data');
  const clock = { t: Date.parse('2026-11-23T09:00:00.000Z') };
  const now = () => new Date(clock.t);
  const logLines: string[] = [];
  const log = captureLogger(logLines);
  const store = await openStore({ dataDir, log, now, ...opts });
  const catalog = Catalog.load(assetPath('catalog', 'services.json'));
  const gateway = new GatewayClient({ baseUrl: 'http://127.0.0.1:9', tls: null, timeoutMs: 500, workstationId: 'W01' });
  const applicants = new ApplicantService(store.db, gateway, log, now);
  const requests = new RequestService(store.db, catalog, applicants, store.files, log, { centreCode: 'ALM-01', workstationId: 'W01', now });
  let operatorId = (store.db.prepare(`SELECT id FROM operators WHERE login = 'operator'`).get() as { id: string } | undefined)?.id;
  if (!operatorId) {
    operatorId = randomUUID();
    store.db
      .prepare(`INSERT INTO operators (id, login, full_name, iin, role, password_hash, created_at) VALUES (?, 'operator', ?, ?, 'operator', 'x', ?)`)
      .run(operatorId, 'Омаров Ерлан Серікұлы', '850315300128', now().toISOString());
  }
  // The process's papers worker (papers.ts): stateless, so shared; a fixture never closes it.
  const docs = processPapers();
  const signing: SigningContext = {
    operator: { id: operatorId, iin: '850315300128', fullName: 'Омаров Ерлан Серікұлы' },
    centre: { code: 'ALM-01', bin: '040340001233', name: 'ХҚКО Алматы қ. Алмалы ауданы бөлімі', workstationId: 'W01' },
    now,
    log,
    assemble: slotPdfAssembler({ docs, files: store.files, operatorName: 'Омаров Ерлан Серікұлы', now }),
  };
  return {
    dir,
    dataDir,
    docs,
    store,
    requests,
    applicants,
    actor: { id: operatorId },
    logLines,
    clock,
    now,
    signing,
    async close(o = {}) {
      await store.close();
      if (!o.keep && !opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function createRequest(fx: StoreFixture, n = 1, manualName = 'Жұмабаева Әсел Қайратқызы'): RequestDetail {
  return fx.requests.create(fx.actor, { ...SERVICE, applicant: { kind: 'iin', number: makeIin(n), manualName } });
}

/** Marks every required document presented and attaches one page to each. */
export async function completeDocuments(fx: StoreFixture, r: RequestDetail, bytes: Buffer = JPEG): Promise<RequestDetail> {
  let d = r;
  for (const s of r.slots.filter((x) => x.required)) {
    fx.requests.setDocument(fx.actor, r.id, s.slotId, true, s.slotId === 'application');
    d = await fx.requests.addPage(fx.actor, r.id, s.slotId, page(bytes));
  }
  return d;
}

export async function signedRequest(fx: StoreFixture, n = 1): Promise<RequestDetail> {
  const r = await completeDocuments(fx, createRequest(fx, n));
  return signAndQueue(fx.requests, signerDouble(fx.now), r.id, 'Qwerty12', fx.signing);
}
