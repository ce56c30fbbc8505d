/** The service catalogue (P2): each service with its act and whether the act is in force today. */
import { kazakhstanToday } from '../../contract/idn.js';
import type { DomainHandlers, HostServices } from './services.js';

export const catalogueHandlers = ({ catalog, now }: HostServices) =>
  ({
    'catalog.services': () => ({ services: catalog.offered(kazakhstanToday(now())), training: catalog.training }),
  }) satisfies DomainHandlers;
