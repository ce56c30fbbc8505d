/**
 * The composition root: builds every service from the configuration and exposes them to a shell
 * (Electron or the browser host) as one Dispatcher plus one EventBus. Shells add transport only.
 */
import { join } from 'node:path';
import { ApplicantService } from '../applicant/applicant-service.js';
import { AuthService } from '../auth/auth-service.js';
import { Catalog } from '../catalog/catalog.js';
import { AppError, isAppError } from '../contract/errors.js';
import type { Db } from '../db/database.js';
import { openStore, type Store } from '../db/store.js';
import { DocsClient } from '../docs/docs-client.js';
import { recordReceipt } from '../requests/outcomes.js';
import { SqliteUploadStateStore } from '../requests/upload-state.js';
import { slotPdfAssembler } from '../requests/document-pdfs.js';
import { issuanceSheetInput, receiptInput, refusalNoticeInput } from '../requests/papers.js';
import { RequestService } from '../requests/request-service.js';
import { signAndQueue, type RequestSigner } from '../requests/signing.js';
import type { JobSnapshot, WorkerSpawner } from '../scan/index.js';
import { GatewayClient } from '../sync/gateway-client.js';
import { ResultService } from '../sync/results.js';
import { SyncEngine, type ResultVerifier } from '../sync/sync-engine.js';
import { loadTlsCredentials } from '../sync/tls.js';
import { configPaths, type Config } from './config.js';
import { createDispatcher, type CallContext, type Dispatcher, type Handlers } from './dispatcher.js';
import { EventBus } from './events.js';
import type { Logger } from './logger-types.js';
import { appRoot, appVersion, assetPath } from './paths.js';
import type { Scanning } from './scanning.js';
import { createSigner } from './signer.js';
import { writeUserSetting } from './user-settings.js';

/** How long after start the scanner worker and image libraries load when nothing asked for them. */
const SCANNING_START_DELAY_MS = 1500;

export interface HostOptions {
  config: Config;
  shell: 'electron' | 'browser';
  log: Logger;
  /** Called when an administrator closes the app (kiosk mode). */
  onQuit?: () => void;
  now?: () => Date;
  /** A fixed signer (tests of the request flow that are not about signing). */
  signer?: RequestSigner;
  /** The scanner worker's entry (default dist/main/scan-worker.mjs), or a spawner (Electron's utilityProcess). */
  scanWorkerEntry?: string;
  scanSpawner?: WorkerSpawner;
  /** Start the sync engine's timer (tests drive rounds themselves). */
  startSync?: boolean;
  /** Where each configuration key came from (config.ts loadConfig), and the layers read. */
  provenance?: Record<string, string>;
  configSources?: string[];
  /** The per-user configuration file the settings screen writes (default: this platform's). */
  userConfigFile?: string;
  /** Printing, where the shell can print (Electron); absent under the browser host. */
  printer?: Printer;
}

export interface Printer {
  list(): Promise<{ name: string; displayName: string }[]>;
  /** Prints the PDF: silently to the given or default printer in kiosk mode, with the system dialog otherwise. */
  print(pdf: Uint8Array, opts: { deviceName: string | null }): Promise<void>;
}

export interface Host {
  dispatcher: Dispatcher;
  events: EventBus;
  db: Db;
  sync: SyncEngine;
  requests: RequestService;
  auth: AuthService;
  store: Store;
  close(): Promise<void>;
}

/** A scan job as the contract shows it (no device options, no raw settings). */
function jobOut(j: JobSnapshot) {
  return {
    jobId: j.jobId,
    deviceId: j.deviceId,
    state: j.state,
    pages: j.pages,
    skippedBlank: j.skippedBlank,
    fault: j.fault ? { code: j.fault.code, action: j.fault.action, retryable: j.fault.retryable } : null,
  };
}

