/**
 * One scan run inside the worker, the same for every driver: open the device through its driver
 * (SANE, eSCL), then for each sheet start → read (raw lines streamed to a spool file) → queue the
 * encode, so page N is encoded while page N+1 is read. Pages leave in order; the run's end is
 * reported only after every page before it, so nothing read before a fault is lost.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isAppError } from '../../contract/errors.js';
import { DeviceStatusError, type DriverConfig, type DriverSession, type FrameParams, type ScanDriver } from '../drivers/driver.js';
import { UnsupportedFrame } from '../drivers/sane-driver.js';
import { encodeSpool, FrameSpool, type FrameLayout } from '../page-encoder.js';
import type { FromWorker, JobEndReason, WorkerJob } from '../protocol.js';

const READ_BUFFER_BYTES = 1 << 20;
/** Encodes allowed to queue up before reading waits (bounds spool disk use and memory). */
const MAX_PENDING_ENCODES = 2;

type Send = (m: FromWorker) => void;
type Stage = 'open' | 'options' | 'start' | 'read' | 'encode' | null;

export class JobRun {
  private cancelled = false;
  private session: DriverSession | null = null;
  /** Sheets the device was asked for in this run, and frames read (blank ones included). */
  private starts = 0;
  private pages = 0;
  /** The page index the next non-blank frame gets. */
  private nextIndex: number;
  /** The encodes queued so far, in order; how many are not done; the first that failed. */
  private encodes: Promise<void> = Promise.resolve();
  private pending = 0;
  private encodeError: unknown = null;
  /** The run's job-end report, sent once the device is released (see run()). */
  private ending: Extract<FromWorker, { type: 'job-end' }> | null = null;

  constructor(
    private readonly driver: ScanDriver,
    private readonly cfg: DriverConfig,
    private readonly job: WorkerJob,
    private readonly send: Send,
  ) {
    this.nextIndex = job.firstIndex;
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
    await this.session?.cancel().catch(() => {});
  }

  async run(): Promise<void> {
    const job = this.job;
    try {
      let dev: DriverSession;
      try {
        dev = this.session = await this.open();
      } catch (e) {
        return await this.fail(e, e instanceof DeviceStatusError && (e as { stage?: string }).stage === 'open' ? 'open' : 'options');
      }
      for (;;) {
        if (this.cancelled) return await this.end('cancelled', null, null);
        if (job.maxPages !== null && this.pages >= job.maxPages) return await this.end('max-pages', null, null);
        if (this.pending >= MAX_PENDING_ENCODES) await this.encodes;
        const ended = await this.sheet(dev);
        if (ended) return;
      }
    } finally {
      await this.encodes;
      if (this.session) {
        await this.session.close().catch(() => {});
        this.session = null;
      }
      // The run has ended only once the device is released: the service starts the operator's
      // next job on this message, and a SANE backend answers a second open of a device still
      // closing with DEVICE_BUSY (a cancel, then "scan" at once, paused with nothing scanned).
      if (this.ending) this.send(this.ending);
    }
  }

  private open(): Promise<DriverSession> {
    const job = this.job;
    return this.driver.open(job.deviceId, job.settings, {
      cfg: this.cfg,
      deviceOptions: job.deviceOptions,
      optionSchedule: job.optionSchedule,
      jobId: job.jobId,
      spoolDir: job.spoolDir,
      maxPages: job.maxPages,
      onProgress: (bytesRead, bytesExpected) => this.send({ type: 'progress', jobId: job.jobId, index: this.nextIndex, phase: 'reading', bytesRead, bytesExpected }),
    });
  }

  /** One sheet: start, read into a spool, queue its encode. True when the run has ended. */
  private async sheet(dev: DriverSession): Promise<boolean> {
    const job = this.job;
    const startNo = job.startsBefore + this.starts + 1;
    this.send({ type: 'progress', jobId: job.jobId, index: this.nextIndex, phase: 'starting', bytesRead: 0, bytesExpected: null });
    this.starts++;
    let p: FrameParams;
    try {
      p = await dev.start(startNo);
    } catch (e) {
      const status = e instanceof DeviceStatusError ? e.status : null;
      if (status === 'NO_DOCS') await this.end('feeder-empty', status, 'start');
      else if (status === 'CANCELLED' && this.cancelled) await this.end('cancelled', status, 'start');
      else await this.fail(e, 'start');
      return true;
    }
    const layout = frameLayout(p, job);
    const frameNo = job.startsBefore + this.starts;
    const spoolPath = join(job.spoolDir, `frame-${frameNo}.${layout.depth === 1 ? 'bits' : 'v'}`);
    const spool = await FrameSpool.create(spoolPath, layout, job.blank.marginFraction);
    const expected = p.lines > 0 ? p.lines * p.bytesPerLine : null;
    let status: string;
    try {
      status = await this.readFrame(dev, spool, this.nextIndex, expected);
    } catch (e) {
      await spool.abort();
      await rm(spoolPath, { force: true });
      await this.fail(e, 'read');
      return true;
    }
    if (status !== 'EOF') {
      await spool.abort();
      await rm(spoolPath, { force: true });
      if (status === 'CANCELLED') await this.end('cancelled', this.cancelled ? null : 'CANCELLED', this.cancelled ? null : 'read');
      else await this.end('fault', status, 'read');
      return true;
    }
    const lines = await spool.finish();
    const ink = spool.ink.ratio(lines);
    this.pages++;
    if (lines === 0) {
      await rm(spoolPath, { force: true });
      return false;
    }
    const blank = job.blank.enabled && ink < job.blank.inkThreshold;
    this.queueEncode(spoolPath, layout, lines, ink, blank, blank ? this.nextIndex : this.nextIndex++);
    return false;
  }

