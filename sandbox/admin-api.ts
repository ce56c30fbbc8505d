/**
 * The sandbox's admin API (plain HTTP on 127.0.0.1, a bearer token): statistics, fault
 * injection, maintenance windows, the decision delay, forced outcomes and decisions. The
 * workstation's credentials do not reach it.
 */
import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { Backend } from './backend.js';
import type { FaultConfig, FaultInjector } from './faults.js';
import { errorAnswer, HttpError, parseJsonObject, readBody, send, serialise, type Answer } from './http-util.js';

export function adminApi(backend: Backend, faults: FaultInjector, adminToken: string, log: (msg: string) => void): http.RequestListener {
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const reply = (a: Answer) => send(res, serialise(a, {}));
    const given = Buffer.from(String(req.headers.authorization ?? ''));
    const want = Buffer.from(`Bearer ${adminToken}`);
    if (given.byteLength !== want.byteLength || !timingSafeEqual(given, want)) {
      req.resume();
      return reply(errorAnswer(new HttpError(401, 'ADMIN_TOKEN_REQUIRED')));
    }
    const path = new URL(req.url ?? '/', 'http://admin.invalid').pathname;
    const body = async () => parseJsonObject(await readBody(req, 1024 * 1024));
    try {
      let m: RegExpMatchArray | null;
      if (req.method === 'GET' && path === '/admin/stats') return reply({ status: 200, json: { ...backend.stats(), faultsInjected: faults.injected } });
      if (req.method === 'GET' && path === '/admin/submissions') return reply({ status: 200, json: { items: backend.submissions() } });
      if (req.method === 'GET' && path === '/admin/faults') return reply({ status: 200, json: faults.config() });
      if (req.method === 'PUT' && path === '/admin/faults') {
        try {
          faults.configure((await body()) as unknown as FaultConfig);
        } catch (e) {
          if (e instanceof HttpError) throw e;
          throw new HttpError(400, 'BAD_REQUEST', false, { field: e instanceof Error ? e.message : 'rules' });
        }
        return reply({ status: 200, json: faults.config() });
      }
      if (req.method === 'DELETE' && path === '/admin/faults') {
        faults.configure({ rules: [] });
        faults.maintenance(0);
        return reply({ status: 200, json: faults.config() });
      }
      if (req.method === 'POST' && path === '/admin/maintenance') {
        const seconds = Number((await body()).seconds);
        if (!Number.isFinite(seconds) || seconds < 0) throw new HttpError(400, 'BAD_REQUEST', false, { field: 'seconds' });
        faults.maintenance(seconds);
        return reply({ status: 200, json: faults.config() });
      }
      if (req.method === 'PUT' && path === '/admin/decision') {
        const delayMs = Number((await body()).delayMs);
        if (!Number.isInteger(delayMs) || delayMs < 0) throw new HttpError(400, 'BAD_REQUEST', false, { field: 'delayMs' });
        backend.o.decisionDelayMs = delayMs;
        return reply({ status: 200, json: { delayMs } });
      }
      if ((m = /^\/admin\/outcomes\/(\d{12})$/.exec(path))) {
        if (req.method === 'DELETE') backend.setOutcome(m[1]!, null);
        else if (req.method === 'PUT') {
          const b = await body();
          if (b.outcome !== 'approve' && b.outcome !== 'refuse') throw new HttpError(400, 'BAD_REQUEST', false, { field: 'outcome' });
          backend.setOutcome(m[1]!, b.outcome, Array.isArray(b.reasons) ? b.reasons.map(String) : undefined);
        } else throw new HttpError(404, 'NO_SUCH_ENDPOINT');
        return reply({ status: 200, json: { ok: true } });
      }
      if (req.method === 'POST' && (m = /^\/admin\/submissions\/([A-Z0-9-]{1,64})\/decide$/.exec(path))) {
        const b = await body();
        if (b.outcome !== 'approve' && b.outcome !== 'refuse') throw new HttpError(400, 'BAD_REQUEST', false, { field: 'outcome' });
        return reply(await backend.decide(m[1]!, { outcome: b.outcome, ...(Array.isArray(b.reasons) ? { reasons: b.reasons.map(String) } : {}) }));
      }
      req.resume();
      return reply(errorAnswer(new HttpError(404, 'NO_SUCH_ENDPOINT')));
    } catch (e) {
      if (e instanceof HttpError) return reply(errorAnswer(e));
      throw e;
    }
  };
  return (req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`admin error: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) send(res, serialise(errorAnswer(new HttpError(500, 'INTERNAL', true)), {}));
    });
  };
}
