/**
 * One scan run inside the worker, the same for every driver: open the device through its driver
 * (SANE, eSCL), then for each sheet start → read (raw lines streamed to a spool file) → queue the
 * encode, so page N is encoded while page N+1 is read. Pages leave in order; the run's end is
 * reported only after every page before it, so nothing read before a fault is lost.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isAppError } from '../../contract/errors.js';
import { DeviceStatusError, type DriverConfig, type DriverSession, type ScanDriver } from '../drivers/driver.js';
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

  constructor(
    private readonly driver: ScanDriver,
    private readonly cfg: DriverConfig,
    private readonly job: WorkerJob,
    private readonly send: Send,
  ) {}

  async cancel(): Promise<void> {
    this.cancelled = true;
    await this.session?.cancel().catch(() => {});
  }

  async run(): Promise<void> {
    const job = this.job;
    let starts = 0;
    let pages = 0;
    let nextIndex = job.firstIndex;
    let encodes: Promise<void> = Promise.resolve();
    let pending = 0;
    let encodeError: unknown = null;

    const end = async (reason: JobEndReason, status: string | null, stage: Stage, code: string | null = null, detail: string | null = null, params: Record<string, string | number | boolean> | null = null) => {
      await encodes;
      if (encodeError && reason !== 'fault') {
        reason = 'fault';
        stage = 'encode';
        code = 'SCAN_DEVICE_ERROR';
        detail = messageOf(encodeError);
      }
      this.send({ type: 'job-end', jobId: job.jobId, reason, status, stage, code, detail, pages, starts, ...(params ? { params } : {}) });
    };
    /** A driver's failure: a device status, a typed AppError (hostile answers), or anything else. */
    const fail = (e: unknown, stage: Stage) => {
      if (e instanceof DeviceStatusError) return end('fault', e.status, stage, null, e.message);
      if (isAppError(e)) return end('fault', null, stage, e.code, messageOf(e), e.params);
      if (e instanceof UnsupportedFrame) return end('fault', null, stage, 'SCAN_UNSUPPORTED_FORMAT', e.message);
      return end('fault', null, stage, 'SCAN_DEVICE_ERROR', messageOf(e));
    };

    try {
      try {
        this.session = await this.driver.open(job.deviceId, job.settings, {
          cfg: this.cfg,
          deviceOptions: job.deviceOptions,
          optionSchedule: job.optionSchedule,
          jobId: job.jobId,
          spoolDir: job.spoolDir,
          maxPages: job.maxPages,
          onProgress: (bytesRead, bytesExpected) => this.send({ type: 'progress', jobId: job.jobId, index: nextIndex, phase: 'reading', bytesRead, bytesExpected }),
        });
      } catch (e) {
        return await fail(e, e instanceof DeviceStatusError && (e as { stage?: string }).stage === 'open' ? 'open' : 'options');
      }
      const dev = this.session;

      for (;;) {
        if (this.cancelled) return await end('cancelled', null, null);
        if (job.maxPages !== null && pages >= job.maxPages) return await end('max-pages', null, null);
        if (pending >= MAX_PENDING_ENCODES) await encodes;

        const startNo = job.startsBefore + starts + 1;
        this.send({ type: 'progress', jobId: job.jobId, index: nextIndex, phase: 'starting', bytesRead: 0, bytesExpected: null });
        starts++;
        let p;
        try {
          p = await dev.start(startNo);
        } catch (e) {
          const status = e instanceof DeviceStatusError ? e.status : null;
          if (status === 'NO_DOCS') return await end('feeder-empty', status, 'start');
          if (status === 'CANCELLED' && this.cancelled) return await end('cancelled', status, 'start');
          return await fail(e, 'start');
        }
        const mode = job.settings.mode;
        const layout: FrameLayout = {
          mode: p.depth === 1 ? 'lineart' : mode === 'lineart' ? 'gray' : p.format === 'RGB' ? 'color' : 'gray',
          width: p.pixelsPerLine,
          lines: p.lines,
          bytesPerLine: p.bytesPerLine,
          channels: p.format === 'RGB' ? 3 : 1,
          depth: p.depth === 1 ? 1 : 8,
          dpi: p.dpi ?? job.settings.dpi,
        };
        const frameNo = job.startsBefore + starts;
        const spoolPath = join(job.spoolDir, `frame-${frameNo}.${layout.depth === 1 ? 'bits' : 'v'}`);
        const spool = await FrameSpool.create(spoolPath, layout, job.blank.marginFraction);
        const expected = p.lines > 0 ? p.lines * p.bytesPerLine : null;
        let status: string;
        try {
          status = await this.readFrame(dev, spool, nextIndex, expected);
        } catch (e) {
          await spool.abort();
          await rm(spoolPath, { force: true });
          return await fail(e, 'read');
        }

        if (status !== 'EOF') {
          await spool.abort();
          await rm(spoolPath, { force: true });
          if (status === 'CANCELLED') return await end('cancelled', this.cancelled ? null : 'CANCELLED', this.cancelled ? null : 'read');
          return await end('fault', status, 'read');
        }
        const lines = await spool.finish();
        const ink = spool.ink.ratio(lines);
        pages++;
        if (lines === 0) {
          await rm(spoolPath, { force: true });
          continue;
        }
        const blank = job.blank.enabled && ink < job.blank.inkThreshold;
        const index = blank ? nextIndex : nextIndex++;
        pending++;
        encodes = encodes.then(async () => {
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
            encodeError = e;
          } finally {
            pending--;
            await rm(spoolPath, { force: true });
          }
        });
      }
    } finally {
      await encodes;
      if (this.session) {
        await this.session.close().catch(() => {});
        this.session = null;
      }
    }
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

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