export async function createHost(opts: HostOptions): Promise<Host> {
  const { config, log } = opts;
  const now = opts.now ?? (() => new Date());

  const store = await openStore({
    dataDir: config.dataDir,
    log: log.child({ svc: 'store' }),
    now,
    backup: config.backup,
    scheduleBackups: opts.startSync !== false,
  });
  const { db, files, audit } = store;
  const catalog = Catalog.load(assetPath('catalog', 'services.json'));
  const events = new EventBus(log.child({ svc: 'events' }));

  const auth = new AuthService(
    db,
    log.child({ svc: 'auth' }),
    { maxFailedLogins: config.auth.maxFailedLogins, idleTimeoutMinutes: config.auth.idleTimeoutMinutes, now },
    (reason) => {
      audit.append({ actor: 'system', action: 'auth.logout', data: { reason } });
      events.publish('session.ended', { reason });
    },
  );
  if (config.auth.seedDemoAccounts) await auth.seedDemoAccounts();

  const gateway = new GatewayClient({
    baseUrl: config.backend.url,
    tls: loadTlsCredentials(config.backend),
    timeoutMs: config.backend.timeoutMs,
    workstationId: config.workstationId,
    now,
  });
  const applicants = new ApplicantService(db, gateway, log.child({ svc: 'applicant' }), now);
  const requests = new RequestService(db, catalog, applicants, files, log.child({ svc: 'requests' }), {
    centreCode: config.centre.code,
    workstationId: config.workstationId,
    now,
  });
  // The scanner worker and the image libraries start in the background, a moment after the host
  // is up (loading them blocks the event loop for a while: the first page is served before), or
  // at once when something asks for them; the operator logs in meanwhile.
  let scanningLoaded: Promise<Scanning> | null = null;
  let closing = false;
  const scanning = (): Promise<Scanning> => {
    if (closing) return Promise.reject(new AppError('INTERNAL', {}, { detail: 'the host is closing' }));
    return (scanningLoaded ??= loadScanning());
  };
  const loadScanning = (): Promise<Scanning> => import('./scanning.js').then(({ createScanning }) =>
    createScanning({
      config,
      files,
      requests,
      events,
      log: log.child({ svc: 'scan' }),
      now,
      workerEntry: opts.scanWorkerEntry ?? join(appRoot(), 'dist', 'main', 'scan-worker.mjs'),
      ...(opts.scanSpawner ? { spawner: opts.scanSpawner } : {}),
    }),
  );
  const scanningTimer = setTimeout(
    () => void scanning().catch((e: unknown) => log.error({ err: e }, 'scanning could not be set up')),
    SCANNING_START_DELAY_MS,
  );
  scanningTimer.unref();
  const scanService = async () => {
    const s = (await scanning()).service;
    if (!s) throw new AppError('SCAN_NO_SANE');
    return s;
  };
  const scannerAvailability = async () => {
    const s = await (await scanning()).status();
    return { available: s.sane === 'available', reason: s.sane === 'available' ? null : (s.reason ?? 'no_sane') };
  };
  const signLog = log.child({ svc: 'sign' });
  let signingConfig = config;
  let signing = createSigner(signingConfig, signLog, now);
  // The request flow always asks the current signer, so a provider change applies at once.
  const signer: RequestSigner = opts.signer ?? { signManifest: (input, password) => signing.signer.signManifest(input, password) };
  const userConfigFile = opts.userConfigFile ?? configPaths().user;
  // Results are verified with the providers' trust roots (signing.resultTrustRootsFile) before they
  // are shown; without a signing configuration they stay unverified (never shown as ready).
  const verifyResult: ResultVerifier = async (pdf, cms, at) => {
    const svc = await signing.service();
    if (!svc) return null;
    const v = await svc.verifyResult(pdf, cms, { at });
    return { signerCn: v.signer.subjectCn, signedAt: v.signingTime?.toISOString() ?? null };
  };
  const sync = new SyncEngine(
    requests,
    applicants,
    gateway,
    log.child({ svc: 'sync' }),
    {
      intervalSeconds: config.sync.intervalSeconds,
      workstationId: config.workstationId,
      centreBin: config.centre.bin,
      now,
      uploadChunkBytes: config.backend.uploadChunkKiB * 1024,
      uploadState: new SqliteUploadStateStore(db, now),
      concurrency: config.sync.concurrency,
      maxBackoffSeconds: config.sync.maxBackoffSeconds,
      verifyResult,
    },
    (status) => events.publish('queue.changed', status),
  );
  requests.onChange((r) => events.publish('request.changed', r));
  const results = new ResultService(requests, () => verifyResult, now);
  // Every PDF is made in the documents worker thread: the UI never waits on pdf-lib or fonts.
  const docs = new DocsClient({ assetsDir: assetPath(), log: log.child({ svc: 'docs' }) });
  // Warm it once the window is up, so the first receipt does not wait for it.
  setTimeout(() => void docs.warm().catch((e: unknown) => log.warn({ err: e }, 'documents worker did not start')), 3000).unref();
  const paperContext = (requestId: string, serviceId: string) => ({
    centre: { name: config.centre.name, address: config.centre.address, bin: config.centre.bin },
    operatorName: requests.operatorName(requestId),
    service: catalog.get(serviceId),
    docs,
    now: now(),
  });
  // A paper handed over is stored (file first), then recorded as a receipt of its request, so the
  // file has a row (not an orphan for reconciliation) and retention purges it with the request.
  const storePdf = async (pdf: Uint8Array, receipt: { requestId: string; kind: 'acceptance' | 'refusal'; number: string }) => {
    const stored = await files.put(pdf);
    recordReceipt(requests, { ...receipt, file: { sha256: stored.sha256, size: stored.size } }, now().toISOString());
    return { sha256: stored.sha256, size: stored.size, dataBase64: Buffer.from(pdf).toString('base64') };
  };

  const operator = (ctx: CallContext) => {
    if (!ctx.session) throw new AppError('UNAUTHENTICATED');
    return ctx.session.operator;
  };

  // The registry could not be reached: let the sync engine probe the backend now, so the header's
  // online/offline follows what the operator was just told instead of the last round's answer.
  const viaRegistry = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (e) {
      if (isAppError(e) && e.code === 'REGISTRY_UNAVAILABLE') sync.kick();
      throw e;
    }
  };

  const handlers: Handlers = {
    'app.info': () => ({
      version: appVersion(),
      shell: opts.shell,
      defaultLanguage: config.language,
      kiosk: config.kiosk,
      workstationId: config.workstationId,
      centre: { code: config.centre.code, bin: config.centre.bin, name: config.centre.name },
      demoAccounts: config.auth.seedDemoAccounts,
    }),
    'auth.login': async ({ login, password }) => {
      const o = await auth.login(login, password).catch((e: unknown) => {
        audit.append({ actor: 'unknown', action: 'auth.login_failed', data: { code: (e as { code?: string }).code ?? 'INTERNAL' }, personal: { login } });
        throw e;
      });
      audit.append({ actor: o.id, action: 'auth.login', data: { role: o.role } });
      return { operator: { id: o.id, login: o.login, fullName: o.fullName, role: o.role } };
    },
    'auth.logout': (_input, ctx) => {
      if (ctx.session) audit.append({ actor: ctx.session.operator.id, action: 'auth.logout', data: { reason: 'logout' } });
      auth.logout('logout');
      return { ok: true as const };
    },
    'auth.session': () => {
      const s = auth.current(false);
      return { operator: s ? { id: s.operator.id, login: s.operator.login, fullName: s.operator.fullName, role: s.operator.role } : null };
    },
    'admin.quit': async ({ login, password }) => {
      const o = await auth.authenticate(login, password);
      if (o.role !== 'admin') throw new AppError('FORBIDDEN');
      log.warn({ operatorId: o.id }, 'application closed by an administrator');
      setTimeout(() => opts.onQuit?.(), 50);
      return { ok: true as const };
    },
    'catalog.services': () => ({ services: [...catalog.services] }),
    'applicant.lookup': async ({ kind, number }) => ({ applicant: await viaRegistry(() => applicants.lookup(kind, number)) }),
    'request.create': (input, ctx) => requests.create(operator(ctx), input),
    'request.get': ({ id }) => requests.detail(id),
    'request.list': ({ status, limit }) => ({ items: requests.list(status, limit) }),
    'request.search': (filter) => ({ items: requests.search(filter) }),
    'request.cancel': ({ requestId }, ctx) => requests.cancel(operator(ctx), requestId),
    'request.reopen': ({ requestId }, ctx) => requests.reopen(operator(ctx), requestId),
    'request.setRepresentative': ({ requestId, representative }, ctx) => requests.setRepresentative(operator(ctx), requestId, representative),
    'request.verifyRepresentative': async ({ requestId }, ctx) => {
      const detail = requests.detail(requestId);
      const rep = detail.representative;
      if (!rep) throw new AppError('REQUEST_STATE', { status: 'no_representative' });
      const record = await viaRegistry(() =>
        applicants.verifyPowerOfAttorney(
          { kind: detail.applicant.kind, number: detail.applicant.number },
          { iin: rep.iin, number: rep.powerOfAttorney.number },
        ),
      );
      return requests.markRepresentativeVerified(operator(ctx), requestId, record);
    },
    'request.requeue': ({ requestId }, ctx) => {
      const detail = requests.requeue(operator(ctx), requestId);
      sync.kick();
      return detail;
    },
    'pages.delete': ({ requestId, pageId }, ctx) => requests.deletePage(operator(ctx), requestId, pageId),
    'pages.reorder': ({ requestId, slotId, pageIds }, ctx) => requests.reorderPages(operator(ctx), requestId, slotId, pageIds),
    'pages.rotate': ({ requestId, pageId, rotation }, ctx) => requests.rotatePage(operator(ctx), requestId, pageId, rotation),
    'request.setDocument': ({ requestId, slotId, presented, original }, ctx) =>
      requests.setDocument(operator(ctx), requestId, slotId, presented, original),
    'request.sign': async ({ requestId, password }, ctx) => {
      const o = operator(ctx);
      const detail = await signAndQueue(requests, signer, requestId, password, {
        operator: { id: o.id, iin: o.iin, fullName: o.fullName },
        centre: { code: config.centre.code, bin: config.centre.bin, name: config.centre.name.kk, workstationId: config.workstationId },
        now,
        log: ctx.log,
        assemble: slotPdfAssembler({ docs, files, operatorName: o.fullName, now }),
      });
      sync.kick();
      return detail;
    },
    'pages.import': async ({ requestId, slotId, dataBase64 }, ctx) => {
      await (await scanning()).importFile(operator(ctx).id, { requestId, slotId, bytes: Buffer.from(dataBase64, 'base64') });
      return requests.detail(requestId);
    },
    'pages.content': async ({ pageId }) => {
      const { sha256, mediaType } = requests.pageContent(pageId);
      return { mediaType, dataBase64: (await files.read(sha256)).toString('base64') };
    },
    'scan.status': async () => (await scanning()).status(),
    'scan.devices': async ({ refresh }) => ({ devices: await (await scanService()).devices({ refresh }) }),
    'scan.profiles': async () => ({
      profiles: ((await scanning()).service?.listProfiles() ?? []).map((p) => ({
        id: p.id,
        nameKey: p.nameKey,
        source: p.settings.source,
        mode: p.settings.mode,
        dpi: p.settings.dpi,
      })),
    }),
    'scan.start': async (input, ctx) => jobOut(await (await scanning()).start(operator(ctx).id, input)),
    'scan.continue': async ({ jobId }) => jobOut(await (await scanService()).continueJob(jobId)),
    'scan.job': async ({ jobId }) => jobOut((await scanService()).job(jobId)),
    'scan.cancel': async ({ jobId }) => jobOut(await (await scanService()).cancel(jobId)),
    'docs.receipt': async ({ requestId, language }) => {
      const detail = requests.detail(requestId);
      const ctx = paperContext(requestId, detail.serviceId);
      return storePdf(await ctx.docs.receipt(receiptInput(detail, language, ctx)), { requestId, kind: 'acceptance', number: detail.localNumber });
    },
    'docs.refusalNotice': async ({ requestId, language }) => {
      const detail = requests.detail(requestId);
      const ctx = paperContext(requestId, detail.serviceId);
      return storePdf(await ctx.docs.refusalNotice(refusalNoticeInput(detail, language, ctx)), { requestId, kind: 'refusal', number: detail.localNumber });
    },
    'docs.expectedResult': ({ serviceId, subServiceId }) => {
      const service = catalog.get(serviceId);
      const sub = service.subServices.find((x) => x.id === subServiceId);
      if (service.subServices.length && !sub) throw new AppError('CATALOG_UNKNOWN_SERVICE');
      const rule = sub?.deadline ?? { unit: 'months' as const, count: 1 };
      const due = docs.expectedResult(now(), rule);
      return { date: due.date, provisional: due.provisional, unit: rule.unit, count: rule.count };
    },
    'print.printers': async () => ({ printers: opts.printer ? await opts.printer.list() : [] }),
    'print.pdf': async ({ sha256, printer }) => {
      if (!(await files.has(sha256))) throw new AppError('NOT_FOUND');
      if (!opts.printer) return { method: 'open' as const };
      await opts.printer.print(await files.read(sha256), { deviceName: printer });
      return { method: 'printed' as const };
    },
    'settings.get': async () => {
      const source = opts.provenance?.['signing.provider'] ?? null;
      return {
        signing: {
          provider: signingConfig.signing.provider,
          keystoreConfigured: Boolean(signingConfig.signing.keystoreFile),
          trustConfigured: Boolean(signingConfig.signing.trustRootsFile),
          ncalayerUrl: signingConfig.signing.ncalayer.url,
          providerLockedBy: source?.startsWith('environment') ? source : null,
        },
        scanner: await scannerAvailability(),
        version: appVersion(),
        workstationId: config.workstationId,
        configSources: opts.configSources ?? ['defaults'],
      };
    },
    'settings.setSigningProvider': ({ provider }, ctx) => {
      const source = opts.provenance?.['signing.provider'];
      if (source?.startsWith('environment')) throw new AppError('SETTINGS_LOCKED', { source });
      writeUserSetting(userConfigFile, 'signing.provider', provider);
      signingConfig = { ...signingConfig, signing: { ...signingConfig.signing, provider } };
      signing = createSigner(signingConfig, signLog, now);
      ctx.log.info({ provider }, 'signing provider changed by an administrator');
      return { ok: true as const };
    },
    'sign.keystoreInfo': async ({ password }, ctx) => {
      const o = operator(ctx);
      if (!o.iin) throw new AppError('AUTH_OPERATOR_NO_IIN');
      return signing.keystoreInfo(password, o.iin);
    },
    'result.get': ({ requestId }) => results.get(requestId),
    'request.issue': async ({ requestId, recipient, language }, ctx) => {
      const o = operator(ctx);
      const detail = requests.detail(requestId);
      // The sheet names the operator who hands the result over.
      const paper = { ...paperContext(requestId, detail.serviceId), operatorName: o.fullName };
      const sheet = await paper.docs.issuanceSheet(issuanceSheetInput(detail, recipient, language, paper));
      const out = await results.issue(o, requestId, recipient, sheet);
      sync.kick();
      return out;
    },
    'queue.status': () => sync.status(),
    'queue.syncNow': () => {
      sync.kick();
      return { ok: true as const };
    },
  };

  const dispatcher = createDispatcher(handlers, { log, currentSession: (touch) => auth.current(touch) });
  if (opts.startSync !== false) sync.start();
  log.info({ shell: opts.shell, version: appVersion(), dataDir: config.dataDir }, 'host started');

  return {
    dispatcher,
    events,
    db,
    sync,
    requests,
    auth,
    store,
    async close() {
      // No scanner worker may start once closing has begun; one starting now is awaited and closed.
      closing = true;
      clearTimeout(scanningTimer);
      await sync.stop();
      await (await scanningLoaded?.catch(() => null))?.close();
      await docs.close();
      gateway.close();
      await store.close();
      log.info('host stopped');
    },
  };
}
