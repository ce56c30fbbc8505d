/** What the sandbox eSCL scanner can be told: its make-up, and the faults and hostile answers to play. */
import type { SandboxFormat } from './pages.js';

export interface SandboxFaults {
  /** The feeder jams when this sheet is fed (once); the sheet stays in the feeder. */
  jamAtSheet?: number;
  /** The cover opens when this sheet is fed (once). */
  coverOpenAtSheet?: number;
  /** The scanner drops the job when this sheet would be fed (once); paper stays loaded. */
  vanishAtSheet?: number;
  /** The next N requests to ScanJobs answer 503 (busy). */
  busyJobs?: number;
  /** The next N NextDocument requests answer 503 before the page comes. */
  busyPages?: number;
  /** This sheet's body is cut off halfway (chunked, then the connection closes). */
  truncateAtSheet?: number;
  /** This sheet's headers come, half its body, then nothing: a scanner gone from the network. */
  stallAtSheet?: number;
  /** Malformed XML for this document. */
  malformed?: 'capabilities' | 'status';
  /** Hostile answers. */
  xmlBomb?: 'capabilities' | 'status';
  hugePageAtSheet?: number;
  lyingLengthAtSheet?: number;
  redirectAtSheet?: number;
  pixelBombAtSheet?: number;
  /** ScanJobs' Location points at another host. */
  foreignLocation?: boolean;
}

export interface SandboxScannerOptions {
  /** Time to "scan" one page: the body is sent in pieces over this long (60 ppm = 1000 ms). */
  pageMs?: number;
  /** Sheets in the feeder at start. */
  feeder?: number;
  /** Sheets whose both sides are blank (for blank-page skip). */
  blankSheets?: number[];
  /** Only blank back sides (duplex): every sheet's back is blank when true. */
  blankBacks?: boolean;
  formats?: SandboxFormat[];
  resolutions?: number[];
  adf?: boolean;
  duplex?: boolean;
  /** Send bodies chunked (no Content-Length), as some printers do. */
  chunked?: boolean;
  tls?: { key: string; cert: string };
  makeAndModel?: string;
}
