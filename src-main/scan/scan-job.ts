/**
 * A scan job as the scan service keeps it (a job may run several times: paused by a fault, then
 * continued), what the worker is asked to do for one run, and how a run's end is read: the job's
 * next state, the fault to show and why the job event fires.
 */
import { randomUUID } from 'node:crypto';
import type { JobSnapshot, JobState, ScanFault, ScanRequest, ScanServiceEvents, ScanSettings, BlankPageOptions, ScannedPage } from './types.js';
import type { FromWorker, WorkerJob, WorkerPage } from './protocol.js';
import type { StoredFile } from '../files/content-store.js';
import { outcomeForCode, outcomeForStatus } from './faults.js';

export interface Job {
  id: string;
  deviceId: string;
  settings: ScanSettings;
  request: ScanRequest;
  state: JobState;
  pages: number;
  skippedBlank: number;
  starts: number;
  fault: ScanFault | null;
  maxPages: number | null;
  blank: BlankPageOptions;
  /** Store → record → emit, one page after another. */
  chain: Promise<void>;
  storeFailed: ScanFault | null;
  cancelRequested: boolean;
}

/** A job about to run for the first time: a flatbed scans one page unless asked for more. */
export function newJob(req: ScanRequest, deviceId: string, settings: ScanSettings, blank: BlankPageOptions): Job {
  return {
    id: randomUUID(),
    deviceId,
    settings,
    request: req,
    state: 'scanning',
    pages: 0,
    skippedBlank: 0,
    starts: 0,
    fault: null,
    maxPages: req.maxPages ?? (settings.source === 'flatbed' ? 1 : null),
    blank,
    chain: Promise.resolve(),
    storeFailed: null,
    cancelRequested: false,
  };
}

export function isEsclDevice(deviceId: string): boolean {
  return deviceId.startsWith('escl:');
}

export function jobSnapshot(j: Job): JobSnapshot {
  return { jobId: j.id, deviceId: j.deviceId, settings: j.settings, state: j.state, pages: j.pages, skippedBlank: j.skippedBlank, fault: j.fault };
}

/** What the worker is asked to scan in this run: the pages after those the job already kept. */
export function workerJobOf(job: Job, spoolDir: string, opts: { thumbnailMaxPx: number; jpegQuality: number }): WorkerJob {
  return {
    jobId: job.id,
    deviceId: job.deviceId,
    settings: job.settings,
    firstIndex: job.pages + 1,
    startsBefore: job.starts,
    maxPages: job.maxPages === null ? null : Math.max(0, job.maxPages - job.pages),
    blank: job.blank,
    spoolDir,
    deviceOptions: job.request.deviceOptions ?? {},
    optionSchedule: job.request.optionSchedule ?? [],
    thumbnailMaxPx: opts.thumbnailMaxPx,
    jpegQuality: opts.jpegQuality,
  };
}

/** The page as recorded and shown, once its file and thumbnail are in the content store. */
export function scannedPageOf(job: Job, p: WorkerPage, stored: StoredFile, thumb: StoredFile, now: Date): ScannedPage {
  return {
    id: randomUUID(),
    jobId: job.id,
    index: p.index,
    sha256: stored.sha256,
    size: stored.size,
    format: p.format,
    width: p.width,
    height: p.height,
    dpi: p.dpi,
    mode: p.mode,
    thumbnail: { sha256: thumb.sha256, size: thumb.size, width: p.thumbWidth, height: p.thumbHeight },
    skewDeg: p.skewDeg,
    source: job.settings.source,
    deviceId: job.deviceId,
    createdAt: now.toISOString(),
  };
}

export interface RunOutcome {
  state: JobState;
  fault: ScanFault | null;
  reason: ScanServiceEvents['job'][0]['reason'];
}

/**
 * How a run ended, from the worker's job-end message. `isDeviceListed` asks the worker whether a
 * SANE device is still there (an I/O error of a device gone is not a jam).
 */
export async function runOutcome(job: Job, m: Extract<FromWorker, { type: 'job-end' }>, isDeviceListed: () => Promise<boolean>): Promise<RunOutcome> {
  let state: JobState;
  let fault: ScanFault | null = null;
  let reason: ScanServiceEvents['job'][0]['reason'];
  if (job.storeFailed) {
    state = 'failed';
    fault = job.storeFailed;
    reason = 'fault';
  } else if (m.reason === 'cancelled') {
    state = 'cancelled';
    reason = 'cancelled';
  } else if (m.reason === 'max-pages') {
    state = 'completed';
    reason = 'max-pages';
  } else if (m.code) {
    const out = outcomeForCode(m.code, m.params ?? {}, job.pages);
    state = out.state;
    fault = out.fault;
    reason = 'fault';
  } else {
    let deviceListed = true;
    if (isEsclDevice(job.deviceId)) {
      // The eSCL driver names a scanner gone from the network itself (SCAN_DEVICE_GONE); an
      // I/O error is a connection that broke mid-answer.
      deviceListed = true;
    } else if (m.status === 'IO_ERROR' || (m.status === 'INVAL' && m.stage === 'open')) {
      deviceListed = await isDeviceListed();
    }
    // Blank pages count as fed sheets: an all-blank batch still ended normally.
    const out = outcomeForStatus(m.status, { pagesInJob: job.pages, sheetsFed: job.pages + job.skippedBlank, deviceListed, stage: m.stage });
    state = out.state;
    fault = out.fault;
    reason = out.fault ? 'fault' : 'feeder-empty';
  }
  return { state, fault, reason };
}
