/**
 * The main-process side of the scanner worker: spawning (behind WorkerSpawner, so the service
 * does not know whether it has a Node child process or an Electron utilityProcess), request /
 * response over messages, and the watchdog.
 *
 * Watchdog: the worker sends a heartbeat every 500 ms from its JS thread, whose event loop never
 * blocks (device reads run on native threads) and progress messages while it reads. A worker
 * that exits is a crash; one silent for `heartbeatTimeoutMs` (a stuck event loop, a stopped
 * process) or, during a job, without read progress for `readProgressTimeoutMs` (a driver stuck
 * inside sane_read) is a hang: it is killed. Either way the host reports a typed event, fails
 * the requests in flight, and starts a new worker (with back-off, up to `maxRestarts` a minute).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { deferredCancelPreload } from 'node-sane';
import { AppError } from '../contract/errors.js';
import type { Logger } from '../host/logger-types.js';
import type { FromWorker, ToWorker, ToWorkerRequest, WorkerError } from './protocol.js';
import type { SaneUnavailableReason, WorkerEvent } from './types.js';

export interface WorkerHandle {
  readonly pid: number | undefined;
  send(m: ToWorker): void;
  /** Ends the process at once (SIGKILL where there are signals). */
  kill(): void;
  onMessage(cb: (m: FromWorker) => void): void;
  onExit(cb: (code: number | null, signal: string | null) => void): void;
}

export interface WorkerSpawner {
  spawn(env: Record<string, string>): WorkerHandle;
}

/**
 * Node's child_process.fork with an IPC channel. Chosen over a JSON-lines protocol on stdio
 * because SANE backends print to stdout/stderr at will (debug output, libusb warnings), which
 * would corrupt a stdio protocol; the IPC channel is separate, carries structured messages like
 * Electron's utilityProcess does, and leaves stderr free for the driver's noise (logged).
 */
export function nodeWorkerSpawner(entry: string, o: { execArgv?: string[]; logger?: Logger } = {}): WorkerSpawner {
  return {
    spawn(env) {
      const child: ChildProcess = fork(entry, [], {
        env: { ...process.env, ...env },
        execArgv: o.execArgv ?? [],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        serialization: 'json',
      });
      const log = o.logger;
      const forward = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
        log?.debug({ pid: child.pid, stream, text: chunk.toString('utf8').slice(0, 2000) }, 'scan worker output');
      };
      child.stdout?.on('data', forward('stdout'));
      child.stderr?.on('data', forward('stderr'));
      return {
        get pid() {
          return child.pid;
        },
        send: (m) => {
          if (child.connected) child.send(m);
        },
        kill: () => {
          child.kill('SIGKILL');
        },
        onMessage: (cb) => child.on('message', (m) => cb(m as FromWorker)),
        onExit: (cb) => child.on('exit', (code, signal) => cb(code, signal)),
      };
    },
  };
}

/**
 * Linux: node-sane's deferred-cancellation library preloaded into the worker, so that a SANE
 * backend ending its reader thread can never cancel it inside malloc and deadlock the worker
 * (native/node-sane/src/deferred-cancel.c). Whatever LD_PRELOAD the app was started with stays.
 */
export function workerPreload(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const shim = deferredCancelPreload();
  if (!shim) return {};
  return { LD_PRELOAD: env.LD_PRELOAD ? `${shim}:${env.LD_PRELOAD}` : shim };
}

export interface WatchdogOptions {
  heartbeatTimeoutMs: number;
  readProgressTimeoutMs: number;
  readyTimeoutMs: number;
  requestTimeoutMs: number;
  maxRestartsPerMinute: number;
  restartDelayMs: number;
}

export const DEFAULT_WATCHDOG: WatchdogOptions = {
  heartbeatTimeoutMs: 5_000,
  // Lamp warm-up and ADF pick-up can take tens of seconds on real scanners.
  readProgressTimeoutMs: 90_000,
  readyTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  maxRestartsPerMinute: 5,
  restartDelayMs: 200,
};

export type SaneState = { available: true; version: string } | { available: false; reason: SaneUnavailableReason; detail: string };

