/**
 * Public types of the scan service (src-main/scan). Everything here is plain data that can cross
 * a process boundary (JSON); nothing holds personal data: pages are identified by ids and hashes.
 */

export type ScanSource = 'flatbed' | 'adf' | 'adf-duplex';
export type ColorMode = 'gray' | 'color' | 'lineart';
export type PageFormat = 'image/jpeg' | 'image/png';
export type PageSizeId = 'A4' | 'A5' | 'A3' | 'Letter' | 'Legal' | 'ID1' | 'max';

/** Why scanning may be unavailable, for the scanner settings screen. */
export type SaneUnavailableReason = 'unsupported-platform' | 'not-built' | 'no-libsane' | 'load-failed' | 'init-failed';

export interface ScanStatus {
  /** 'available': libsane is loaded in the worker. 'unavailable': "no SANE" (file import still works). */
  sane: 'available' | 'unavailable' | 'unknown';
  saneReason?: SaneUnavailableReason;
  saneVersion?: string;
  /** The scanner worker process. */
  worker: 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';
  workerRestarts: number;
  /** File import is always offered; PDF import needs poppler's pdftoppm. */
  importFormats: ('jpeg' | 'png' | 'tiff' | 'pdf')[];
  /** eSCL network scanners (every platform): DNS-SD on or off, how many are configured by URL. */
  escl: { discovery: boolean; configured: number };
}

export interface ScanDevice {
  /** SANE device name, stable for a given connection (e.g. "test:0", "epson2:libusb:001:004"). */
  id: string;
  vendor: string;
  model: string;
  type: string;
  /** The SANE test backend's virtual device: used when no real scanner is there. */
  virtual: boolean;
  /** Which driver serves it: SANE (libsane) or eSCL (driverless network scanners, every platform). */
  driver: 'sane' | 'escl';
  /** eSCL: the scanner's root URL and how it was found. */
  url?: string;
  found?: 'configured' | 'dns-sd';
  /** HTTPS eSCL scanners: the certificate's SHA-256, and whether an administrator pinned it. */
  certificate?: { sha256: string; trusted: boolean };
}

export interface ScanCapabilities {
  deviceId: string;
  sources: ScanSource[];
  modes: ColorMode[];
  /** Resolutions the device accepts, in dpi (the usual steps within its range). */
  resolutions: number[];
  pageSizes: PageSizeId[];
  /** The largest scan area, in millimetres. */
  maxArea: { widthMm: number; heightMm: number };
}

export interface ScanSettings {
  source: ScanSource;
  mode: ColorMode;
  dpi: number;
  pageSize: PageSizeId;
}

export interface ScanProfile {
  id: string;
  /** i18n key in src-renderer/i18n/<lang>/scan.json. */
  nameKey: string;
  settings: ScanSettings;
  /** Skip blank pages (overrides the service default when set). */
  skipBlankPages?: boolean;
}

export interface BlankPageOptions {
  enabled: boolean;
  /** A page is blank when less than this fraction of its area (margins excluded) is ink. */
  inkThreshold: number;
  /** Margin ignored on every side, as a fraction of the width/height (shadows, punch holes). */
  marginFraction: number;
}

/** A SANE option value, for diagnostics and tests (raw device options). */
export type RawOptionValue = boolean | number | number[] | string;

export interface ScanRequest {
  /** Defaults to the service's default device (a real scanner if there is one, else the test device). */
  deviceId?: string;
  /** A profile id, or explicit settings (settings win field by field). */
  profileId?: string;
  settings?: Partial<ScanSettings>;
  /** Stop after this many pages (flatbed default 1; ADF default: until the feeder is empty). */
  maxPages?: number;
  skipBlankPages?: boolean;
  /**
   * Raw SANE options applied after the settings. Diagnostics and tests only (the contract should
   * not expose these): e.g. { 'test-picture': 'Grid' } on the test backend.
   */
  deviceOptions?: Record<string, RawOptionValue>;
  /**
   * Raw options applied just before the n-th sane_start() of the job (1-based, counted over the
   * whole job including continues). Used to inject faults into the test backend mid-batch.
   */
  optionSchedule?: { beforeStart: number; options: Record<string, RawOptionValue> }[];
}

export type JobState = 'scanning' | 'paused' | 'completed' | 'cancelled' | 'failed';

/** What the operator is asked to do; the UI shows the action's label from scan.json. */
export type OperatorAction =
  | 'load-and-continue'
  | 'clear-jam-and-continue'
  | 'close-cover-and-continue'
  | 'retry'
  | 'check-connection-and-continue'
  | 'reconnect-device'
  | 'continue'
  | 'import-files'
  | 'contact-support';

export interface ScanFault {
  /** SCAN_* error code (src-renderer/i18n/<lang>/errors/scan.json). */
  code: string;
  params: Record<string, string | number | boolean>;
  action: OperatorAction | null;
  retryable: boolean;
}

export interface StoredImage {
  sha256: string;
  size: number;
  width: number;
  height: number;
}

/** A page as recorded by the host and shown by the UI. */
export interface ScannedPage {
  id: string;
  jobId: string;
  /** 1-based position in the job (blank pages skipped do not take a number). */
  index: number;
  sha256: string;
  size: number;
  format: PageFormat;
  width: number;
  height: number;
  dpi: number;
  mode: ColorMode;
  thumbnail: StoredImage;
  /** The content's skew in degrees as the scan measured it (null: not measured, e.g. imported). */
  skewDeg?: number | null;
  source: ScanSource | 'import';
  deviceId: string | null;
  createdAt: string;
  /** For imported pages: the page's number in its file and the sniffed file type (never the name). */
  imported?: { pageOfFile: number; fileType: 'jpeg' | 'png' | 'tiff' | 'pdf' };
}

export interface JobSnapshot {
  jobId: string;
  deviceId: string;
  settings: ScanSettings;
  state: JobState;
  pages: number;
  skippedBlank: number;
  fault: ScanFault | null;
}

export interface ScanProgressEvent {
  jobId: string;
  /** The page being read (1-based, in job numbering), or the last page handled. */
  page: number;
  phase: 'starting' | 'reading' | 'page-stored' | 'blank-skipped';
  bytesRead: number;
  bytesExpected: number | null;
  pagesStored: number;
  skippedBlank: number;
}

export interface ScanPageEvent {
  jobId: string;
  page: ScannedPage;
}

export interface ScanFaultEvent {
  jobId: string | null;
  fault: ScanFault;
  pagesKept: number;
}

export interface ScanJobEvent {
  job: JobSnapshot;
  /** Why the state changed: 'feeder-empty' is the normal end of an ADF batch. */
  reason: 'started' | 'feeder-empty' | 'max-pages' | 'cancelled' | 'fault' | 'continued';
}

export type WorkerEvent =
  | { type: 'crashed'; exitCode: number | null; signal: string | null; jobId: string | null }
  | { type: 'hung'; cause: 'no-heartbeat' | 'no-read-progress'; silentMs: number; jobId: string | null }
  | { type: 'restarted'; restarts: number }
  | { type: 'gave-up'; restarts: number };

export interface ScanServiceEvents {
  progress: [ScanProgressEvent];
  page: [ScanPageEvent];
  fault: [ScanFaultEvent];
  job: [ScanJobEvent];
  worker: [WorkerEvent];
}
