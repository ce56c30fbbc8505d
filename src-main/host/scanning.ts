/**
 * Scanning and file import for the requests: builds the scan service (our SANE binding in its
 * worker process) and the file importer, and binds every job to the request and document slot it
 * scans into. A page reaches the request in the service's order: on disk → recorded (one SQLite
 * transaction, below) → shown (the scan.page event, then request.changed).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { ContentStore } from '../files/content-store.js';
import type { RequestService } from '../requests/request-service.js';
import {
  FileImporter,
  nodeWorkerSpawner,
  prepareSaneConfigDir,
  ScanService,
  type ScannedPage,
  type ScanStatus,
  type WorkerSpawner,
} from '../scan/index.js';
import type { Config } from './config.js';
import type { EventBus } from './events.js';
import type { Logger } from './logger-types.js';
import { writeUserSetting } from './user-settings.js';

interface Binding {
  requestId: string;
  slotId: string;
  actorId: string;
}

/** The scanner's state as the contract reports it (scan.status). */
export interface ScanState {
  sane: ScanStatus['sane'];
  /** Why there is no SANE: a SaneUnavailableReason, or 'disabled' (scanner.mode = none). */
  reason: string | null;
  version: string | null;
  worker: ScanStatus['worker'];
  importFormats: ScanStatus['importFormats'];
}

export interface Scanning {
  service: ScanService | null;
  importer: FileImporter;
  status(): Promise<ScanState>;
  /** Starts a scan into a request's document slot. */
  start(actorId: string, input: { requestId: string; slotId: string; deviceId: string | null; profileId: string | null; maxPages: number | null }): ReturnType<ScanService['startJob']>;
  /** The scanner this workstation scans with when none is named (chosen in the settings screen). */
  selectDevice(deviceId: string | null): Promise<void>;
  /** An administrator confirmed the certificate an HTTPS eSCL scanner shows: pin it. */
  trustCertificate(deviceId: string, sha256: string): Promise<void>;
  /** Imports a file's pages (JPEG, PNG, multi-page TIFF, PDF) into a request's document slot. */
  importFile(actorId: string, input: { requestId: string; slotId: string; bytes: Buffer }): Promise<ScannedPage[]>;
  close(): Promise<void>;
}

/**
 * Which request and slot each job scans into. startJob() answers before its first page can be
 * recorded, but nothing should rest on that: a page for a job not bound yet waits (briefly) for
 * its binding.
 */
class JobBindings {
  private readonly bindings = new Map<string, Binding>();
  private readonly waiting = new Map<string, (b: Binding) => void>();

  bind(jobId: string, b: Binding): void {
    this.bindings.set(jobId, b);
    this.waiting.get(jobId)?.(b);
    this.waiting.delete(jobId);
  }

  get(jobId: string): Binding | undefined {
    return this.bindings.get(jobId);
  }

  delete(jobId: string): void {
    this.bindings.delete(jobId);
  }

  of(jobId: string): Promise<Binding> {
    const b = this.bindings.get(jobId);
    if (b) return Promise.resolve(b);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(jobId);
        reject(new AppError('SCAN_JOB_NOT_FOUND'));
      }, 5000);
      this.waiting.set(jobId, (x) => {
        clearTimeout(timer);
        resolve(x);
      });
    });
  }
}

export interface ScanningOptions {
  config: Config;
  files: ContentStore;
  requests: RequestService;
  events: EventBus;
  log: Logger;
  now: () => Date;
  /** The worker's entry (dist/main/scan-worker.mjs) or a spawner (Electron's utilityProcess). */
  workerEntry: string;
  spawner?: WorkerSpawner;
  /** The per-user configuration file the scanner choice and pinned certificates are written to. */
  userConfigFile: string;
}