export interface WorkerHostEvents {
  message(m: FromWorker): void;
  /** The worker died or was killed for hanging, with the job it was running. */
  lost(kind: 'crashed' | 'hung', jobId: string | null): void;
  worker(e: WorkerEvent): void;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

export class WorkerHost {
  state: 'starting' | 'running' | 'restarting' | 'stopped' | 'failed' = 'stopped';
  sane: SaneState | null = null;
  restarts = 0;
  private handle: WorkerHandle | null = null;
  private ready: Promise<void> | null = null;
  private nextReqId = 1;
  private pending = new Map<number, Pending>();
  private lastMessageAt = 0;
  /** When the watchdog last ran: a long gap means our own event loop was blocked. */
  private lastCheckAt = 0;
  private lastProgressAt = 0;
  /** The job the worker is running (for read-progress supervision and crash attribution). */
  activeJob: string | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private killedForHang = false;
  private stopping = false;
  private recycling: (() => void) | null = null;
  private restartTimes: number[] = [];

  constructor(
    private readonly spawner: WorkerSpawner,
    private readonly env: Record<string, string>,
    private readonly opts: WatchdogOptions,
    private readonly events: WorkerHostEvents,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get pid(): number | undefined {
    return this.handle?.pid;
  }

  /** Starts the worker if needed and resolves when it said 'ready'. */
  async ensureStarted(): Promise<void> {
    if (this.state === 'failed') throw new AppError('SCAN_WORKER_UNAVAILABLE');
    if (!this.ready) this.ready = this.spawn();
    return this.ready;
  }

  private spawn(): Promise<void> {
    this.state = this.restarts > 0 ? 'restarting' : 'starting';
    this.killedForHang = false;
    const h = this.spawner.spawn(this.env);
    this.handle = h;
    this.lastMessageAt = this.now();
    return new Promise<void>((resolve, reject) => {
      const readyTimer = setTimeout(() => {
        this.log.error({ pid: h.pid }, 'scan worker did not become ready');
        reject(new AppError('SCAN_WORKER_UNAVAILABLE'));
        h.kill();
      }, this.opts.readyTimeoutMs);
      h.onMessage((m) => {
        if (this.handle !== h) return;
        this.lastMessageAt = this.now();
        if (m.type === 'ready') {
          clearTimeout(readyTimer);
          this.sane = m.sane;
          this.state = 'running';
          this.log.info({ pid: m.pid, sane: m.sane.available }, 'scan worker ready');
          resolve();
          return;
        }
        if (m.type === 'result') {
          const p = this.pending.get(m.reqId);
          if (!p) return;
          this.pending.delete(m.reqId);
          clearTimeout(p.timer);
          if (m.ok) p.resolve(m.value);
          else p.reject(fromWorkerError(m.error));
          return;
        }
        if (m.type === 'progress' || m.type === 'page' || m.type === 'blank') this.lastProgressAt = this.now();
        if (m.type === 'job-end' && m.jobId === this.activeJob) this.activeJob = null;
        this.events.message(m);
      });
      h.onExit((code, signal) => {
        clearTimeout(readyTimer);
        if (this.handle !== h) return;
        this.onExit(code, signal);
        reject(new AppError('SCAN_WORKER_CRASHED', { pagesKept: 0 }));
      });
      this.startWatchdog();
    });
  }

  private checkIntervalMs(): number {
    return Math.min(250, this.opts.heartbeatTimeoutMs / 4);
  }

  private startWatchdog(): void {
    if (this.watchdog) return;
    this.lastCheckAt = this.now();
    this.watchdog = setInterval(() => this.check(), this.checkIntervalMs());
    this.watchdog.unref();
  }

  private check(): void {
    const t = this.now();
    const sinceLastCheck = t - this.lastCheckAt;
    this.lastCheckAt = t;
    if (!this.handle || this.state !== 'running' || this.killedForHang) return;
    // Our own event loop was blocked (a slow fsync, a long commit): timers run before the pipe is
    // read, so the worker's heartbeats may be waiting there. Judge at the next tick, not now.
    if (sinceLastCheck > this.checkIntervalMs() * 4) return;
    const silent = t - this.lastMessageAt;
    if (silent > this.opts.heartbeatTimeoutMs) return this.hang('no-heartbeat', silent);
    if (this.activeJob && t - this.lastProgressAt > this.opts.readProgressTimeoutMs) return this.hang('no-read-progress', t - this.lastProgressAt);
  }

  private hang(cause: 'no-heartbeat' | 'no-read-progress', silentMs: number): void {
    this.log.warn({ pid: this.handle?.pid, cause, silentMs, jobId: this.activeJob }, 'scan worker hung; killing it');
    this.killedForHang = true;
    this.events.worker({ type: 'hung', cause, silentMs, jobId: this.activeJob });
    this.handle?.kill();
  }

  private onExit(code: number | null, signal: string | null): void {
    const jobId = this.activeJob;
    const hung = this.killedForHang;
    this.handle = null;
    this.ready = null;
    this.activeJob = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new AppError(hung ? 'SCAN_WORKER_HUNG' : 'SCAN_WORKER_CRASHED', { pagesKept: 0 }));
      this.pending.delete(id);
    }
    if (this.stopping) {
      this.state = 'stopped';
      return;
    }
    if (this.recycling) {
      // Asked for (recycle()): not a crash, no back-off.
      const done = this.recycling;
      this.recycling = null;
      this.restarts++;
      this.ensureStarted().then(
        () => {
          this.events.worker({ type: 'restarted', restarts: this.restarts });
          done();
        },
        (e: unknown) => {
          this.log.error({ err: String(e) }, 'scan worker restart failed');
          done();
        },
      );
      return;
    }
    if (!hung) {
      this.log.error({ code, signal, jobId }, 'scan worker exited');
      this.events.worker({ type: 'crashed', exitCode: code, signal, jobId });
    }
    this.events.lost(hung ? 'hung' : 'crashed', jobId);
    // Restart with back-off; give up when it keeps dying.
    const t = this.now();
    this.restartTimes = this.restartTimes.filter((x) => t - x < 60_000);
    if (this.restartTimes.length >= this.opts.maxRestartsPerMinute) {
      this.state = 'failed';
      this.events.worker({ type: 'gave-up', restarts: this.restarts });
      return;
    }
    this.restartTimes.push(t);
    this.state = 'restarting';
    const delay = this.opts.restartDelayMs * 2 ** (this.restartTimes.length - 1);
    setTimeout(() => {
      if (this.stopping || this.handle) return;
      this.restarts++;
      this.ensureStarted().then(
        () => this.events.worker({ type: 'restarted', restarts: this.restarts }),
        (e: unknown) => this.log.error({ err: String(e) }, 'scan worker restart failed'),
      );
    }, delay).unref();
  }

