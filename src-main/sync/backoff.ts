/**
 * How long the sync engine waits before trying again, and how it sorts failures.
 *
 * Backoff is exponential with FULL jitter (a uniform draw between 0 and the exponential cap), so
 * many workstations that lost the backend at the same moment do not come back in step; the
 * server's Retry-After (429, 503 maintenance, in seconds) is a floor that jitter never undercuts.
 */
import { AppError } from '../contract/errors.js';
import { gatewayErrorScope, type GatewayErrorScope } from '../gateway/gateway-client.js';

export interface BackoffPolicy {
  /** The first cap (attempt 0), in seconds. */
  baseSeconds: number;
  /** The cap never grows beyond this, in seconds. */
  maxSeconds: number;
}

/**
 * Seconds to wait after the `attempts`-th failure (0 = the first): uniform in
 * [0, min(max, base·2^attempts)], and never less than `retryAfterSeconds`.
 */
export function backoffSeconds(policy: BackoffPolicy, attempts: number, retryAfterSeconds = 0, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** Math.min(Math.max(attempts, 0), 30));
  return Math.max(retryAfterSeconds, random() * cap);
}

export interface Failure {
  /** The typed code recorded and shown (INTERNAL for a failure that is not an AppError). */
  code: string;
  scope: GatewayErrorScope;
  /** The server's Retry-After, for 429 and 503 maintenance (0 otherwise). */
  retryAfterSeconds: number;
  /** The backend could not be reached at all: the workstation is offline. */
  offline: boolean;
}


/**
 * Sorts a failure for the engine. Beyond the gateway's own table (gatewayErrorScope): a failure of
 * this workstation's storage (disk full, read-only, locked) stops the round like a certificate
 * problem does, since no request is at fault; a page file that is gone belongs to its request.
 */
export function classify(e: unknown): Failure {
  if (!(e instanceof AppError)) return { code: 'INTERNAL', scope: 'transient', retryAfterSeconds: 0, offline: false };
  let scope = gatewayErrorScope(e);
  if (e.code.startsWith('STORAGE_') && e.code !== 'STORAGE_FILE_MISSING') scope = e.retryable ? 'transient' : 'workstation';
  // The registry look-up wraps the gateway's retryable failures: the cause says why.
  const inner = e.code === 'REGISTRY_UNAVAILABLE' && e.cause instanceof AppError ? e.cause : e;
  const retryAfterSeconds = inner.code === 'GATEWAY_RATE_LIMITED' || inner.code === 'GATEWAY_MAINTENANCE' ? Math.max(0, Number(inner.params.seconds ?? 0) || 0) : 0;
  return { code: e.code, scope, retryAfterSeconds, offline: inner.code === 'GATEWAY_UNREACHABLE' };
}
