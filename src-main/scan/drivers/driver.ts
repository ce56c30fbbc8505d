/**
 * The scanner driver interface. Every driver (SANE through node-sane, eSCL over HTTP, WIA next on
 * Windows) sits behind it inside the scanner worker process; the shared job runner
 * (worker/job-runner.ts) does everything else once: spooling to disk, ink metering and blank-page
 * skip, the pipelined encode (JPEG + JFIF dpi, 1-bit PNG), thumbnails, page numbering and the
 * job-end report, and the service maps the job-end status to operator faults (faults.ts) for
 * every driver alike.
 *
 * The vocabulary of device statuses is SANE's (`GOOD`, `EOF`, `NO_DOCS`, `JAMMED`, `COVER_OPEN`,
 * `DEVICE_BUSY`, `IO_ERROR`, `CANCELLED`, ...): it names every condition a scanner reports, and a
 * driver translates its own (eSCL's `ScannerAdfJam`, WIA's `WIA_ERROR_PAPER_JAM`) into it. Faults
 * that only the driver can name (a hostile answer from a network scanner) travel as AppError codes.
 */
import type { RawOptionValue, ScanCapabilities, ScanDevice, ScanSettings } from '../types.js';

/** One sheet's raw frame, as the runner spools it. */
export interface FrameParams {
  format: 'GRAY' | 'RGB';
  /** 1 (packed, 1 = black) or 8 bits per sample. */
  depth: 1 | 8;
  pixelsPerLine: number;
  /** -1 when the device does not know in advance. */
  lines: number;
  bytesPerLine: number;
  /** The resolution the page really has, when the device says (else the requested one). */
  dpi?: number;
}

export interface ReadResult {
  bytes: number;
  /** 'GOOD': more to come; 'EOF': the frame is complete; anything else: the device's status. */
  status: string;
}

/** A driver's failure with a device status (start() rejects with it; NO_DOCS = feeder empty). */
export class DeviceStatusError extends Error {
  constructor(
    readonly status: string,
    message: string = status,
  ) {
    super(message);
    this.name = 'DeviceStatusError';
  }
}

/** An open device running one scan run of a job. */
export interface DriverSession {
  /**
   * Feeds the next sheet (`startNo` is 1-based over the whole job, for the SANE test backend's
   * fault schedule). Resolves with the frame's parameters, or rejects with a DeviceStatusError
   * (NO_DOCS when the feeder is empty) or an AppError.
   */
  start(startNo: number): Promise<FrameParams>;
  /** Reads the current frame into `buf`; bounded wait (the runner checks cancel between reads). */
  read(buf: Uint8Array): Promise<ReadResult>;
  /** Stops the sheet in progress and the job on the device. */
  cancel(): Promise<void>;
  close(): Promise<void>;
}

/** What the service tells the drivers about this workstation's configuration (plain data). */
export interface DriverConfig {
  escl: EsclConfig;
}

export interface EsclScannerEntry {
  /** The scanner's eSCL root, e.g. "http://192.168.1.20/eSCL" or "https://mfp.centre.local:443/eSCL". */
  url: string;
  /** A name to show; else the scanner's MakeAndModel. */
  name?: string;
}

export interface EsclConfig {
  /** Scanners entered by URL (networks that block multicast). */
  scanners: EsclScannerEntry[];
  /** Browse DNS-SD for _uscan._tcp / _uscans._tcp. */
  discovery: boolean;
  /** multicast-dns socket options for discovery (tests keep it on loopback). */
  discoveryNet?: { interface?: string; bind?: string; port?: number };
  /** How long a discovery browse waits for answers when the list is refreshed. */
  discoveryWaitMs: number;
  /** No answer, or no byte of a page, for this long: the scanner is gone. */
  timeoutMs: number;
  /** Pages larger than this are refused before a byte is written. */
  maxPageMb: number;
  /** Certificates of HTTPS scanners an administrator confirmed (trust on first use). */
  pinned: { origin: string; sha256: string }[];
  /** 'auto' prefers JPEG and falls back to PDF. */
  format: 'auto' | 'jpeg' | 'pdf';
  /** Milliseconds between NextDocument polls while the scanner answers 503 (busy). */
  pollMs: number;
}

export const DEFAULT_ESCL: EsclConfig = {
  scanners: [],
  discovery: true,
  discoveryWaitMs: 1500,
  timeoutMs: 30_000,
  maxPageMb: 100,
  pinned: [],
  format: 'auto',
  pollMs: 300,
};

export interface OpenOptions {
  cfg: DriverConfig;
  /** Raw device options (SANE only; diagnostics and fault-injection tests). */
  deviceOptions: Record<string, RawOptionValue>;
  optionSchedule: { beforeStart: number; options: Record<string, RawOptionValue> }[];
  jobId: string;
  /** Where a driver may put what it receives before it is decoded (network pages). */
  spoolDir: string;
  /** Pages this run may take (null: until the feeder is empty); a network driver may fetch ahead only then. */
  maxPages?: number | null;
  /** Bytes received of the sheet being fetched in start() (network drivers), for progress and the watchdog. */
  onProgress?: (bytes: number, expected: number | null) => void;
}

export interface ScanDriver {
  readonly name: 'sane' | 'escl';
  /** Whether the device id is this driver's ("escl:..." ids are eSCL's; the rest SANE's). */
  owns(deviceId: string): boolean;
  devices(cfg: DriverConfig): Promise<ScanDevice[]>;
  capabilities(deviceId: string, cfg: DriverConfig): Promise<ScanCapabilities>;
  /** Opens the device and applies the settings (and raw options, for drivers that have them). */
  open(deviceId: string, settings: ScanSettings, o: OpenOptions): Promise<DriverSession>;
  close?(): Promise<void>;
}
