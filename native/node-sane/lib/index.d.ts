/** Every SANE status, by name (SANE 1.0 plus the WARMING_UP / HW_LOCKED extensions). */
export type SaneStatus =
  | 'GOOD'
  | 'UNSUPPORTED'
  | 'CANCELLED'
  | 'DEVICE_BUSY'
  | 'INVAL'
  | 'EOF'
  | 'JAMMED'
  | 'NO_DOCS'
  | 'COVER_OPEN'
  | 'IO_ERROR'
  | 'NO_MEM'
  | 'ACCESS_DENIED'
  | 'WARMING_UP'
  | 'HW_LOCKED'
  | 'UNKNOWN';

export declare const STATUS_NAMES: readonly SaneStatus[];
export declare function statusName(code: number): SaneStatus;

export interface SaneDeviceInfo {
  /** Backend device name to pass to open(), e.g. "test:0" or "epson2:libusb:001:004". */
  name: string;
  vendor: string;
  model: string;
  /** "flatbed scanner", "virtual device", ... */
  type: string;
}

export type SaneValueType = 'BOOL' | 'INT' | 'FIXED' | 'STRING' | 'BUTTON' | 'GROUP';
export type SaneUnit = 'NONE' | 'PIXEL' | 'BIT' | 'MM' | 'DPI' | 'PERCENT' | 'MICROSECOND';

export type SaneConstraint =
  | { type: 'RANGE'; min: number; max: number; quant: number }
  | { type: 'WORD_LIST'; values: number[] }
  | { type: 'STRING_LIST'; values: string[] };

export interface SaneOptionDescriptor {
  index: number;
  /** Well-known names: "mode", "resolution", "source", "tl-x", "tl-y", "br-x", "br-y", "depth". */
  name: string;
  title: string;
  description: string;
  type: SaneValueType;
  unit: SaneUnit;
  /** Size in bytes as the backend declares it. */
  size: number;
  /** Number of elements for INT/FIXED arrays (1 for scalars). */
  count: number;
  cap: {
    softSelect: boolean;
    hardSelect: boolean;
    softDetect: boolean;
    emulated: boolean;
    automatic: boolean;
    inactive: boolean;
    advanced: boolean;
  };
  isActive: boolean;
  isSettable: boolean;
  /** FIXED constraints are given as plain numbers (already un-fixed). */
  constraint: SaneConstraint | null;
}

export type SaneValue = boolean | number | number[] | string | null;

export interface SaneInfo {
  /** The backend rounded or clamped the value; `value` holds what it used. */
  inexact: boolean;
  /** Other options' descriptors changed (re-read them). */
  reloadOptions: boolean;
  /** Scan parameters changed (re-read them). */
  reloadParams: boolean;
}

export interface SaneParameters {
  format: 'GRAY' | 'RGB' | 'RED' | 'GREEN' | 'BLUE' | 'OTHER';
  formatCode: number;
  lastFrame: boolean;
  bytesPerLine: number;
  pixelsPerLine: number;
  /** -1 when the height is not known in advance (hand scanners, some feeders). */
  lines: number;
  depth: number;
}

export interface SaneReadResult {
  /** Bytes written into the buffer by this call. */
  bytes: number;
  /** GOOD (buffer full or maxWaitMs passed), EOF (frame complete), CANCELLED, or a device fault. */
  status: SaneStatus;
}

/** Rejections from SANE calls carry the status. */
export interface SaneError extends Error {
  status: SaneStatus;
  /** "SANE_STATUS_<status>" */
  code: string;
  operation: string;
}

export interface SaneDevice {
  readonly name: string;
  readonly isOpen: boolean;
  close(): Promise<void>;
  getOptionDescriptors(): SaneOptionDescriptor[];
  getOption(option: number | string): Promise<SaneValue>;
  setOption(option: number | string, value: SaneValue): Promise<{ info: SaneInfo; value: SaneValue }>;
  setOptionAuto(option: number | string): Promise<{ info: SaneInfo }>;
  getParameters(): Promise<SaneParameters>;
  start(): Promise<void>;
  /** Fills `buffer` off the JS thread; see SaneReadResult. One read at a time per device. */
  read(buffer: Uint8Array, options?: { maxWaitMs?: number }): Promise<SaneReadResult>;
  /** Cancels the current scan; a read in flight resolves with status CANCELLED. */
  cancel(): Promise<void>;
  setIoMode(nonBlocking: boolean): SaneStatus;
}

export interface SaneBinding {
  init(): Promise<{ versionCode: number; version: string }>;
  exit(): Promise<void>;
  isInitialized(): boolean;
  getDevices(localOnly?: boolean): Promise<SaneDeviceInfo[]>;
  open(name: string): Promise<SaneDevice>;
  strstatus(code: number): { name: SaneStatus; message: string };
  readonly STATUS: Readonly<Record<SaneStatus, number>>;
}

export type LoadResult =
  | { available: true; binding: SaneBinding; binaryPath: string }
  | {
      available: false;
      /** not-built: no addon (no headers at install); no-libsane: libsane.so missing at run time. */
      reason: 'unsupported-platform' | 'not-built' | 'no-libsane' | 'load-failed';
      detail: string;
      binaryPath: string;
    };

/** Loads the addon once; never throws. `binaryPath` (or env NODE_SANE_BINARY) overrides the path. */
export declare function load(options?: { binaryPath?: string }): LoadResult;

/**
 * Linux: the shared library to put in LD_PRELOAD of the process that loads SANE backends, so that
 * their reader threads are cancelled at a cancellation point, never inside malloc (which would
 * deadlock the process). Null on other systems or when it was not built.
 */
export declare function deferredCancelPreload(): string | null;
