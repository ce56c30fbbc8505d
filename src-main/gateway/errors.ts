/**
 * The gateway's errors: every code the client throws with whether it is retryable and how the
 * sync engine treats it (its scope), the server's codes mapped to ours, and GatewayError, which
 * keeps what the server answered.
 */
import { AppError, type ErrorParams } from '../contract/errors.js';

/**
 * How the sync engine treats an error: `transient` (retry later with backoff), `request` (this
 * request cannot succeed as it is: needs attention), `workstation` (the workstation's
 * configuration or credentials are wrong: stop sending anything and tell the administrator;
 * no request is at fault).
 */
export type GatewayErrorScope = 'transient' | 'request' | 'workstation';

export const GATEWAY_ERRORS = {
  GATEWAY_UNREACHABLE: { retryable: true, scope: 'transient' },
  GATEWAY_TIMEOUT: { retryable: true, scope: 'transient' },
  GATEWAY_CONNECTION_LOST: { retryable: true, scope: 'transient' },
  GATEWAY_BAD_RESPONSE: { retryable: true, scope: 'transient' },
  GATEWAY_RESPONSE_TOO_LARGE: { retryable: true, scope: 'transient' },
  GATEWAY_RATE_LIMITED: { retryable: true, scope: 'transient' },
  GATEWAY_MAINTENANCE: { retryable: true, scope: 'transient' },
  GATEWAY_SERVER_ERROR: { retryable: true, scope: 'transient' },
  GATEWAY_UPLOAD_UNKNOWN: { retryable: true, scope: 'transient' },
  GATEWAY_UPLOAD_INCOMPLETE: { retryable: true, scope: 'transient' },
  GATEWAY_CHUNK_HASH_MISMATCH: { retryable: true, scope: 'transient' },
  GATEWAY_DOCUMENT_HASH_MISMATCH: { retryable: true, scope: 'transient' },
  GATEWAY_DOCUMENT_MISSING: { retryable: true, scope: 'transient' },
  GATEWAY_RESULT_NOT_READY: { retryable: true, scope: 'transient' },
  GATEWAY_RESULT_HASH_MISMATCH: { retryable: true, scope: 'transient' },
  GATEWAY_TLS: { retryable: false, scope: 'workstation' },
  GATEWAY_CLIENT_CERT_REFUSED: { retryable: false, scope: 'workstation' },
  GATEWAY_CLIENT_CERT_INVALID: { retryable: false, scope: 'workstation' },
  GATEWAY_WORKSTATION_NOT_AUTHORISED: { retryable: false, scope: 'workstation' },
  GATEWAY_PROTOCOL_UNSUPPORTED: { retryable: false, scope: 'workstation' },
  GATEWAY_BAD_REQUEST: { retryable: false, scope: 'request' },
  GATEWAY_DOCUMENT_TOO_LARGE: { retryable: false, scope: 'request' },
  GATEWAY_UPLOAD_CONFLICT: { retryable: false, scope: 'request' },
  GATEWAY_CHUNK_REJECTED: { retryable: false, scope: 'request' },
  GATEWAY_LOCAL_DOCUMENT_CORRUPT: { retryable: false, scope: 'request' },
  GATEWAY_IDEMPOTENCY_CONFLICT: { retryable: false, scope: 'request' },
  GATEWAY_MANIFEST_INVALID: { retryable: false, scope: 'request' },
  GATEWAY_MANIFEST_MISMATCH: { retryable: false, scope: 'request' },
  GATEWAY_SIGNATURE_INVALID: { retryable: false, scope: 'request' },
  GATEWAY_SIGNER_UNTRUSTED: { retryable: false, scope: 'request' },
  GATEWAY_SIGNER_CERT_INVALID: { retryable: false, scope: 'request' },
  GATEWAY_SIGNER_IIN_MISMATCH: { retryable: false, scope: 'request' },
  GATEWAY_SIGNER_BIN_MISMATCH: { retryable: false, scope: 'request' },
  GATEWAY_UNKNOWN_SUBMISSION: { retryable: false, scope: 'request' },
  GATEWAY_NO_RESULT: { retryable: false, scope: 'request' },
  GATEWAY_NOT_ISSUABLE: { retryable: false, scope: 'request' },
  GATEWAY_REJECTED: { retryable: false, scope: 'request' },
} as const satisfies Record<string, { retryable: boolean; scope: GatewayErrorScope }>;
export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;

