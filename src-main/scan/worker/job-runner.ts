/**
 * One scan run inside the worker: open the device, apply the settings, then for each sheet
 * start → read (raw lines streamed to a spool file) → queue the encode, so page N is encoded
 * while page N+1 is read. Pages leave in order; the run's end is reported only after every
 * page before it, so nothing read before a fault is lost.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SaneBinding, SaneDevice, SaneError } from 'node-sane';
import { isAppError } from '../../contract/errors.js';
import { optionPlan } from '../capabilities.js';
import { encodeSpool, FrameSpool, type FrameLayout } from '../page-encoder.js';
import type { FromWorker, JobEndReason, WorkerJob } from '../protocol.js';
import type { RawOptionValue, ScanSettings } from '../types.js';

const READ_BUFFER_BYTES = 1 << 20;
/** Encodes allowed to queue up before reading waits (bounds spool disk use and memory). */
const MAX_PENDING_ENCODES = 2;

type Send = (m: FromWorker) => void;

export class JobRun {
  private cancelled = false;
  private device: SaneDevice | null = null;

  constructor(
    private readonly sane: SaneBinding,
    private readonly job: WorkerJob,
    private readonly send: Send,
  ) {}

  async cancel(): Promise<void> {
    this.cancelled = true;
    if (this.device?.isOpen) await this.device.cancel().catch(() => {});
  }

  async run(): Promise<void> {
    const job = this.job;
    let starts = 0;
    let pages = 0;
    let nextIndex = job.firstIndex;
    let encodes: Promise<void> = Promise.resolve();
    let pending = 0;
    let encodeError: unknown = null;

    const end = async (reason: JobEndReason, status: string | null, stage: 'open' | 'options' | 'start' | 'read' | 'encode' | null, code: string | null = null, detail: string | null = null) => {
      await encodes;
      if (encodeError && reason !== 'fault') {
        reason = 'fault';
        stage = 'encode';
        code = 'SCAN_DEVICE_ERROR';
        detail = messageOf(encodeError);
      }
      this.send({ type: 'job-end', jobId: job.jobId, reason, status, stage, code, detail, pages, starts });
    };

    try {
      try {
        this.device = await this.sane.open(job.deviceId);
      } catch (e) {
        return await end('fault', statusOf(e), 'open', null, messageOf(e));
      }
      const dev = this.device;
      try {
        await applySettings(dev, job.settings, job.deviceOptions);
      } catch (e) {
        return await end('fault', isAppError(e) ? null : statusOf(e), 'options', isAppError(e) ? e.code : null, messageOf(e));
      }

      for (;;) {
        if (this.cancelled) return await end('cancelled', null, null);
        if (job.maxPages !== null && pages >= job.maxPages) return await end('max-pages', null, null);
        if (pending >= MAX_PENDING_ENCODES) await encodes;

        const startNo = job.startsBefore + starts + 1;
        for (const entry of job.optionSchedule) {
          if (entry.beforeStart === startNo) {
            for (const [k, v] of Object.entries(entry.options)) await dev.setOption(k, v);
          }
        }
        this.send({ type: 'progress', jobId: job.jobId, index: nextIndex, phase: 'starting', bytesRead: 0, bytesExpected: null });
        starts++;
        try {
          await dev.start();
        } catch (e) {
          const status = statusOf(e);
          if (status === 'NO_DOCS') return await end('feeder-empty', status, 'start');
          if (status === 'CANCELLED' && this.cancelled) return await end('cancelled', status, 'start');
          return await end('fault', status, 'start', null, messageOf(e));
        }
        const p = await dev.getParameters();
        const mode = job.settings.mode;
        if (!(p.format === 'GRAY' || p.format === 'RGB') || !(p.depth === 1 || p.depth === 8) || (p.depth === 1 && p.format !== 'GRAY')) {
          await dev.cancel();
          return await end('fault', null, 'start', 'SCAN_UNSUPPORTED_FORMAT', `${p.format}/${p.depth}`);
        }
        const layout: FrameLayout = {
          mode: p.depth === 1 ? 'lineart' : mode === 'lineart' ? 'gray' : p.format === 'RGB' ? 'color' : 'gray',
          width: p.pixelsPerLine,
          lines: p.lines,
          bytesPerLine: p.bytesPerLine,
          channels: p.format === 'RGB' ? 3 : 1,
          depth: p.depth === 1 ? 1 : 8,
          dpi: job.settings.dpi,
        };
        const frameNo = job.startsBefore + starts;
        const spoolPath = join(job.spoolDir, `frame-${frameNo}.${layout.depth === 1 ? 'bits' : 'v'}`);
        const spool = await FrameSpool.create(spoolPath, layout, job.blank.marginFraction);
        const expected = p.lines > 0 ? p.lines * p.bytesPerLine : null;
        const status = await this.readFrame(dev, spool, nextIndex, expected);

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
      if (this.device) {
        await this.device.cancel().catch(() => {});
        await this.device.close().catch(() => {});
        this.device = null;
      }
    }
  }

  /** Reads one frame into the spool, overlapping the device read with the file write. */
  private async readFrame(dev: SaneDevice, spool: FrameSpool, index: number, expected: number | null): Promise<string> {
    const bufs = [new Uint8Array(READ_BUFFER_BYTES), new Uint8Array(READ_BUFFER_BYTES)];
    let which = 0;
    let writing: Promise<void> = Promise.resolve();
    let total = 0;
    let lastReport = 0;
    for (;;) {
      const buf = bufs[which]!;
      const r = await dev.read(buf, { maxWaitMs: 250 });
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

/** Applies the settings, re-reading descriptors whenever the backend says options changed. */
export async function applySettings(dev: SaneDevice, settings: ScanSettings, raw: Record<string, RawOptionValue>): Promise<void> {
  const done = new Set<string>();
  let plan = optionPlan(dev.getOptionDescriptors(), settings);
  for (let i = 0; i < plan.length; i++) {
    const [name, value] = plan[i]!;
    if (done.has(name)) continue;
    const r = await dev.setOption(name, value);
    done.add(name);
    if (r.info.reloadOptions) {
      plan = optionPlan(dev.getOptionDescriptors(), settings);
      i = -1;
    }
  }
  for (const [name, value] of Object.entries(raw)) await dev.setOption(name, value);
}

function statusOf(e: unknown): string | null {
  const s = (e as Partial<SaneError> | null)?.status;
  return typeof s === 'string' ? s : null;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
