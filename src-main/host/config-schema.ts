/**
 * What the configuration may hold (the zod schema every layer is checked against), which keys are
 * paths, and which are locked to the machine-wide file. A new setting: its schema here, its default
 * in config-defaults.ts, and (if security-relevant) its key in LOCKED_KEYS. Loading is config.ts.
 */
import { z } from 'zod';
import { isValidIdn } from '../contract/idn.js';
import { Language, LocalizedText } from '../contract/model.js';

const PathString = z.string().min(1);
const Bin = z.string().refine((v) => isValidIdn('bin', v), 'not a valid BIN (12 digits with a correct check digit)');

export const ConfigSchema = z.strictObject({
  /** Where the database, scans, logs and backups live. */
  dataDir: PathString,
  /** The UI language at start: Kazakh by default. */
  language: Language,
  /** Kiosk mode: full screen, no menu, closing needs an administrator. */
  kiosk: z.boolean(),
  /** This counter's id, part of every local request number. */
  workstationId: z.string().regex(/^[A-Za-z0-9-]{1,16}$/, 'letters, digits and "-" (up to 16)'),
  centre: z.strictObject({
    code: z.string().regex(/^[A-Z0-9-]{2,16}$/, 'capital letters, digits and "-" (2 to 16)'),
    bin: Bin,
    name: LocalizedText,
    address: LocalizedText,
  }),
  backend: z.strictObject({
    /** The licensing backend (through the e-government gateway); the sandbox by default. */
    url: z.url({ protocol: /^https?$/ }),
    /** PEM file with the CA that signs the backend's TLS certificate (null: the system's CAs). */
    caFile: PathString.nullable(),
    timeoutMs: z.number().int().min(500).max(300_000),
    /** The workstation's TLS client certificate (PEM) for mutual TLS, with clientKeyFile. */
    clientCertFile: PathString.nullable(),
    /** The private key (PEM) of clientCertFile; encrypted keys take clientKeyPasswordFile. */
    clientKeyFile: PathString.nullable(),
    /** Or the client certificate and key as one PKCS#12 file (instead of clientCertFile/clientKeyFile). */
    clientPkcs12File: PathString.nullable(),
    /** A file (readable by the app's account only) holding the password of the key or PKCS#12. */
    clientKeyPasswordFile: PathString.nullable(),
    /** Chunk size of document uploads, in KiB (the protocol allows 16 to 8192). */
    uploadChunkKiB: z.number().int().min(16).max(8192),
  }),
  scanner: z.strictObject({
    /** "auto": a real SANE scanner if one is attached, else the SANE test device; "none": file import only. */
    mode: z.enum(['auto', 'sane', 'none']),
    /** A SANE device name to use instead of the first one found. */
    device: z.string().min(1).nullable(),
    /** Skip blank pages (a blank back side in the feeder) unless a profile says otherwise. */
    skipBlankPages: z.boolean(),
    /** Slows the SANE test device (demos, benchmarks): microseconds it waits after each buffer of a page; 0 = full speed. */
    testDeviceReadDelayUs: z.number().int().min(0).max(200_000),
    /** eSCL network scanners (every platform, the only scanners on Windows): see docs/scanning.md. */
    escl: z.strictObject({
      /** Scanners entered by URL, for networks that block multicast: [{ "url": "http://10.0.0.20/eSCL", "name": "Counter 3" }]. */
      scanners: z.array(z.strictObject({ url: z.url({ protocol: /^https?$/ }), name: z.string().min(1).max(80).optional() })).max(50),
      /** Find scanners by DNS-SD (_uscan._tcp, _uscans._tcp). */
      discovery: z.boolean(),
      /** No answer (or no byte of a page) for this long: the scanner is gone. */
      timeoutMs: z.number().int().min(1000).max(300_000),
      /** Certificates of HTTPS scanners an administrator confirmed (written by the settings screen). */
      pinned: z.array(z.strictObject({ origin: z.url({ protocol: /^https$/ }), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).max(50),
    }),
  }),
  signing: z.strictObject({
    /** "pkcs12": the operator's key file, opened here; "ncalayer": tokens and ID cards through NCALayer. */
    provider: z.enum(['pkcs12', 'ncalayer']),
    /** The operator's PKCS#12 key file (national CA format). */
    keystoreFile: PathString.nullable(),
    /** PEM bundle of the trusted root CAs for operators' certificates (the national CA). */
    trustRootsFile: PathString.nullable(),
    /** PEM bundle of intermediate CAs, when keys do not carry their chain. */
    intermediatesFile: PathString.nullable(),
    /** No longer used: results are trusted per provider (resultProvidersFile); set alone, results stay unverified. */
    resultTrustRootsFile: PathString.nullable(),
    /** Each provider's own trust roots and expected result signer (host/result-providers.ts; docs/signing.md). */
    resultProvidersFile: PathString.nullable(),
    revocation: z.strictObject({
      /** "offline": judge by the CRL cache alone (a Centre without access to the CA). */
      mode: z.enum(['online', 'offline']),
      ocsp: z.boolean(),
      /** How long a cached CRL past its nextUpdate still counts when no fresh one can be had. */
      crlGraceHours: z.number().int().min(0).max(24 * 30),
      timeoutMs: z.number().int().min(500).max(60_000),
    }),
    ncalayer: z.strictObject({ url: z.url({ protocol: /^wss$/ }), certFile: PathString.nullable() }),
  }),
  auth: z.strictObject({
    /** Create a demo operator and administrator on an empty database (development and training only). */
    seedDemoAccounts: z.boolean(),
    idleTimeoutMinutes: z.number().int().min(1).max(24 * 60),
    maxFailedLogins: z.number().int().min(1).max(100),
  }),
  sync: z.strictObject({
    intervalSeconds: z.number().int().min(1).max(3600),
    /** Requests sent (uploaded, submitted, results downloaded) at once. */
    concurrency: z.number().int().min(1).max(16),
    /** The longest wait between attempts of one request (exponential backoff with jitter). */
    maxBackoffSeconds: z.number().int().min(5).max(24 * 3600),
    /**
     * The longest pause a server's Retry-After (429, 503 maintenance) imposes; beyond it the
     * engine probes the backend at its backoff pace and resumes the moment it answers.
     */
    maxPauseSeconds: z.number().int().min(1).max(24 * 3600),
  }),
  backup: z.strictObject({
    /** Back the database up when the newest backup is older than this (checked hourly). */
    intervalHours: z.number().int().min(1).max(24 * 30),
    /** How many backups to keep (the oldest beyond this are deleted). */
    keep: z.number().int().min(1).max(365),
    /** Where backups go (null: <dataDir>/backups). Another disk is better. */
    dir: PathString.nullable(),
  }),
  retention: z.strictObject({
    /** Days after a request ended (issued or cancelled) before `admin retention` purges its personal data and scans. */
    days: z.number().int().min(1).max(3650),
  }),
  browserHost: z.strictObject({
    /** 0: any free port. A fixed port that is taken falls back to a free one. */
    port: z.number().int().min(0).max(65535),
  }),
  log: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']),
    maxFileSizeMb: z.number().int().min(1).max(1024),
    maxFiles: z.number().int().min(1).max(100),
  }),
});
export type Config = z.infer<typeof ConfigSchema>;