export async function createScanning(opts: ScanningOptions): Promise<Scanning> {
  const { config, requests, log } = opts;
  const bindings = new JobBindings();

  const recordPage = async (page: ScannedPage): Promise<void> => {
    const b = await bindings.of(page.jobId);
    requests.recordStoredPage({ id: b.actorId }, b.requestId, b.slotId, {
      id: page.id,
      sha256: page.sha256,
      size: page.size,
      mediaType: page.format,
      width: page.width,
      height: page.height,
      dpi: page.dpi,
      source: page.imported ? 'import' : 'scanner',
      skewDeg: page.skewDeg ?? null,
    });
  };

  const importer = new FileImporter({ store: opts.files, recordPage, logger: log.child({ part: 'import' }), now: opts.now });

  const service = config.scanner.mode === 'none' ? null : await startScanService(opts, recordPage, importer, bindings);

  return {
    service,
    importer,
    async status() {
      if (!service) return { sane: 'unavailable', reason: 'disabled', version: null, worker: 'stopped', importFormats: importer.formats() };
      const s = await service.status();
      return { sane: s.sane, reason: s.saneReason ?? null, version: s.saneVersion ?? null, worker: s.worker, importFormats: s.importFormats };
    },
    async start(actorId, input) {
      if (!service) throw new AppError('SCAN_NO_SANE');
      requests.assertEditableSlot(input.requestId, input.slotId);
      const job = await service.startJob({
        ...(input.deviceId ? { deviceId: input.deviceId } : {}),
        ...(input.profileId ? { profileId: input.profileId } : {}),
        ...(input.maxPages ? { maxPages: input.maxPages } : {}),
      });
      bindings.bind(job.jobId, { requestId: input.requestId, slotId: input.slotId, actorId });
      return job;
    },
    async selectDevice(deviceId) {
      if (!service) throw new AppError('SCAN_NO_SANE');
      if (deviceId && !(await service.devices()).some((d) => d.id === deviceId)) throw new AppError('SCAN_NO_DEVICE');
      writeUserSetting(opts.userConfigFile, 'scanner.device', deviceId);
      service.setDefaultDevice(deviceId);
      log.info({ driver: deviceId?.split(':')[0] ?? null }, 'scanner chosen');
    },
    async trustCertificate(deviceId, sha256) {
      if (!service) throw new AppError('SCAN_NO_SANE');
      // Pin only what the scanner shows right now, and only what the administrator saw.
      const dev = (await service.devices({ refresh: true })).find((d) => d.id === deviceId);
      if (!dev?.url || !dev.certificate) throw new AppError('SCAN_NO_DEVICE');
      if (dev.certificate.sha256 !== sha256) throw new AppError('SCAN_ESCL_CERT_CHANGED', { sha256: dev.certificate.sha256 });
      const origin = new URL(dev.url).origin;
      service.pinCertificate(origin, sha256);
      writeUserSetting(opts.userConfigFile, 'scanner.escl.pinned', service.pinnedCertificates);
      log.info({ origin, sha256 }, 'scanner certificate pinned by an administrator');
    },
    async importFile(actorId, input) {
      requests.assertEditableSlot(input.requestId, input.slotId);
      const jobId = `import-${randomUUID()}`;
      const dir = join(config.dataDir, 'scan-spool', 'import');
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const file = join(dir, `${jobId}.bin`);
      await writeFile(file, input.bytes, { mode: 0o600 });
      bindings.bind(jobId, { requestId: input.requestId, slotId: input.slotId, actorId });
      try {
        return await importer.importFile(file, { jobId });
      } finally {
        bindings.delete(jobId);
        await rm(file, { force: true });
      }
    },
    async close() {
      await service?.close();
    },
  };
}

/** The scan service (its worker started now; the app works on without a scanner), its events published for the bound request. */
async function startScanService(
  opts: ScanningOptions,
  recordPage: (page: ScannedPage) => Promise<void>,
  importer: FileImporter,
  bindings: JobBindings,
): Promise<ScanService> {
  const { config, events, log } = opts;
  const saneEnv = await prepareSaneConfigDir(join(config.dataDir, 'sane.d'), config.scanner.mode === 'sane' ? 'system' : 'system+test', {
    readDelayUs: config.scanner.testDeviceReadDelayUs,
  });
  const svc = new ScanService({
    store: opts.files,
    recordPage,
    spawner: opts.spawner ?? nodeWorkerSpawner(opts.workerEntry, { logger: log }),
    workerEnv: saneEnv,
    spoolDir: join(config.dataDir, 'scan-spool'),
    logger: log,
    now: opts.now,
    blankPages: { enabled: config.scanner.skipBlankPages },
    ...(config.scanner.device ? { defaultDeviceId: config.scanner.device } : {}),
    importFormats: importer.formats(),
    escl: {
      scanners: config.scanner.escl.scanners,
      discovery: config.scanner.escl.discovery,
      timeoutMs: config.scanner.escl.timeoutMs,
      pinned: config.scanner.escl.pinned,
    },
  });
  svc.on('progress', (e) => {
    const b = bindings.get(e.jobId);
    if (b) events.publish('scan.progress', { ...e, requestId: b.requestId, slotId: b.slotId });
  });
  svc.on('fault', (e) => events.publish('scan.fault', { jobId: e.jobId, code: e.fault.code, params: e.fault.params, action: e.fault.action, retryable: e.fault.retryable, pagesKept: e.pagesKept }));
  svc.on('job', (e) => events.publish('scan.job', { jobId: e.job.jobId, state: e.job.state, pages: e.job.pages, skippedBlank: e.job.skippedBlank, reason: e.reason }));
  svc.on('worker', (e) => log.warn({ event: e.type }, 'scanner worker event'));
  try {
    await svc.start();
  } catch (e) {
    // The app works without a scanner: file import stays available; the status says why.
    log.warn({ code: e instanceof AppError ? e.code : 'UNKNOWN' }, 'scanner worker could not start');
  }
  return svc;
}
