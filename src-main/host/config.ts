/**
 * Layered configuration. Each layer overrides the one before:
 *   1. built-in defaults (this file),
 *   2. the machine-wide file (Windows %ProgramData%\Qabyldau\config.json, Linux /etc/qabyldau/config.json),
 *   3. the per-user file (Windows %APPDATA%\Qabyldau\config.json, Linux $XDG_CONFIG_HOME/qabyldau/config.json),
 *   4. environment variables QABYLDAU_<KEY>, nested keys joined by "__" (QABYLDAU_BACKEND__URL).
 *
 * A bad value stops the start with a ConfigError that names the file (or variable) and the key.
 * Relative paths inside a file are resolved against that file's folder.
 *
 * Locked settings (LOCKED_KEYS: kiosk, the backend and its TLS, trust roots, revocation, auth, the
 * data and backup folders, retention) come from the machine-wide file only, which only the
 * machine's administrators can write. A per-user file that sets one is refused at start, naming
 * the file and the key (refused rather than ignored: an override someone believes is in force
 * would otherwise sit there silently, and the IT administrator sees the refusal at once); so is a
 * QABYLDAU_* variable outside development. In production `backend.url` must be https:, demo
 * accounts cannot be turned on, and QABYLDAU_MACHINE_CONFIG is not honoured. Keys are checked as
 * own properties only ("__proto__", "constructor" are unknown keys).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { isValidIdn } from '../contract/idn.js';
import { Language, LocalizedText } from '../contract/model.js';
import { runMode, type RunMode } from './paths.js';

export type { RunMode };

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
    /** Trust roots for provider-signed results (default: trustRootsFile). */
    resultTrustRootsFile: PathString.nullable(),
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

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly key: string,
    readonly reason: string,
  ) {
    super(`Configuration error in ${source}${key ? `: key "${key}"` : ''}: ${reason}`);
    this.name = 'ConfigError';
  }
}

export interface ConfigPaths {
  machine: string;
  user: string;
}

type Env = Record<string, string | undefined>;

/** Where the configuration files are on this platform (overridable for tests and packaging). */
export function configPaths(env: Env = process.env, platform: NodeJS.Platform = process.platform): ConfigPaths {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (platform === 'win32') {
    const programData = env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData';
    const appData = env.APPDATA ?? join(home, 'AppData', 'Roaming');
    return {
      machine: env.QABYLDAU_MACHINE_CONFIG ?? join(programData, 'Qabyldau', 'config.json'),
      user: env.QABYLDAU_USER_CONFIG ?? join(appData, 'Qabyldau', 'config.json'),
    };
  }
  const xdgConfig = env.XDG_CONFIG_HOME ?? join(home, '.config');
  return {
    machine: env.QABYLDAU_MACHINE_CONFIG ?? '/etc/qabyldau/config.json',
    user: env.QABYLDAU_USER_CONFIG ?? join(xdgConfig, 'qabyldau', 'config.json'),
  };
}

export function defaultConfig(env: Env = process.env, platform: NodeJS.Platform = process.platform): Config {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const dataDir =
    platform === 'win32'
      ? join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Qabyldau', 'data')
      : join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'qabyldau');
  return {
    dataDir,
    language: 'kk',
    kiosk: false,
    workstationId: 'W01',
    centre: {
      code: 'ALM-01',
      bin: '040340001233',
      name: {
        kk: 'ХҚКО Алматы қ. Алмалы ауданы бөлімі',
        ru: 'ЦОН Алмалинского района г. Алматы',
        en: 'Public Service Centre, Almaly district, Almaty',
      },
      address: {
        kk: 'Алматы қ., Әйтеке би к-сі, 100',
        ru: 'г. Алматы, ул. Айтеке би, 100',
        en: '100 Aiteke Bi St, Almaty',
      },
    },
    backend: {
      url: 'https://127.0.0.1:8787',
      caFile: null,
      timeoutMs: 15_000,
      clientCertFile: null,
      clientKeyFile: null,
      clientPkcs12File: null,
      clientKeyPasswordFile: null,
      uploadChunkKiB: 1024,
    },
    scanner: { mode: 'auto', device: null, skipBlankPages: true, escl: { scanners: [], discovery: true, timeoutMs: 30_000, pinned: [] } },
    signing: {
      provider: 'pkcs12',
      keystoreFile: null,
      trustRootsFile: null,
      intermediatesFile: null,
      resultTrustRootsFile: null,
      revocation: { mode: 'online', ocsp: true, crlGraceHours: 24, timeoutMs: 5000 },
      ncalayer: { url: 'wss://127.0.0.1:13579', certFile: null },
    },
    auth: { seedDemoAccounts: false, idleTimeoutMinutes: 30, maxFailedLogins: 5 },
    sync: { intervalSeconds: 10, concurrency: 2, maxBackoffSeconds: 300, maxPauseSeconds: 60 },
    backup: { intervalHours: 24, keep: 7, dir: null },
    retention: { days: 365 },
    browserHost: { port: 0 },
    log: { level: 'info', maxFileSizeMb: 10, maxFiles: 10 },
  };
}