  async request<T>(m: ToWorkerRequest, timeoutMs = this.opts.requestTimeoutMs): Promise<T> {
    await this.ensureStarted();
    const h = this.handle;
    if (!h) throw new AppError('SCAN_WORKER_UNAVAILABLE');
    const reqId = this.nextReqId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(reqId);
        reject(new AppError('SCAN_WORKER_HUNG', { pagesKept: 0 }));
      }, timeoutMs);
      this.pending.set(reqId, { resolve: resolve as (v: unknown) => void, reject, timer });
      h.send({ ...m, reqId });
    });
  }

  /** Replaces the worker with a fresh one (after a network scanner vanished mid-job); resolves once it is ready. */
  recycle(): Promise<void> {
    const h = this.handle;
    if (!h || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      this.recycling = resolve;
      h.kill();
    });
  }

  /** Marks a job as running in the worker (read-progress supervision starts now). */
  jobStarted(jobId: string): void {
    this.activeJob = jobId;
    this.lastProgressAt = this.now();
  }

  /** Shuts the worker down (asks first, kills after 2 s); no restart follows. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    const h = this.handle;
    if (!h) {
      this.state = 'stopped';
      return;
    }
    const exited = new Promise<void>((resolve) => h.onExit(() => resolve()));
    try {
      await Promise.race([this.request({ type: 'shutdown' }, 3_000), exited]);
    } catch {
      // fall through to kill
    }
    const t = setTimeout(() => h.kill(), 2_000);
    await exited;
    clearTimeout(t);
    this.state = 'stopped';
  }
}

function fromWorkerError(e: WorkerError): AppError {
  return new AppError(e.code, e.params ?? {}, { detail: e.detail ?? e.status ?? '' });
}
