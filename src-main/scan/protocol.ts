/**
 * Messages between the scan service (main process) and the scanner worker process. The same
 * plain objects travel over Node's child_process IPC channel and over Electron's
 * utilityProcess MessagePort, so the service never knows which one it has. Pixel data never
 * crosses this channel: pages travel as files in the spool directory.
 */
import type { DriverConfig } from './drivers/driver.js';
import type { EncodedPage } from './page-encoder.js';
import type { BlankPageOptions, ColorMode, RawOptionValue, ScanCapabilities, ScanDevice, ScanSettings, SaneUnavailableReason } from './types.js';

export type SaneStatusName = string;

/** Main → worker. Requests carry `reqId`; the worker answers each with a `result`. */
export type ToWorker =
  | { type: 'devices'; reqId: number; drivers: DriverConfig; refresh?: boolean }
  | { type: 'capabilities'; reqId: number; deviceId: string; drivers: DriverConfig }
  | { type: 'scan'; reqId: number; job: WorkerJob; drivers: DriverConfig }
  | { type: 'cancel'; reqId: number; jobId: string }
  | { type: 'shutdown'; reqId: number };

/** A request as the service writes it; the host adds `reqId`. */
export type ToWorkerRequest = ToWorker extends infer T ? (T extends unknown ? Omit<T, 'reqId'> : never) : never;

export interface WorkerJob {
  jobId: string;
  deviceId: string;
  settings: ScanSettings;
  /** Page number (job numbering) the next page gets; blank pages do not consume one. */
  firstIndex: number;
  /** How many sane_start() calls earlier runs of this job made (for optionSchedule). */
  startsBefore: number;
  maxPages: number | null;
  blank: BlankPageOptions;
  spoolDir: string;
  deviceOptions: Record<string, RawOptionValue>;
  optionSchedule: { beforeStart: number; options: Record<string, RawOptionValue> }[];
  thumbnailMaxPx: number;
  jpegQuality: number;
}

/** Where a worker job stopped. */
export type JobEndReason = 'feeder-empty' | 'max-pages' | 'cancelled' | 'fault';

/** An encoded page (its files, format and sizes) as the worker hands it over. */
export interface WorkerPage extends EncodedPage {
  jobId: string;
  index: number;
  dpi: number;
  mode: ColorMode;
  inkRatio: number;
}

/** Worker → main. */
export type FromWorker =
  | { type: 'ready'; pid: number; sane: { available: true; version: string } | { available: false; reason: SaneUnavailableReason; detail: string } }
  | { type: 'heartbeat'; at: number }
  | { type: 'result'; reqId: number; ok: true; value?: unknown }
  | { type: 'result'; reqId: number; ok: false; error: WorkerError }
  | { type: 'progress'; jobId: string; index: number; phase: 'starting' | 'reading'; bytesRead: number; bytesExpected: number | null }
  | { type: 'page'; page: WorkerPage }
  | { type: 'blank'; jobId: string; index: number; inkRatio: number }
  | {
      type: 'job-end';
      jobId: string;
      reason: JobEndReason;
      /** SANE status that ended the job (NO_DOCS, JAMMED, ...) or the failing operation's status. */
      status: SaneStatusName | null;
      stage: 'open' | 'options' | 'start' | 'read' | 'encode' | null;
      code: string | null;
      /** The typed error's parameters (e.g. a hostile scanner's declared size). */
      params?: Record<string, string | number | boolean>;
      detail: string | null;
      pages: number;
      starts: number;
    };

export interface WorkerError {
  code: string;
  params?: Record<string, string | number | boolean>;
  status?: SaneStatusName;
  detail?: string;
}

export type DevicesResult = ScanDevice[];
export type CapabilitiesResult = ScanCapabilities;
