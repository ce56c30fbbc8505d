/** The offline queue: its status, and "send now". */
import type { DomainHandlers, HostServices } from './services.js';

export const queueHandlers = ({ sync }: HostServices) =>
  ({
    'queue.status': () => sync.status(),
    'queue.syncNow': () => sync.sendNow(),
  }) satisfies DomainHandlers;
