/**
 * Layered configuration. Each layer overrides the one before:
 *   1. built-in defaults (config-defaults.ts; the schema is config-schema.ts),
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
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { type Config, ConfigSchema, PATH_KEYS, isLockedKey } from './config-schema.js';
import { type ConfigPaths, type Env, configPaths, defaultConfig } from './config-defaults.js';
import { runMode, type RunMode } from './paths.js';

export type { RunMode };
export { type Config, ConfigSchema, LOCKED_KEYS, isLockedKey } from './config-schema.js';
export { type ConfigPaths, configPaths, defaultConfig } from './config-defaults.js';

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

/** QABYLDAU_* variables that are not configuration keys. */
const RESERVED_ENV = new Set(['QABYLDAU_MACHINE_CONFIG', 'QABYLDAU_USER_CONFIG']);

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
