/**
 * The composition root: builds every service from the configuration and exposes them to a shell
 * (Electron or the browser host) as one Dispatcher plus one EventBus. Shells add transport only.
 * It holds no handler and no business rule: each domain's handlers are in handlers/<domain>.ts
 * (composed by handlers/index.ts), the rules in the services they call.
 */
import { join } from 'node:path';
import { ApplicantService } from '../applicant/applicant-service.js';
import { AccountService } from '../auth/accounts.js';
import { AuthService } from '../auth/auth-service.js';
import { Catalog } from '../catalog/catalog.js';
import { Regulations } from '../catalog/regulations.js';
import { createReports, Norms } from '../reports/index.js';
import { isAppError } from '../contract/errors.js';
import type { Db } from '../db/database.js';
import { openStore, type Store } from '../db/store.js';
import { PapersClient } from '../papers/papers-client.js';
import { CounterRefusals } from '../requests/counter-refusals.js';
import { PaperDesk } from '../requests/paper-desk.js';
import { SqliteUploadStateStore } from '../db/repos/upload-progress.js';
import { RequestService } from '../requests/request-service.js';
import { GatewayClient } from '../gateway/gateway-client.js';
import { ResultService, type ResultVerifier } from '../requests/results.js';
import { SyncEngine } from '../sync/sync-engine.js';
import { loadTlsCredentials } from '../gateway/tls.js';
import { clientKeyPassword } from '../crypto/client-key-password.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Config } from './config.js';
import type { Logger } from './logger-types.js';
import { configPaths } from './config.js';
import { createDispatcher, type Dispatcher } from './dispatcher.js';
import { EventBus } from './events.js';
import { createHandlers } from './handlers/index.js';
import type { HostOptions } from './host-options.js';
import { appRoot, appVersion, assetPath } from './paths.js';
import { lazyScanning } from './lazy-scanning.js';
import { SigningSettings } from './signing-settings.js';
import { ReadAudit } from '../audit/read-audit.js';

export type { HostOptions, Printer } from './host-options.js';

/** The backend's TLS credentials; the client key's password from the keyring (a password file of the version before is moved in once). */
function backendTls(config: Config, store: Store, audit: AuditLog, log: Logger) {
  const clientKey = clientKeyPassword(store.keyring, config.backend.clientKeyPasswordFile, log);
  if (clientKey.movedFromFile) audit.append({ actor: 'system', action: 'admin.client-key-password', data: { from: 'file' } });
  return loadTlsCredentials(config.backend, clientKey.password);
}

/** The sync engine over the request store, from the configuration. */
function syncEngine(
  opts: HostOptions,
  d: { requests: RequestService; applicants: ApplicantService; gateway: GatewayClient; db: Db; now: () => Date; events: EventBus; verifyResult: ResultVerifier },
): SyncEngine {
  const { config } = opts;
  return new SyncEngine(
    d.requests,
    d.applicants,
    d.gateway,
    opts.log.child({ svc: 'sync' }),
    {
      intervalSeconds: config.sync.intervalSeconds,
      workstationId: config.workstationId,
      centreBin: config.centre.bin,
      now: d.now,
      uploadChunkBytes: config.backend.uploadChunkKiB * 1024,
      uploadState: new SqliteUploadStateStore(d.db, d.now),
      concurrency: config.sync.concurrency,
      maxBackoffSeconds: config.sync.maxBackoffSeconds,
      maxPauseSeconds: config.sync.maxPauseSeconds,
      verifyResult: d.verifyResult,
    },
    (status) => d.events.publish('queue.changed', status),
  );
}

/**
 * Every PDF is made in the papers worker thread: the UI never waits on pdf-lib or fonts. The
 * host's own client is warmed once the window is up, so the first receipt does not wait for it,
 * and closed with the host; a client the shell passes in (tests: one worker for many hosts) is
 * the shell's to close.
 */
function papersClient(opts: HostOptions): { docs: PapersClient; close: () => Promise<void> } {
  if (opts.papers) return { docs: opts.papers, close: () => Promise.resolve() };
  const docs = new PapersClient({ assetsDir: assetPath(), log: opts.log.child({ svc: 'papers' }) });
  docs.warmAfter(3000, (e) => opts.log.warn({ err: e }, 'papers worker did not start'));
  return { docs, close: () => docs.close() };
}

export interface Host {
  dispatcher: Dispatcher;
  events: EventBus;
  db: Db;
  sync: SyncEngine;
  requests: RequestService;
  auth: AuthService;
  accounts: AccountService;
  /** The one-time token for the first administrator while no account exists (the shell prints it on the machine). */
  bootstrapToken: string | null;
  store: Store;
  close(): Promise<void>;
}

/**
 * The catalogue: an administrator's copy before the shipped one, each checked at start against the
 * regulations' text (an administrator's texts before the shipped ones: assets/regulations/); then
 * the step norms (an administrator's copy beside the catalogue first), their quotes checked against
 * the same texts, read once for both.
 */
function loadCatalog(dataDir: string): { catalog: Catalog; norms: Norms } {
  const regulations = new Regulations([join(dataDir, 'catalog', 'regulations'), assetPath('regulations')]);
  const catalog = Catalog.loadFirst([join(dataDir, 'catalog', 'services.json'), assetPath('catalog', 'services.json')], { regulations });
  const norms = [join(dataDir, 'catalog', 'norms.json'), assetPath('catalog', 'norms.json')];
  return { catalog, norms: Norms.loadFirst(norms, catalog.services.map((s) => s.id), { regulations }) };
}

