/** What a shell (Electron or the browser host) gives createHost. */
import type { KeySealer } from '../crypto/keyring.js';
import type { PapersClient } from '../papers/papers-client.js';
import type { StepClock } from '../reports/step-log.js';
import type { RequestSigner } from '../requests/signing.js';
import type { WorkerSpawner } from '../scan/index.js';
import type { Config } from './config.js';
import type { Logger } from './logger-types.js';

export interface HostOptions {
  config: Config;
  shell: 'electron' | 'browser';
  log: Logger;
  /** Called when an administrator closes the app (kiosk mode). */
  onQuit?: () => void;
  now?: () => Date;
  /** A fixed signer (tests of the request flow that are not about signing). */
  signer?: RequestSigner;
  /** The scanner worker's entry (default dist/main/scan-worker.mjs), or a spawner (Electron's utilityProcess). */
  scanWorkerEntry?: string;
  scanSpawner?: WorkerSpawner;
  /** Start the sync engine's timer (tests drive rounds themselves). */
  startSync?: boolean;
  /** Where each configuration key came from (config.ts loadConfig), and the layers read. */
  provenance?: Record<string, string>;
  configSources?: string[];
  /** The per-user configuration file the settings screen writes (default: this platform's). */
  userConfigFile?: string;
  /** The idle lock's time, instead of auth.idleTimeoutMinutes (tests: seconds). */
  idleTimeoutMs?: number;
  /** log2 of scrypt's N for password hashes: tests only (the app always uses OWASP's 17). */
  passwordHashLogN?: number;
  /** Printing, where the shell can print (Electron); absent under the browser host. */
  printer?: Printer;
  /** How the data key is sealed: Electron's safeStorage; absent: the key file's rights (crypto/keyring.ts). */
  keySealer?: KeySealer;
  /** The step events' clock (monotonic and wall): tests script step durations and clock jumps with it. */
  stepClock?: StepClock;
  /** A papers worker client the caller owns and closes (tests: one worker for many hosts); absent: the host's own. */
  papers?: PapersClient;
}

export interface Printer {
  list(): Promise<{ name: string; displayName: string }[]>;
  /** Prints the PDF: silently to the given or default printer in kiosk mode, with the system dialog otherwise. */
  print(pdf: Uint8Array, opts: { deviceName: string | null }): Promise<void>;
}
