/**
 * P1: logging in and out, the session and its idle lock, changing one's own password, the first
 * administrator, and an administrator closing a kiosk. The rules (and their audit entries) are in
 * AuthService and AccountService.
 */
import { AppError } from '../../contract/errors.js';
import { sessionState, type DomainHandlers, type HostServices } from './services.js';

export const authHandlers = ({ auth, accounts, config, log, opts }: HostServices) =>
  ({
    'auth.login': async ({ login, password }) => {
      // P1's step event is written in the log-in's transaction (AuthHooks.onLoggedIn, host.ts).
      const s = await auth.login(login, password);
      const { operator } = sessionState(s);
      return { operator: operator!, mustChangePassword: s.mustChangePassword };
    },
    'auth.logout': () => {
      auth.logout('logout');
      return { ok: true as const };
    },
    'auth.session': () => sessionState(auth.current()),
    'auth.activity': () => sessionState(auth.activity()),
    'auth.lock': () => {
      auth.lock('operator');
      return { ok: true as const };
    },
    'auth.unlock': async ({ password }) => sessionState(await auth.unlock(password)),
    'auth.changePassword': async ({ current, next }) => sessionState(await auth.changePassword(current, next)),
    'auth.bootstrap': async ({ token, login, fullName, iin, password }) => ({
      account: await accounts.firstAdministrator(config.dataDir, token, { login, fullName, iin, password }),
    }),
    'admin.quit': async ({ login, password }) => {
      const o = await auth.authenticate(login, password);
      if (o.role !== 'administrator') throw new AppError('FORBIDDEN');
      log.warn({ operatorId: o.id }, 'application closed by an administrator');
      setTimeout(() => opts.onQuit?.(), 50);
      return { ok: true as const };
    },
  }) satisfies DomainHandlers;
