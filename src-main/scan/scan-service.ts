/**
 * The scan service (main process). It owns the scanner worker (through WorkerHost), turns the
 * worker's messages into jobs and events, and keeps the one rule that matters to an operator:
 * a page is on disk (ContentStore: fsync + rename) and recorded (the host's `recordPage`) before
 * it is shown (the 'page' event). Faults are mapped to operator messages and actions
 * (faults.ts); every page recorded before a fault, a crash or a hang is kept.
 */
import { EventEmitter } from 'node:events';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, isAppError } from '../contract/errors.js';
import type { ContentStore } from '../files/content-store.js';
import type { Logger } from '../host/logger-types.js';
import { DEFAULT_ESCL, type DriverConfig, type EsclConfig } from './drivers/driver.js';
import { workerCrashedFault, workerHungFault } from './faults.js';
import { type Job, isEsclDevice, jobSnapshot, newJob, runOutcome, scannedPageOf, workerJobOf } from './scan-job.js';
import { DEFAULT_PROFILES } from './profiles.js';
import type { FromWorker, WorkerPage } from './protocol.js';
import { DEFAULT_WATCHDOG, WorkerHost, type WatchdogOptions, type WorkerSpawner, workerPreload } from './worker-host.js';
import type {
  BlankPageOptions,
  JobSnapshot,
  ScanCapabilities,
  ScanDevice,
  ScannedPage,
  ScanProfile,
  ScanRequest,
  ScanServiceEvents,
  ScanStatus,
} from './types.js';

export type RecordPage = (page: ScannedPage) => Promise<void>;

export interface ScanServiceOptions {
  store: ContentStore;
  /** Records a page durably (the DB layer); resolves once committed. */
  recordPage: RecordPage;
  spawner: WorkerSpawner;
  /** Environment for the worker: SANE_CONFIG_DIR from prepareSaneConfigDir(). */
  workerEnv?: Record<string, string>;
  /** Where the worker writes raw spools and encoded pages before they are stored. */
  spoolDir: string;
  logger: Logger;
  now: () => Date;
  profiles?: ScanProfile[];
  blankPages?: Partial<BlankPageOptions>;
  watchdog?: Partial<WatchdogOptions>;
  /** Device used when a request names none; else a real scanner, else the test device. */
  defaultDeviceId?: string;
  thumbnailMaxPx?: number;
  jpegQuality?: number;
  /** Formats file import accepts here (pdf only with pdftoppm); for status(). */
  importFormats?: ScanStatus['importFormats'];
  /** eSCL network scanners: configured URLs, DNS-SD, timeouts, pinned certificates. */
  escl?: Partial<EsclConfig>;
}

export { isEsclDevice, workerPreload };

export const DEFAULT_BLANK: BlankPageOptions = { enabled: true, inkThreshold: 0.002, marginFraction: 0.04 };

export class ScanService extends EventEmitter<ScanServiceEvents> {
  private readonly host: WorkerHost;
  private readonly jobs = new Map<string, Job>();
  private readonly profiles: ScanProfile[];
  private readonly blank: BlankPageOptions;
  private devicesCache: ScanDevice[] | null = null;
  private readonly capsCache = new Map<string, ScanCapabilities>();
  private readonly log: Logger;
  private readonly drivers: DriverConfig;
  private defaultDeviceId: string | undefined;

  constructor(private readonly o: ScanServiceOptions) {
    super();
    this.drivers = { escl: { ...DEFAULT_ESCL, ...o.escl } };
    this.defaultDeviceId = o.defaultDeviceId;
    this.log = o.logger.child({ service: 'scan' });
    this.profiles = o.profiles ?? DEFAULT_PROFILES;
    this.blank = { ...DEFAULT_BLANK, ...o.blankPages };
    // glibc's per-thread malloc arenas let libvips' threads hold on to freed page buffers; two
    // arenas cut the worker's peak RSS over a 100-page batch from ~300 MB to ~200 MB.
    const env = { MALLOC_ARENA_MAX: '2', ...workerPreload(), ...o.workerEnv };
    this.host = new WorkerHost(o.spawner, env, { ...DEFAULT_WATCHDOG, ...o.watchdog }, {
      message: (m) => this.onWorkerMessage(m),
      lost: (kind, jobId) => this.onWorkerLost(kind, jobId),
      worker: (e) => this.emit('worker', e),
    }, this.log);
  }

  /** Starts the worker (idempotent). Other calls start it on demand. */
  async start(): Promise<void> {
    await this.host.ensureStarted();
  }

  async close(): Promise<void> {
    for (const j of this.jobs.values()) await j.chain;
    await this.host.stop();
  }