  /** Encodes (or reports as blank) a read frame after those queued before it. */
  private queueEncode(spoolPath: string, layout: FrameLayout, lines: number, ink: number, blank: boolean, index: number): void {
    const job = this.job;
    this.pending++;
    this.encodes = this.encodes.then(async () => {
      try {
        if (blank) {
          this.send({ type: 'blank', jobId: job.jobId, index, inkRatio: ink });
          return;
        }
        const base = join(job.spoolDir, `page-${index}`);
        const enc = await encodeSpool(spoolPath, layout, lines, {
          file: `${base}.${layout.depth === 1 ? 'png' : 'jpg'}`,
          thumbFile: `${base}.thumb.jpg`,
          thumbMaxPx: job.thumbnailMaxPx,
          jpegQuality: job.jpegQuality,
        });
        this.send({
          type: 'page',
          page: { jobId: job.jobId, index, ...enc, dpi: layout.dpi, mode: layout.mode, inkRatio: ink },
        });
      } catch (e) {
        this.encodeError = e;
      } finally {
        this.pending--;
        await rm(spoolPath, { force: true });
      }
    });
  }

  /** The run's end, reported after every page queued before it and after the device is closed (an encode that failed makes it a fault). */
  private async end(reason: JobEndReason, status: string | null, stage: Stage, code: string | null = null, detail: string | null = null, params: Record<string, string | number | boolean> | null = null): Promise<void> {
    await this.encodes;
    if (this.encodeError && reason !== 'fault') {
      reason = 'fault';
      stage = 'encode';
      code = 'SCAN_DEVICE_ERROR';
      detail = messageOf(this.encodeError);
    }
    this.ending = { type: 'job-end', jobId: this.job.jobId, reason, status, stage, code, detail, pages: this.pages, starts: this.starts, ...(params ? { params } : {}) };
  }

  /** A driver's failure: a device status, a typed AppError (hostile answers), or anything else. */
  private fail(e: unknown, stage: Stage): Promise<void> {
    if (e instanceof DeviceStatusError) return this.end('fault', e.status, stage, null, e.message);
    if (isAppError(e)) return this.end('fault', null, stage, e.code, messageOf(e), e.params);
    if (e instanceof UnsupportedFrame) return this.end('fault', null, stage, 'SCAN_UNSUPPORTED_FORMAT', e.message);
    return this.end('fault', null, stage, 'SCAN_DEVICE_ERROR', messageOf(e));
  }

  /** Reads one frame into the spool, overlapping the device read with the file write. */
  private async readFrame(dev: DriverSession, spool: FrameSpool, index: number, expected: number | null): Promise<string> {
    const bufs = [new Uint8Array(READ_BUFFER_BYTES), new Uint8Array(READ_BUFFER_BYTES)];
    let which = 0;
    let writing: Promise<void> = Promise.resolve();
    let total = 0;
    let lastReport = 0;
    for (;;) {
      const buf = bufs[which]!;
      const r = await dev.read(buf);
      await writing;
      if (r.bytes > 0) {
        total += r.bytes;
        writing = spool.write(buf.subarray(0, r.bytes));
        which ^= 1;
      }
      const now = Date.now();
      if (now - lastReport >= 100 || r.status !== 'GOOD') {
        lastReport = now;
        this.send({ type: 'progress', jobId: this.job.jobId, index, phase: 'reading', bytesRead: total, bytesExpected: expected });
      }
      if (r.status !== 'GOOD') {
        await writing;
        return r.status;
      }
    }
  }
}

/** How a frame the device announced is laid out in the spool, and the page it becomes. */
function frameLayout(p: FrameParams, job: WorkerJob): FrameLayout {
  const mode = job.settings.mode;
  return {
    mode: p.depth === 1 ? 'lineart' : mode === 'lineart' ? 'gray' : p.format === 'RGB' ? 'color' : 'gray',
    width: p.pixelsPerLine,
    lines: p.lines,
    bytesPerLine: p.bytesPerLine,
    channels: p.format === 'RGB' ? 3 : 1,
    depth: p.depth === 1 ? 1 : 8,
    dpi: p.dpi ?? job.settings.dpi,
  };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
