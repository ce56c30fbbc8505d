/** The workstation settings an operator sees, and the signing provider an administrator chooses. */
import { appVersion } from '../paths.js';
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const settingsHandlers = ({ config, opts, signing, scanning }: HostServices) =>
  ({
    'settings.get': async () => {
      const s = await (await scanning()).status();
      return {
        signing: signing.view(),
        scanner: { available: s.sane === 'available', reason: s.sane === 'available' ? null : (s.reason ?? 'no_sane') },
        version: appVersion(),
        workstationId: config.workstationId,
        configSources: opts.configSources ?? ['defaults'],
      };
    },
    'settings.setSigningProvider': ({ provider }, ctx) => {
      signing.setProvider(provider);
      ctx.log.info({ provider }, 'signing provider changed by an administrator');
      return { ok: true as const };
    },
    'settings.ncalayerCertificate': () => signing.ncalayerCertificate(),
    'settings.trustNcalayerCertificate': async ({ sha256 }, ctx) => {
      const admin = operatorOf(ctx);
      await signing.ncalayer.trust(sha256, { id: admin.id, login: admin.login });
      ctx.log.info({ sha256 }, "NCALayer's certificate accepted by an administrator");
      return { ok: true as const };
    },
  }) satisfies DomainHandlers;
