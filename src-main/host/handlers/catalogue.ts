/** The service catalogue (P2). */
import type { DomainHandlers, HostServices } from './services.js';

export const catalogueHandlers = ({ catalog }: HostServices) =>
  ({
    'catalog.services': () => ({ services: [...catalog.services] }),
  }) satisfies DomainHandlers;
