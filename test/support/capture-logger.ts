/** A Logger that keeps every line, so tests can check what was (and was not) logged. */
import type { Logger } from '../../src-main/host/logger-types.js';

export function captureLogger(lines: string[] = [], bindings: Record<string, unknown> = {}): Logger & { lines: string[] } {
  const log = (level: string) => (a: unknown, b?: string) => {
    lines.push(JSON.stringify({ level, ...bindings, ...(typeof a === 'object' && a !== null ? a : { msg: a }), ...(b ? { msg: b } : {}) }));
  };
  return {
    lines,
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    fatal: log('fatal'),
    child: (more) => captureLogger(lines, { ...bindings, ...more }),
  };
}