  /** Scanner status for the settings screen: "no SANE" is a state here, not an error. */
  async status(): Promise<ScanStatus> {
    try {
      await this.host.ensureStarted();
    } catch {
      // reported below
    }
    const s = this.host.sane;
    return {
      sane: s === null ? 'unknown' : s.available ? 'available' : 'unavailable',
      ...(s && !s.available ? { saneReason: s.reason } : {}),
      ...(s && s.available ? { saneVersion: s.version } : {}),
      worker: this.host.state,
      workerRestarts: this.host.restarts,
      importFormats: this.o.importFormats ?? ['jpeg', 'png', 'tiff', 'pdf'],
      escl: { discovery: this.drivers.escl.discovery, configured: this.drivers.escl.scanners.length },
    };
  }

  /** The scanner chosen for this workstation, if any. */
  get selectedDevice(): string | undefined {
    return this.defaultDeviceId;
  }

  /** The device used when a request names none (the scanner chosen in the settings screen). */
  setDefaultDevice(deviceId: string | null): void {
    this.defaultDeviceId = deviceId ?? undefined;
  }

  /** An administrator confirmed an HTTPS scanner's certificate: pin it (trust on first use). */
  pinCertificate(origin: string, sha256: string): void {
    const pinned = this.drivers.escl.pinned.filter((p) => p.origin !== origin);
    this.drivers.escl = { ...this.drivers.escl, pinned: [...pinned, { origin, sha256: sha256.replace(/:/g, '').toLowerCase() }] };
    this.devicesCache = null;
    this.capsCache.clear();
  }

  get pinnedCertificates(): EsclConfig['pinned'] {
    return this.drivers.escl.pinned;
  }

  /** The worker's process id (diagnostics; the fault tests kill it). */
  get workerPid(): number | undefined {
    return this.host.pid;
  }

  /** Devices every driver can see (SANE, eSCL); cached, `refresh` asks again (slow: USB and network discovery). */
  async devices(opts: { refresh?: boolean } = {}): Promise<ScanDevice[]> {
    if (this.devicesCache && (!opts.refresh || this.busy())) return this.devicesCache;
    await this.host.ensureStarted();
    const list = await this.host.request<ScanDevice[]>({ type: 'devices', drivers: this.drivers, refresh: opts.refresh ?? false });
    // Real scanners first: the test device is the fallback when none is there.
    this.devicesCache = [...list.filter((d) => !d.virtual), ...list.filter((d) => d.virtual)];
    return this.devicesCache;
  }

  async defaultDevice(): Promise<ScanDevice> {
    const list = await this.devices();
    const wanted = this.defaultDeviceId ? list.find((d) => d.id === this.defaultDeviceId) : undefined;
    const d = wanted ?? list[0];
    // Nothing to scan with and no SANE here (Windows without a network scanner): say why.
    if (!d && this.host.sane && !this.host.sane.available) throw new AppError('SCAN_NO_SANE', { reason: this.host.sane.reason });
    if (!d) throw new AppError('SCAN_NO_DEVICE');
    return d;
  }

  async capabilities(deviceId: string): Promise<ScanCapabilities> {
    const cached = this.capsCache.get(deviceId);
    if (cached) return cached;
    await this.requireDriver(deviceId);
    const caps = await this.host.request<ScanCapabilities>({ type: 'capabilities', deviceId, drivers: this.drivers });
    this.capsCache.set(deviceId, caps);
    return caps;
  }

  listProfiles(): ScanProfile[] {
    return this.profiles;
  }

  job(jobId: string): JobSnapshot {
    return this.snapshot(this.getJob(jobId));
  }

  /** Starts a job; pages stream through 'page' events. Resolves once the worker accepted it. */
  async startJob(req: ScanRequest): Promise<JobSnapshot> {
    if (this.busy()) throw new AppError('SCAN_DEVICE_IN_USE');
    const profile = req.profileId ? this.profiles.find((p) => p.id === req.profileId) : this.profiles[0];
    if (!profile) throw new AppError('SCAN_UNKNOWN_PROFILE', { profileId: req.profileId ?? '' });
    const deviceId = req.deviceId ?? this.defaultDeviceId ?? (await this.defaultDevice()).id;
    await this.requireDriver(deviceId);
    const job = newJob(req, deviceId, { ...profile.settings, ...req.settings }, { ...this.blank, enabled: req.skipBlankPages ?? profile.skipBlankPages ?? this.blank.enabled });
    this.jobs.set(job.id, job);
    await this.run(job, 'started');
    return this.snapshot(job);
  }

