/** The code (and params) of the AppError a call throws or a promise rejects with. */
import { isAppError } from '../../src-main/contract/errors.js';

export interface ThrownAppError {
  code: string;
  params: Record<string, unknown>;
}

function asAppError(e: unknown): ThrownAppError {
  if (isAppError(e)) return { code: e.code, params: e.params };
  throw e;
}

export function thrownBy(fn: () => unknown): ThrownAppError {
  try {
    fn();
  } catch (e) {
    return asAppError(e);
  }
  throw new Error('expected an AppError');
}

export async function rejectionOf(p: Promise<unknown>): Promise<ThrownAppError> {
  try {
    await p;
  } catch (e) {
    return asAppError(e);
  }
  throw new Error('expected an AppError');
}
