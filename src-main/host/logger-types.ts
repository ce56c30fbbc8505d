/**
 * The logging interface every service receives from the host. It is pino's call shape
 * (`log.info({ requestId }, 'message')`), so the host passes a pino child logger.
 *
 * Rules (enforced by redaction in the host and by test/unit/host/logging.test.ts):
 * - never log IINs/BINs, names, addresses, passwords, PINs, key material or document contents;
 * - identify things by internal ids (request id, page id, sha256 prefixes), not by personal data.
 */
export interface LogFn {
  (obj: Record<string, unknown>, msg?: string): void;
  (msg: string): void;
}

export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

/** A logger that drops everything: for tests and tools that have nowhere to log. */
export const silentLogger: Logger = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  fatal: () => {},
  child: () => silentLogger,
};