  /**
   * Continues a paused job after the operator acted (cleared the jam, closed the cover, re-fed
   * the sheet after a worker restart), or scans more pages into a completed ADF job.
   */
  async continueJob(jobId: string): Promise<JobSnapshot> {
    const job = this.getJob(jobId);
    if (job.state !== 'paused' && job.state !== 'completed') throw new AppError('SCAN_JOB_NOT_RESUMABLE', { state: job.state });
    if (this.busy()) throw new AppError('SCAN_DEVICE_IN_USE');
    await this.requireDriver(job.deviceId);
    job.state = 'scanning';
    job.fault = null;
    job.cancelRequested = false;
    if (job.maxPages !== null && job.settings.source === 'flatbed') job.maxPages = job.pages + (job.request.maxPages ?? 1);
    await this.run(job, 'continued');
    return this.snapshot(job);
  }

  /** Cancels a job; a page being read is dropped, pages already recorded are kept. */
  async cancel(jobId: string): Promise<JobSnapshot> {
    const job = this.getJob(jobId);
    if (job.state === 'scanning') {
      job.cancelRequested = true;
      await this.host.request({ type: 'cancel', jobId }).catch(() => {});
    } else if (job.state === 'paused' || job.state === 'completed') {
      job.state = 'cancelled';
      this.emit('job', { job: this.snapshot(job), reason: 'cancelled' });
    }
    return this.snapshot(job);
  }

  /** Resolves when the job is no longer scanning and every page of it is stored and recorded. */
  async settled(jobId: string): Promise<JobSnapshot> {
    const job = this.getJob(jobId);
    if (job.state !== 'scanning') {
      await job.chain;
      return this.snapshot(job);
    }
    return new Promise((resolve) => {
      const onJob = (e: ScanServiceEvents['job'][0]) => {
        if (e.job.jobId === jobId && e.job.state !== 'scanning') {
          this.off('job', onJob);
          resolve(e.job);
        }
      };
      this.on('job', onJob);
    });
  }

  // ------------------------------------------------------------------------------------------

  private busy(): boolean {
    for (const j of this.jobs.values()) if (j.state === 'scanning') return true;
    return false;
  }

  private getJob(jobId: string): Job {
    const j = this.jobs.get(jobId);
    if (!j) throw new AppError('SCAN_JOB_NOT_FOUND');
    return j;
  }

  /** The worker is up and can drive this device: eSCL always, SANE devices only with libsane. */
  private async requireDriver(deviceId: string): Promise<void> {
    await this.host.ensureStarted();
    if (isEsclDevice(deviceId)) return;
    if (!this.host.sane?.available) throw new AppError('SCAN_NO_SANE', { reason: this.host.sane ? this.host.sane.reason : 'unknown' });
  }

  private snapshot(j: Job): JobSnapshot {
    return jobSnapshot(j);
  }

  private spoolDirOf(j: Job): string {
    return join(this.o.spoolDir, j.id);
  }

  private async run(job: Job, reason: 'started' | 'continued'): Promise<void> {
    const wj = workerJobOf(job, this.spoolDirOf(job), { thumbnailMaxPx: this.o.thumbnailMaxPx ?? 320, jpegQuality: this.o.jpegQuality ?? 85 });
    this.host.jobStarted(job.id);
    try {
      await this.host.request({ type: 'scan', job: wj, drivers: this.drivers });
    } catch (e) {
      this.host.activeJob = null;
      job.state = 'paused';
      job.fault = isAppError(e) ? { code: e.code, params: e.params, action: 'continue', retryable: true } : null;
      throw e;
    }
    this.log.info({ jobId: job.id, reason, source: job.settings.source, mode: job.settings.mode, dpi: job.settings.dpi }, 'scan job running');
    this.emit('job', { job: this.snapshot(job), reason });
  }

  private onWorkerMessage(m: FromWorker): void {
    if (m.type === 'heartbeat' || m.type === 'ready' || m.type === 'result') return;
    const job = this.jobs.get(m.type === 'page' ? m.page.jobId : m.jobId);
    if (!job) return;
    switch (m.type) {
      case 'progress':
        this.emit('progress', {
          jobId: job.id,
          page: m.index,
          phase: m.phase,
          bytesRead: m.bytesRead,
          bytesExpected: m.bytesExpected,
          pagesStored: job.pages,
          skippedBlank: job.skippedBlank,
        });
        return;
      case 'blank':
        job.skippedBlank++;
        this.log.info({ jobId: job.id, inkRatio: Number(m.inkRatio.toFixed(5)) }, 'blank page skipped');
        this.emit('progress', { jobId: job.id, page: m.index, phase: 'blank-skipped', bytesRead: 0, bytesExpected: null, pagesStored: job.pages, skippedBlank: job.skippedBlank });
        return;
      case 'page':
        job.chain = job.chain.then(() => this.storePage(job, m.page));
        return;
      case 'job-end':
        job.starts += m.starts;
        job.chain = job.chain.then(() => this.finishRun(job, m));
        return;
    }
  }

