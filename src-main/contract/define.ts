/**
 * How an operation and an event are declared. Everything else (the preload bridge, the IPC
 * handlers, the browser host's endpoints, the renderer's client) is derived from these
 * declarations, so an operation exists in exactly one place.
 */
import type { z } from 'zod';
import type { CommonErrorCode } from './errors.js';

/** Who may call: anyone (before login), a logged-in operator, or an administrator. */
export type Access = 'public' | 'operator' | 'admin';

export interface OperationDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, E extends string = string> {
  readonly access: Access;
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