export async function createHost(opts: HostOptions): Promise<Host> {
  const { config, log } = opts;
  const now = opts.now ?? (() => new Date());
  // Before anything opens: a catalogue or norms the regulations' text does not bear out refuse the start.
  const { catalog, norms } = loadCatalog(config.dataDir);

  const store = await openStore({
    dataDir: config.dataDir,
    log: log.child({ svc: 'store' }),
    now,
    backup: config.backup,
    scheduleBackups: opts.startSync !== false,
    ...(opts.keySealer ? { sealer: opts.keySealer } : {}),
  });
  const { db, files, audit } = store;
  const events = new EventBus(log.child({ svc: 'events' }));

  const auth = new AuthService(
    db,
    log.child({ svc: 'auth' }),
    { maxFailedLogins: config.auth.maxFailedLogins, idleTimeoutMs: opts.idleTimeoutMs ?? config.auth.idleTimeoutMinutes * 60_000, now, hashLogN: opts.passwordHashLogN },
    audit,
    {
      onLoggedIn: (operatorId) => steps.loggedIn(operatorId), // built below: nobody logs in before the host is
      onSessionEnded: (reason) => events.publish('session.ended', { reason }),
      onSessionLocked: () => events.publish('session.locked', { reason: 'idle' }),
    },
  );
  if (config.auth.seedDemoAccounts) await auth.seedDemoAccounts();
  const accounts = new AccountService(auth.store, audit, now, (id) => auth.accountChanged(id), opts.passwordHashLogN);
  const bootstrap = accounts.issueBootstrapToken(config.dataDir);
  if (bootstrap) log.warn({ file: bootstrap.file }, 'no account exists yet: create the first administrator with the one-time token in this file');

  const gateway = new GatewayClient({
    baseUrl: config.backend.url,
    tls: backendTls(config, store, audit, log),
    timeoutMs: config.backend.timeoutMs,
    workstationId: config.workstationId,
    now,
  });
  const applicants = new ApplicantService(db, gateway, log.child({ svc: 'applicant' }), now);
  const { steps, reports } = createReports({ db, catalog, norms, workstationId: config.workstationId, now, clock: opts.stepClock, log: log.child({ svc: 'reports' }), centre: (q) => gateway.centreReport(q), request: (id) => requests.row(id), online: () => sync.status().online });
  const requests = new RequestService(db, catalog, applicants, files, log.child({ svc: 'requests' }), {
    centreCode: config.centre.code,
    workstationId: config.workstationId,
    now,
    steps,
  });
  const scanningLoader = lazyScanning(
    () =>
      import('./scanning.js').then(({ createScanning }) =>
        createScanning({
          config,
          files,
          requests,
          events,
          log: log.child({ svc: 'scan' }),
          now,
          workerEntry: opts.scanWorkerEntry ?? join(appRoot(), 'dist', 'main', 'scan-worker.mjs'),
          ...(opts.scanSpawner ? { spawner: opts.scanSpawner } : {}),
          userConfigFile: opts.userConfigFile ?? configPaths().user,
        }),
      ),
    log,
  );
  const scanning = scanningLoader.get;
  const signing = new SigningSettings(config, {
    log: log.child({ svc: 'sign' }),
    now,
    userConfigFile: opts.userConfigFile ?? configPaths().user,
    providerSource: opts.provenance?.['signing.provider'] ?? null,
    ...(opts.signer ? { fixedSigner: opts.signer } : {}),
    db,
    audit,
  });
  const sync = syncEngine(opts, { requests, applicants, gateway, db, now, events, verifyResult: signing.verifyResult });
  requests.onChange((r) => events.publish('request.changed', r));
  const results = new ResultService(requests, () => signing.verifyResult, now);
  const { docs, close: closePapers } = papersClient(opts);
  const papers = new PaperDesk({
    requests,
    catalog,
    files,
    docs,
    centre: { name: config.centre.name, address: config.centre.address, bin: config.centre.bin },
    now,
  });
  const refusals = new CounterRefusals({ requests, applicants, catalog, files, papers: docs, centre: { name: config.centre.name, address: config.centre.address, bin: config.centre.bin }, now, steps });

  // The registry could not be reached: let the sync engine probe the backend now, so the header's
  // online/offline follows what the operator was just told instead of the last round's answer.
  const registry = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (e) {
      if (isAppError(e) && e.code === 'REGISTRY_UNAVAILABLE') sync.kick();
      throw e;
    }
  };

  events.subscribe((name, payload) => name === 'scan.job' && steps.scanJobChanged(payload as { jobId: string; state: string }));
  const reads = new ReadAudit(audit, now);
  const services = { config, opts, log, now, audit, reads, auth, accounts, catalog, applicants, requests, files, docs, papers, results, refusals, sync, signing, scanning, registry, steps, reports };
  const dispatcher = createDispatcher(createHandlers(services), { log, currentSession: () => auth.current() });
  if (opts.startSync !== false) sync.start();
  log.info({ shell: opts.shell, version: appVersion(), dataDir: config.dataDir }, 'host started');

  return {
    dispatcher,
    events,
    db,
    sync,
    requests,
    auth,
    accounts,
    bootstrapToken: bootstrap?.token ?? null,
    store,
    async close() {
      auth.close();
      await sync.stop();
      await scanningLoader.close();
      await closePapers();
      gateway.close();
      await store.close();
      log.info('host stopped');
    },
  };
}