/** The server's error code → the client's. Codes not listed become GATEWAY_REJECTED / GATEWAY_SERVER_ERROR. */
export const SERVER_CODES: Record<string, GatewayErrorCode> = {
  BAD_REQUEST: 'GATEWAY_BAD_REQUEST',
  PROTOCOL_UNSUPPORTED: 'GATEWAY_PROTOCOL_UNSUPPORTED',
  NO_SUCH_ENDPOINT: 'GATEWAY_PROTOCOL_UNSUPPORTED',
  CLIENT_CERT_REQUIRED: 'GATEWAY_CLIENT_CERT_REFUSED',
  CLIENT_CERT_UNTRUSTED: 'GATEWAY_CLIENT_CERT_REFUSED',
  WORKSTATION_NOT_AUTHORISED: 'GATEWAY_WORKSTATION_NOT_AUTHORISED',
  PAYLOAD_TOO_LARGE: 'GATEWAY_DOCUMENT_TOO_LARGE',
  DOCUMENT_TOO_LARGE: 'GATEWAY_DOCUMENT_TOO_LARGE',
  RATE_LIMITED: 'GATEWAY_RATE_LIMITED',
  MAINTENANCE: 'GATEWAY_MAINTENANCE',
  UPLOAD_UNKNOWN: 'GATEWAY_UPLOAD_UNKNOWN',
  UPLOAD_CONFLICT: 'GATEWAY_UPLOAD_CONFLICT',
  CHUNK_OUT_OF_RANGE: 'GATEWAY_CHUNK_REJECTED',
  CHUNK_SIZE_WRONG: 'GATEWAY_CHUNK_REJECTED',
  CHUNK_HASH_MISMATCH: 'GATEWAY_CHUNK_HASH_MISMATCH',
  UPLOAD_INCOMPLETE: 'GATEWAY_UPLOAD_INCOMPLETE',
  DOCUMENT_HASH_MISMATCH: 'GATEWAY_DOCUMENT_HASH_MISMATCH',
  DOCUMENT_MISSING: 'GATEWAY_DOCUMENT_MISSING',
  IDEMPOTENCY_CONFLICT: 'GATEWAY_IDEMPOTENCY_CONFLICT',
  MANIFEST_INVALID: 'GATEWAY_MANIFEST_INVALID',
  MANIFEST_MISMATCH: 'GATEWAY_MANIFEST_MISMATCH',
  SIGNATURE_INVALID: 'GATEWAY_SIGNATURE_INVALID',
  SIGNER_UNTRUSTED: 'GATEWAY_SIGNER_UNTRUSTED',
  SIGNER_CERT_INVALID: 'GATEWAY_SIGNER_CERT_INVALID',
  SIGNER_IIN_MISMATCH: 'GATEWAY_SIGNER_IIN_MISMATCH',
  SIGNER_BIN_MISMATCH: 'GATEWAY_SIGNER_BIN_MISMATCH',
  RESULT_NOT_READY: 'GATEWAY_RESULT_NOT_READY',
  NO_RESULT: 'GATEWAY_NO_RESULT',
  NOT_ISSUABLE: 'GATEWAY_NOT_ISSUABLE',
};

/** An AppError from the gateway, with what the server said (its code and details) for the engine. */
export class GatewayError extends AppError {
  constructor(
    code: GatewayErrorCode,
    params: ErrorParams,
    readonly server: { status: number; code: string; details: Record<string, unknown> } | null,
    options: { cause?: unknown; detail?: string; retryable?: boolean } = {},
  ) {
    super(code, params, { retryable: options.retryable ?? GATEWAY_ERRORS[code].retryable, ...(options.cause ? { cause: options.cause } : {}), ...(options.detail ? { detail: options.detail } : {}) });
    this.name = 'GatewayError';
  }
}

/** The scope of any error the client (or the uploader) throws. */
export function gatewayErrorScope(e: unknown): GatewayErrorScope {
  if (e instanceof AppError) {
    const known = (GATEWAY_ERRORS as Record<string, { scope: GatewayErrorScope }>)[e.code];
    if (known) return known.scope;
    return e.retryable ? 'transient' : 'request';
  }
  return 'transient';
}

/**
 * Whether a failed call is the backend's own definitive refusal of the submission: a
 * request-scoped error the server answered with (docs/gateway-protocol.md §5: a GatewayError that
 * carries the server's answer). Not an idempotency conflict (the key IS registered, with other
 * content), and never a failure without an answer (timeout, lost connection, unreadable answer).
 */
export function isDefinitiveRefusal(e: unknown): boolean {
  if (!(e instanceof GatewayError) || e.server === null) return false;
  if (e.code === 'GATEWAY_IDEMPOTENCY_CONFLICT') return false;
  return gatewayErrorScope(e) === 'request';
}

// ---------------------------------------------------------------- schemas
