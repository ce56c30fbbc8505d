/**
 * The scanner worker and the image libraries start in the background, a moment after the host is
 * up (loading them blocks the event loop for a while: the first page is served before), or at
 * once when something asks for them; the operator logs in meanwhile. Closing cancels a start that
 * has not begun and closes one under way.
 */
import { AppError } from '../contract/errors.js';
import type { Logger } from './logger-types.js';
import type { Scanning } from './scanning.js';

/** How long after start the scanner worker and image libraries load when nothing asked for them. */
const SCANNING_START_DELAY_MS = 1500;

export function lazyScanning(load: () => Promise<Scanning>, log: Logger): { get: () => Promise<Scanning>; close: () => Promise<void> } {
  let loaded: Promise<Scanning> | null = null;
  let closing = false;
  const get = (): Promise<Scanning> => {
    if (closing) return Promise.reject(new AppError('INTERNAL', {}, { detail: 'the host is closing' }));
    return (loaded ??= load());
  };
  const timer = setTimeout(() => void get().catch((e: unknown) => log.error({ err: e }, 'scanning could not be set up')), SCANNING_START_DELAY_MS);
  timer.unref();
  return {
    get,
    async close() {
      // No scanner worker may start once closing has begun; one starting now is awaited and closed.
      closing = true;
      clearTimeout(timer);
      await (await loaded?.catch(() => null))?.close();
    },
  };
}
