/**
 * How an operation and an event are declared. Everything else (the preload bridge, the IPC
 * handlers, the browser host's endpoints, the renderer's client) is derived from these
 * declarations, so an operation exists in exactly one place.
 */
import type { z } from 'zod';
import type { CommonErrorCode } from './errors.js';

/**
 * Who may call: anyone (before login), any logged-in account ('operator'), a supervisor or an
 * administrator ('supervisor'), or an administrator ('admin').
 */
export type Access = 'public' | 'operator' | 'supervisor' | 'admin';

export interface OperationDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, E extends string = string> {
  readonly access: Access;
  /**
   * Callable while the session is locked or must change its password first (log-out, changing
   * the password); every other non-public operation is refused then.
   */
  readonly whileRestricted?: boolean;
  readonly input: I;
  readonly output: O;
  /** The typed errors this operation may return besides the common ones. */
  readonly errors: readonly E[];
  readonly summary: string;
}

export function operation<I extends z.ZodType, O extends z.ZodType, const E extends string = never>(
  def: Omit<OperationDef<I, O, E>, 'errors'> & { errors?: readonly E[] },
): OperationDef<I, O, E> {
  return { ...def, errors: def.errors ?? [] };
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly summary: string;
}

export function event<P extends z.ZodType>(def: EventDef<P>): EventDef<P> {
  return def;
}

export type ErrorCodeOf<D> = D extends OperationDef<z.ZodType, z.ZodType, infer E> ? E | CommonErrorCode : never;
