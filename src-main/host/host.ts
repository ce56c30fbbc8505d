/**
 * The composition root: builds every service from the configuration and exposes them to a shell
 * (Electron or the browser host) as one Dispatcher plus one EventBus. Shells add transport only.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { ApplicantService } from '../applicant/applicant-service.js';
import { AuthService } from '../auth/auth-service.js';
import { Catalog } from '../catalog/catalog.js';
import { AppError } from '../contract/errors.js';
import type { Db } from '../db/database.js';
import { openStore, type Store } from '../db/store.js';
import { RequestService } from '../requests/request-service.js';
import { signAndQueue, type RequestSigner } from '../requests/signing.js';
import { sniffImport } from '../scan/image-import.js';
import { ScanimageScanner, type ScannerPort } from '../scan/scanimage-scanner.js';
import { GatewayClient } from '../sync/gateway-client.js';
import { SyncEngine } from '../sync/sync-engine.js';
import type { Config } from './config.js';
import { createDispatcher, type CallContext, type Dispatcher, type Handlers } from './dispatcher.js';
import { EventBus } from './events.js';
import type { Logger } from './logger-types.js';
import { appVersion, assetPath } from './paths.js';
import { createSigner } from './signer.js';

export interface HostOptions {
  config: Config;
  shell: 'electron' | 'browser';
  log: Logger;
  /** Called when an administrator closes the app (kiosk mode). */
  onQuit?: () => void;
  now?: () => Date;
  /** Replacements for tests (a scanner double where no SANE can run, a fixed signer). */
  scanner?: ScannerPort;
  signer?: RequestSigner;
  /** Start the sync engine's timer (tests drive rounds themselves). */
  startSync?: boolean;
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

export async function createHost(opts: HostOptions): Promise<Host> {
  const { config, log } = opts;
  const now = opts.now ?? (() => new Date());
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });

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
    caPem: config.backend.caFile ? readFileSync(config.backend.caFile, 'utf8') : null,
    timeoutMs: config.backend.timeoutMs,
    workstationId: config.workstationId,
  });
  const applicants = new ApplicantService(db, gateway, log.child({ svc: 'applicant' }), now);
  const requests = new RequestService(db, catalog, applicants, files, log.child({ svc: 'requests' }), {
    centreCode: config.centre.code,
    workstationId: config.workstationId,
    now,
  });
  const scanner = opts.scanner ?? new ScanimageScanner({ mode: config.scanner.mode, device: config.scanner.device, dataDir: config.dataDir }, log.child({ svc: 'scan' }));
  const signing = createSigner(config, log.child({ svc: 'sign' }), now);
  const signer = opts.signer ?? signing.signer;
  const sync = new SyncEngine(
    requests,
    applicants,
    gateway,
    log.child({ svc: 'sync' }),
    { intervalSeconds: config.sync.intervalSeconds, workstationId: config.workstationId, centreBin: config.centre.bin, now },
    (status) => events.publish('queue.changed', status),
  );
  requests.onChange((r) => events.publish('request.changed', r));

  const operator = (ctx: CallContext) => {
    if (!ctx.session) throw new AppError('UNAUTHENTICATED');
    return ctx.session.operator;
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
      scanner: scanner.availability(),
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
    'applicant.lookup': async ({ kind, number }) => ({ applicant: await applicants.lookup(kind, number) }),
    'request.create': (input, ctx) => requests.create(operator(ctx), input),
    'request.get': ({ id }) => requests.detail(id),
    'request.list': ({ status, limit }) => ({ items: requests.list(status, limit) }),
    'request.search': (filter) => ({ items: requests.search(filter) }),
    'request.cancel': ({ requestId }, ctx) => requests.cancel(operator(ctx), requestId),
    'request.reopen': ({ requestId }, ctx) => requests.reopen(operator(ctx), requestId),
    'request.setRepresentative': ({ requestId, representative }, ctx) => requests.setRepresentative(operator(ctx), requestId, representative),
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
      });
      sync.kick();
      return detail;
    },
    'pages.import': async ({ requestId, slotId, dataBase64 }, ctx) => {
      const page = sniffImport(Buffer.from(dataBase64, 'base64'));
      return requests.addPage(operator(ctx), requestId, slotId, page);
    },
    'pages.content': async ({ pageId }) => {
      const { sha256, mediaType } = requests.pageContent(pageId);
      return { mediaType, dataBase64: (await files.read(sha256)).toString('base64') };
    },
    'scan.page': async ({ requestId, slotId }, ctx) => {
      const page = await scanner.scanPage();
      return requests.addPage(operator(ctx), requestId, slotId, page);
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
      await sync.stop();
      await store.close();
      log.info('host stopped');
    },
  };
}
