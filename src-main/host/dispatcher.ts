/**
 * The one place a call from the renderer enters the main process, whatever the transport
 * (Electron IPC or the browser host's HTTP). For every call it:
 *   1. checks that the operation exists (UNKNOWN_OPERATION),
 *   2. checks access: public, any logged-in account, a supervisor, or an administrator
 *      (UNAUTHENTICATED / FORBIDDEN; a locked session or one that must change its password first
 *      gets AUTH_SESSION_LOCKED / AUTH_PASSWORD_CHANGE_REQUIRED),
 *   3. validates the input against the contract's strict schema (VALIDATION, with field paths only),
 *   4. runs the handler, validates its output, and
 *   5. turns any failure into a WireError: AppErrors keep their code, anything else is INTERNAL
 *      and logged with the call id (the renderer sees only the id).
 * Inputs are never logged: they can hold IINs, names and passwords.
 */
import { randomUUID } from 'node:crypto';
import type { OperationDef } from '../contract/define.js';
import { AppError, COMMON_ERROR_CODES, type WireError } from '../contract/errors.js';
import { operations, type OpName, type OpOutput, type OpParsedInput } from '../contract/operations.js';
import type { Envelope } from '../contract/wire.js';
import type { Session } from '../auth/auth-service.js';
import type { Logger } from './logger-types.js';

export interface CallContext {
  callId: string;
  session: Session | null;
  log: Logger;
}

export type Handlers = {
  [N in OpName]: (input: OpParsedInput<N>, ctx: CallContext) => Promise<OpOutput<N>> | OpOutput<N>;
};

export interface Dispatcher {
  invoke(op: unknown, input: unknown): Promise<Envelope>;
}

export function createDispatcher(
  handlers: Handlers,
  deps: { log: Logger; currentSession: () => Session | null },
): Dispatcher {
  return {
    async invoke(op, rawInput) {
      const callId = randomUUID().slice(0, 8);
      const started = performance.now();
      const log = deps.log.child({ callId });
      const done = (envelope: Envelope, name: string): Envelope => {
        const ms = Math.round(performance.now() - started);
        if (envelope.ok) log.debug({ op: name, ms }, 'call ok');
        else log.info({ op: name, ms, code: envelope.error.code }, 'call failed');
        return envelope;
      };
      if (typeof op !== 'string' || !Object.hasOwn(operations, op)) {
        return done(fail({ code: 'UNKNOWN_OPERATION', params: {}, retryable: false, callId }), 'unknown');
      }
      const name = op as OpName;
      const def = operations[name];
      // A call is not the operator's activity (screens refresh by themselves): only auth.activity is.
      const session = deps.currentSession();
      if (def.access !== 'public') {
        const refused = accessProblem(def, session);
        if (refused) return done(fail({ code: refused, params: {}, retryable: false, callId }), name);
      }
      const parsed = def.input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(input)'))];
        return done(fail({ code: ruleCode(parsed.error.issues) ?? 'VALIDATION', params: {}, retryable: false, fields, callId }), name);
      }
      try {
        const handler = handlers[name] as (input: unknown, ctx: CallContext) => Promise<unknown>;
        const value = await handler(parsed.data, { callId, session, log });
        const out = def.output.safeParse(value);
        if (!out.success) {
          log.error({ op: name, issues: out.error.issues.slice(0, 3).map((i) => i.path.join('.')) }, 'handler output does not match the contract');
          return done(fail({ code: 'INTERNAL', params: {}, retryable: false, callId }), name);
        }
        return done({ ok: true, value: out.data }, name);
      } catch (e) {
        // The contract declares what each operation may fail with; a code outside it is a bug
        // (the renderer has no sentence planned for it there): logged so it gets declared.
        if (e instanceof AppError && !declares(def.errors, e.code)) log.warn({ op: name, code: e.code }, 'error code not declared by the operation');
        return done(fail(toWireError(e, callId, log, name)), name);
      }
    },
  };
}

/**
 * A domain rule checked by the schema (an IIN/BIN rule, model.ts) names its own error code in the
 * issue's params: when every issue does, the operator is told that rule instead of VALIDATION.
 */
function ruleCode(issues: readonly { code: string; params?: Record<string, unknown> }[]): string | null {
  const codes = issues.map((i) => (i.code === 'custom' && typeof i.params?.appCode === 'string' ? i.params.appCode : null));
  return codes.length > 0 && codes.every((c) => c !== null) ? codes[0]! : null;
}

/**
 * Why a non-public call is refused, or null: no session; a locked session or one that must
 * change its password first (only `whileRestricted` operations pass); a role below the access.
 */
export function accessProblem(def: OperationDef, session: Session | null): string | null {
  if (!session) return 'UNAUTHENTICATED';
  if (session.locked && !def.whileRestricted) return 'AUTH_SESSION_LOCKED';
  if (session.mustChangePassword && !def.whileRestricted) return 'AUTH_PASSWORD_CHANGE_REQUIRED';
  const role = session.operator.role;
  if (def.access === 'admin' && role !== 'administrator') return 'FORBIDDEN';
  if (def.access === 'supervisor' && role !== 'supervisor' && role !== 'administrator') return 'FORBIDDEN';
  return null;
}

function declares(errors: readonly string[], code: string): boolean {
  return errors.includes(code) || (COMMON_ERROR_CODES as readonly string[]).includes(code);
}

function fail(error: WireError): Envelope {
  return { ok: false, error };
}

export function toWireError(e: unknown, callId: string, log: Logger, op: string): WireError {
  if (e instanceof AppError) {
    if (e.code === 'INTERNAL') log.error({ op, err: e }, 'internal error');
    return { code: e.code, params: e.params, retryable: e.retryable, callId };
  }
  log.error({ op, err: e }, 'unexpected error');
  return { code: 'INTERNAL', params: {}, retryable: false, callId };
}