  /** On disk → recorded → shown. A failure stops the job; nothing half-done is shown. */
  private async storePage(job: Job, p: WorkerPage): Promise<void> {
    if (job.storeFailed) {
      await rm(p.file, { force: true });
      await rm(p.thumbFile, { force: true });
      return;
    }
    let stage: 'store' | 'record' = 'store';
    try {
      const stored = await this.o.store.putFile(p.file);
      const thumb = await this.o.store.putFile(p.thumbFile);
      const page = scannedPageOf(job, p, stored, thumb, this.o.now());
      stage = 'record';
      await this.o.recordPage(page);
      job.pages = Math.max(job.pages, p.index);
      this.emit('page', { jobId: job.id, page });
      this.emit('progress', { jobId: job.id, page: p.index, phase: 'page-stored', bytesRead: 0, bytesExpected: null, pagesStored: job.pages, skippedBlank: job.skippedBlank });
    } catch (e) {
      const code = isAppError(e) && e.code.startsWith('STORAGE_') ? e.code : stage === 'store' ? 'SCAN_STORE_FAILED' : 'SCAN_RECORD_FAILED';
      this.log.error({ jobId: job.id, index: p.index, code, err: String(e) }, 'page not stored; stopping the job');
      job.storeFailed = { code, params: { pagesKept: job.pages }, action: 'contact-support', retryable: false };
      await this.host.request({ type: 'cancel', jobId: job.id }).catch(() => {});
    } finally {
      await rm(p.file, { force: true });
      await rm(p.thumbFile, { force: true });
    }
  }

  private async finishRun(job: Job, m: Extract<FromWorker, { type: 'job-end' }>): Promise<void> {
    await rm(this.spoolDirOf(job), { recursive: true, force: true });
    const outcome = await runOutcome(job, m, async () => {
      const list = await this.host.request<ScanDevice[]>({ type: 'devices', drivers: this.drivers }).catch(() => [] as ScanDevice[]);
      return list.some((d) => d.id === job.deviceId);
    });
    const { state, reason } = outcome;
    let fault = outcome.fault;
    job.state = job.cancelRequested && state !== 'failed' ? 'cancelled' : state;
    // Which sheet to put back: the one after the last page kept.
    if (fault && job.state === 'paused') fault = { ...fault, params: { ...fault.params, pagesKept: job.pages, nextPage: job.pages + 1 } };
    job.fault = fault;
    if (fault?.code === 'SCAN_DEVICE_GONE' && isEsclDevice(job.deviceId)) {
      // Whatever the vanished scanner left behind in the worker (sockets, timers) goes with it.
      await this.host.recycle().catch((e: unknown) => this.log.warn({ err: String(e) }, 'scan worker recycle failed'));
    }
    this.log.info({ jobId: job.id, state: job.state, pages: job.pages, skipped: job.skippedBlank, status: m.status, code: fault?.code }, 'scan run ended');
    if (fault && job.state !== 'cancelled') this.emit('fault', { jobId: job.id, fault, pagesKept: job.pages });
    this.emit('job', { job: this.snapshot(job), reason: job.state === 'cancelled' ? 'cancelled' : reason });
  }

  private onWorkerLost(kind: 'crashed' | 'hung', jobId: string | null): void {
    const job = jobId ? this.jobs.get(jobId) : [...this.jobs.values()].find((j) => j.state === 'scanning');
    if (!job || job.state !== 'scanning') return;
    // Pages whose message arrived are stored by the chain; the sheet in flight is lost.
    job.chain = job.chain.then(async () => {
      await rm(this.spoolDirOf(job), { recursive: true, force: true });
      job.state = job.cancelRequested ? 'cancelled' : 'paused';
      job.fault = kind === 'hung' ? workerHungFault(job.pages) : workerCrashedFault(job.pages);
      job.fault.params.nextPage = job.pages + 1;
      this.log.warn({ jobId: job.id, kind, pagesKept: job.pages }, 'scan worker lost during a job');
      this.emit('fault', { jobId: job.id, fault: job.fault, pagesKept: job.pages });
      this.emit('job', { job: this.snapshot(job), reason: job.state === 'cancelled' ? 'cancelled' : 'fault' });
    });
  }
}