/** Keys whose values are file-system paths: relative values are resolved against their file's folder. */
const PATH_KEYS = new Set([
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
  'signing.ncalayer.certFile',
  'backup.dir',
]);
/** QABYLDAU_* variables that are not configuration keys. */
const RESERVED_ENV = new Set(['QABYLDAU_MACHINE_CONFIG', 'QABYLDAU_USER_CONFIG']);

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
  'signing.revocation',
  'signing.ncalayer',
  'auth',
  'backup.dir',
  'retention',
];

export function isLockedKey(key: string): boolean {
  return LOCKED_KEYS.some((k) => key === k || key.startsWith(`${k}.`));
}

export interface LoadedConfig {
  config: Config;
  /** For each key that a layer set, where it came from (for the settings screen and support). */
  provenance: Record<string, string>;
  sources: string[];
  mode: RunMode;
}

export interface LoadConfigOptions {
  env?: Env;
  platform?: NodeJS.Platform;
  overrides?: Partial<Record<string, unknown>>;
  /** 'development': a source checkout (npm start, tests); 'production': an installed app. Default: detected. */
  mode?: RunMode;
  /** Where the files are, instead of this platform's places (tests). */
  paths?: ConfigPaths;
}

export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const mode = options.mode ?? runMode();
  if (mode === 'production' && env.QABYLDAU_MACHINE_CONFIG !== undefined) {
    throw new ConfigError('environment variable QABYLDAU_MACHINE_CONFIG', '', 'is honoured in development only: the machine-wide file has a fixed place');
  }
  const merged = defaultConfig(env, platform) as unknown as Record<string, unknown>;
  const provenance: Record<string, string> = {};
  const sources = ['defaults'];
  const paths = options.paths ?? configPaths(env, platform);

  for (const [file, layerKind] of [[paths.machine, 'machine'], [paths.user, 'user']] as const) {
    if (!existsSync(file)) continue;
    const layer = readJsonFile(file);
    checkKeys(layer, ConfigSchema, '', file, layerKind === 'user' ? paths.machine : null);
    mergeLayer(merged, layer, '', file, provenance, dirname(file));
    sources.push(file);
  }

  const envLayer = envToLayer(env);
  for (const { key, value, name } of envLayer) {
    if (mode === 'production' && isLockedKey(key)) {
      throw new ConfigError(`environment variable ${name}`, key, `is a locked setting: only the machine-wide file (${paths.machine}) may set it`);
    }
    setPath(merged, key, PATH_KEYS.has(key) && typeof value === 'string' ? resolve(value) : value);
    provenance[key] = `environment variable ${name}`;
  }
  if (envLayer.length) sources.push('environment');

  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    setPath(merged, key, value);
    provenance[key] = 'command line';
  }

  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.');
    throw new ConfigError(sourceOf(key, provenance), key, issue.message);
  }
  if (!isAbsolute(parsed.data.dataDir)) {
    throw new ConfigError(sourceOf('dataDir', provenance), 'dataDir', 'must be an absolute path');
  }
  if (mode === 'production' && new URL(parsed.data.backend.url).protocol !== 'https:') {
    throw new ConfigError(sourceOf('backend.url', provenance), 'backend.url', 'must be an https: URL (plain http: is allowed in development only)');
  }
  if (mode === 'production' && parsed.data.auth.seedDemoAccounts) {
    throw new ConfigError(sourceOf('auth.seedDemoAccounts', provenance), 'auth.seedDemoAccounts', 'demo accounts exist in development and tests only');
  }
  return { config: parsed.data, provenance, sources, mode };
}