/** Keys whose values are file-system paths: relative values are resolved against their file's folder. */
export const PATH_KEYS = new Set([
  'dataDir',
  'backend.caFile',
  'backend.clientCertFile',
  'backend.clientKeyFile',
  'backend.clientPkcs12File',
  'backend.clientKeyPasswordFile',
  'signing.keystoreFile',
  'signing.trustRootsFile',
  'signing.intermediatesFile',
  'signing.resultTrustRootsFile',
  'signing.resultProvidersFile',
  'signing.ncalayer.certFile',
  'backup.dir',
]);

/**
 * Security-relevant settings: only the machine-wide file may set them (a key here locks every key
 * under it). A per-user file never may; a QABYLDAU_* variable only in development.
 */
export const LOCKED_KEYS: readonly string[] = [
  'kiosk',
  'dataDir',
  'backend.url',
  'backend.caFile',
  'backend.clientCertFile',
  'backend.clientKeyFile',
  'backend.clientPkcs12File',
  'backend.clientKeyPasswordFile',
  'signing.trustRootsFile',
  'signing.intermediatesFile',
  'signing.resultTrustRootsFile',
  'signing.resultProvidersFile',
  'signing.revocation',
  'signing.ncalayer',
  'auth',
  'backup.dir',
  'retention',
];

export function isLockedKey(key: string): boolean {
  return LOCKED_KEYS.some((k) => key === k || key.startsWith(`${k}.`));
}
