/** P1: logging in and out, the current session, and an administrator closing a kiosk. */
import { AppError } from '../../contract/errors.js';
import type { DomainHandlers, HostServices } from './services.js';

export const authHandlers = ({ auth, audit, log, opts }: HostServices) =>
  ({
    'auth.login': async ({ login, password }) => {
      const o = await auth.login(login, password).catch((e: unknown) => {
        audit.append({ actor: 'unknown', action: 'auth.login_failed', data: { code: (e as { code?: string }).code ?? 'INTERNAL' }, personal: { login } });
        throw e;
      });
      audit.append({ actor: o.id, action: 'auth.login', data: { role: o.role } });
      return { operator: { id: o.id, login: o.login, fullName: o.fullName, role: o.role } };
    },
    'auth.logout': (_input, ctx) => {
      if (ctx.session) audit.append({ actor: ctx.session.operator.id, action: 'auth.logout', data: { reason: 'logout' } });
      auth.logout('logout');
      return { ok: true as const };
    },
    'auth.session': () => {
      const s = auth.current(false);
      return { operator: s ? { id: s.operator.id, login: s.operator.login, fullName: s.operator.fullName, role: s.operator.role } : null };
    },
    'admin.quit': async ({ login, password }) => {
      const o = await auth.authenticate(login, password);
      if (o.role !== 'admin') throw new AppError('FORBIDDEN');
      log.warn({ operatorId: o.id }, 'application closed by an administrator');
      setTimeout(() => opts.onQuit?.(), 50);
      return { ok: true as const };
    },
  }) satisfies DomainHandlers;