function sourceOf(key: string, provenance: Record<string, string>): string {
  for (let k = key; k; k = k.includes('.') ? k.slice(0, k.lastIndexOf('.')) : '') {
    const source = provenance[k];
    if (source) return source;
  }
  return 'built-in defaults';
}

function readJsonFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, '', `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(file, '', `is not valid JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(file, '', 'must contain a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * Rejects keys the schema does not know (own properties of the schema's shape only, so
 * "__proto__" or "constructor" are unknown), and, in a per-user file (`machineFile` set), locked
 * keys; naming the file and the full key.
 */
function checkKeys(layer: Record<string, unknown>, schema: z.ZodType, prefix: string, source: string, machineFile: string | null): void {
  const shape = objectShape(schema);
  if (!shape) return;
  for (const k of Object.keys(layer)) {
    const v = layer[k];
    const key = prefix ? `${prefix}.${k}` : k;
    if (!Object.hasOwn(shape, k)) throw new ConfigError(source, key, 'unknown key');
    if (machineFile !== null && isLockedKey(key)) {
      throw new ConfigError(source, key, `is a locked setting: only the machine-wide file (${machineFile}) may set it`);
    }
    const child = shape[k]!;
    if (v && typeof v === 'object' && !Array.isArray(v) && objectShape(child)) {
      checkKeys(v as Record<string, unknown>, child, key, source, machineFile);
    }
  }
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | null {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodNullable || s instanceof z.ZodOptional || s instanceof z.ZodDefault) {
    s = s.unwrap() as z.ZodType;
  }
  return s instanceof z.ZodObject ? s.shape : null;
}

function mergeLayer(
  target: Record<string, unknown>,
  layer: Record<string, unknown>,
  prefix: string,
  source: string,
  provenance: Record<string, string>,
  baseDir: string,
): void {
  for (const [k, v] of Object.entries(layer)) {
    const key = prefix ? `${prefix}.${k}` : k;
    const existing = Object.hasOwn(target, k) ? target[k] : undefined;
    if (v && typeof v === 'object' && !Array.isArray(v) && existing && typeof existing === 'object' && !Array.isArray(existing)) {
      mergeLayer(existing as Record<string, unknown>, v as Record<string, unknown>, key, source, provenance, baseDir);
    } else {
      target[k] = PATH_KEYS.has(key) && typeof v === 'string' ? resolve(baseDir, v) : v;
      provenance[key] = source;
    }
  }
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) {
    if (!Object.hasOwn(node, p) || typeof node[p] !== 'object' || node[p] === null) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

/** Every leaf key of the schema with its environment variable name. */
export function envVariableNames(): Map<string, { key: string; schema: z.ZodType }> {
  const out = new Map<string, { key: string; schema: z.ZodType }>();
  const walk = (schema: z.ZodType, prefix: string[]) => {
    const shape = objectShape(schema);
    if (!shape) {
      const name = 'QABYLDAU_' + prefix.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__');
      out.set(name, { key: prefix.join('.'), schema });
      return;
    }
    for (const [k, child] of Object.entries(shape)) walk(child, [...prefix, k]);
  };
  walk(ConfigSchema, []);
  return out;
}

function envToLayer(env: Env): { key: string; value: unknown; name: string }[] {
  const known = envVariableNames();
  const out: { key: string; value: unknown; name: string }[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('QABYLDAU_') || RESERVED_ENV.has(name) || raw === undefined) continue;
    const entry = known.get(name);
    if (!entry) throw new ConfigError(`environment variable ${name}`, name, 'unknown configuration variable');
    out.push({ key: entry.key, value: coerceEnv(raw, entry.schema, name, entry.key), name });
  }
  return out;
}

function coerceEnv(raw: string, schema: z.ZodType, name: string, key: string): unknown {
  let s: z.ZodType = schema;
  let nullable = false;
  while (s instanceof z.ZodNullable || s instanceof z.ZodOptional || s instanceof z.ZodDefault) {
    if (s instanceof z.ZodNullable) nullable = true;
    s = s.unwrap() as z.ZodType;
  }
  if (nullable && (raw === '' || raw === 'null')) return null;
  if (s instanceof z.ZodBoolean) {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new ConfigError(`environment variable ${name}`, key, `expected true or false, got "${raw}"`);
  }
  if (s instanceof z.ZodNumber) {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) {
      throw new ConfigError(`environment variable ${name}`, key, `expected a number, got "${raw}"`);
    }
    return n;
  }
  return raw;
}
