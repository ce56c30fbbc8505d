/** What this workstation is (public, before login). */
import { appVersion } from '../paths.js';
import type { DomainHandlers, HostServices } from './services.js';

export const appHandlers = ({ config, opts, accounts }: HostServices) =>
  ({
    'app.info': () => ({
      version: appVersion(),
      shell: opts.shell,
      defaultLanguage: config.language,
      kiosk: config.kiosk,
      workstationId: config.workstationId,
      centre: { code: config.centre.code, bin: config.centre.bin, name: config.centre.name },
      firstRun: accounts.needsFirstAdministrator(),
    }),
  }) satisfies DomainHandlers;
