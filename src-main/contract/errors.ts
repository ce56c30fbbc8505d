/**
 * The one error type that crosses a process boundary.
 *
 * Every failure the operator can meet is an AppError with a stable `code`. The renderer turns the
 * code (and its params) into a sentence in the operator's language (src-renderer/i18n); nothing
 * else about an error is shown. `params` must never carry personal data or secrets: they are
 * logged as well as shown.
 */
export type ErrorParams = Record<string, string | number | boolean>;

export class AppError extends Error {
  /** Narrowed to an operation's declared codes by OpError<N> (contract/operations.ts). */
  readonly code: string;
  readonly params: ErrorParams;
  /** True when trying the same thing again later may succeed (network down, device busy). */
  readonly retryable: boolean;

  constructor(code: string, params: ErrorParams = {}, options: { cause?: unknown; retryable?: boolean; detail?: string } = {}) {
    super(options.detail ? `${code}: ${options.detail}` : code, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.params = params;
    this.retryable = options.retryable ?? false;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** The wire form of an error: what the renderer receives. */
export interface WireError {
  code: string;
  params: ErrorParams;
  retryable: boolean;
  /** Set for VALIDATION: which input fields were rejected (paths only, never the values). */
  fields?: string[];
  /** Correlates with the main-process log lines of this call (shown as a reference for support). */
  callId?: string;
}

/** Error codes any operation may return, besides its own. */
export const COMMON_ERROR_CODES = [
  'VALIDATION',
  'UNKNOWN_OPERATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INTERNAL',
] as const;
export type CommonErrorCode = (typeof COMMON_ERROR_CODES)[number];
