/**
 * Structured logs (JSON lines, pino) in <dataDir>/logs, rotated by size, the oldest removed.
 *
 * Personal data and secrets are kept out twice over:
 * - known sensitive keys are redacted wherever they appear (passwords, IINs/BINs, names, payloads);
 * - every string that reaches a log line is scrubbed of 12-digit runs (an IIN or BIN typed into a
 *   free-text field, an error message that quoted one) and of PEM blocks.
 * Code should still log ids, not people: these are nets, not permission.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import pinoRoll from 'pino-roll';
import type { Logger } from './logger-types.js';

export const REDACTED_KEYS = [
  'password',
  'passphrase',
  'pin',
  'iin',
  'bin',
  'number',
  'applicantNumber',
  'name',
  'fullName',
  'manualName',
  'head',
  'address',
  'birthDate',
  'dataBase64',
  'privateKey',
  'pkcs12',
  'keystore',
  'token',
  'authorization',
  'cookie',
];

const IDN_RUN = /(?<!\d)\d{12}(?!\d)/g;
const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g;

export function scrubString(s: string): string {
  return s.replace(PEM_BLOCK, '[pem]').replace(IDN_RUN, '[idn]');
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = REDACTED_KEYS.includes(k) ? '[redacted]' : scrub(v, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  dataDir: string;
  level: string;
  maxFileSizeMb: number;
  maxFiles: number;
  /** Also write to stderr (development). */
  toStderr?: boolean;
}

export interface HostLogger {
  logger: Logger;
  file: string;
  close: () => Promise<void>;
}

export async function createLogger(opts: LoggerOptions): Promise<HostLogger> {
  const dir = join(opts.dataDir, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fileBase = join(dir, 'qabyldau');
  const rolling = await pinoRoll({
    file: fileBase,
    size: `${opts.maxFileSizeMb}m`,
    limit: { count: opts.maxFiles },
    mkdir: true,
    extension: '.log',
    symlink: false,
  });
  const streams: pino.StreamEntry[] = [{ stream: rolling, level: opts.level as pino.Level }];
  if (opts.toStderr) streams.push({ stream: process.stderr, level: opts.level as pino.Level });
  const logger = pino(
    {
      level: opts.level,
      base: { app: 'qabyldau', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => scrub(obj) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubString(a) : a)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
      serializers: {
        err: (e: unknown) => {
          const s = pino.stdSerializers.err(e as Error);
          return scrub({ type: s.type, message: s.message, code: (s as { code?: unknown }).code, stack: s.stack });
        },
      },
    },
    pino.multistream(streams),
  );
  return {
    logger: logger as unknown as Logger,
    file: fileBase,
    close: () =>
      new Promise<void>((done) => {
        logger.flush(() => {
          rolling.end();
          rolling.once('close', () => done());
          setTimeout(done, 500).unref();
        });
      }),
  };
}
