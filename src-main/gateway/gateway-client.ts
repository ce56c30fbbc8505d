/**
 * The client of the licensing backend behind the e-government gateway: every message of protocol
 * v1 (docs/gateway-protocol.md). Every answer is validated (zod) and checked against what was
 * asked; anything unexpected becomes a typed AppError, never a crash or a silently wrong value.
 *
 * The client never judges an answer by the workstation's clock: times in answers are the
 * server's, and anything time-bound (a power of attorney's expiry, when to poll again, how long
 * to wait after 429/503) is decided by the server and read from its answer. `now` is used only to
 * stamp what the workstation reports (the time the result was handed over).
 *
 * An adapter for the real gateway (SOAP) would implement the same public methods.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError, type ErrorParams } from '../contract/errors.js';
import { parseRetryAfter } from '../gateway/retry-after.js';
import { createTransport, httpRequest, parseJsonBody, type HttpCall, type HttpResponse, type TlsCredentials, type Transport } from './http.js';

export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------- error classes

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
const SERVER_CODES: Record<string, GatewayErrorCode> = {
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

const Iso = z.string().min(10).max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'not a time');
const Sha = z.string().regex(/^[0-9a-f]{64}$/);
const Localized = z.object({ kk: z.string().max(2000), ru: z.string().max(2000), en: z.string().max(2000) });

export const Health = z.object({ ok: z.literal(true), protocol: z.number().int(), supported: z.array(z.number().int()).max(20), serverTime: Iso });
export type Health = z.infer<typeof Health>;

export const IndividualRecord = z.object({
  iin: z.string().regex(/^\d{12}$/),
  fullName: z.string().min(1).max(300),
  birthDate: z.iso.date(),
  status: z.enum(['active', 'deceased']),
  asOf: Iso.optional(),
});
export type IndividualRecord = z.infer<typeof IndividualRecord>;

export const EntityRecord = z.object({
  bin: z.string().regex(/^\d{12}$/),
  name: z.string().min(1).max(500),
  head: z.string().max(300),
  address: z.string().max(500),
  registeredAt: z.iso.date(),
  status: z.enum(['active', 'liquidated']),
  asOf: Iso.optional(),
});
export type EntityRecord = z.infer<typeof EntityRecord>;

export const PowerOfAttorneyRecord = z.object({
  number: z.string().min(1).max(40),
  issuedAt: z.iso.date(),
  validUntil: z.iso.date(),
  notary: z.string().max(500),
  principal: z.object({ kind: z.enum(['iin', 'bin']), number: z.string().regex(/^\d{12}$/), name: z.string().min(1).max(500) }),
  representative: z.object({ iin: z.string().regex(/^\d{12}$/), name: z.string().min(1).max(300) }),
  powers: z.string().max(4000),
  /** Judged by the registry on its own date: the workstation's clock plays no part. */
  status: z.enum(['active', 'expired', 'revoked']),
  asOf: Iso.optional(),
});
export type PowerOfAttorneyRecord = z.infer<typeof PowerOfAttorneyRecord>;

export const DocumentState = z
  .object({
    sha256: Sha,
    size: z.number().int().min(0),
    chunkSize: z.number().int().min(1),
    chunkCount: z.number().int().min(0),
    receivedChunks: z.array(z.number().int().min(0)).max(1_000_000),
    complete: z.boolean(),
  })
  .refine((d) => d.chunkCount === Math.ceil(d.size / d.chunkSize) && d.receivedChunks.every((i) => i < d.chunkCount), 'inconsistent upload state');
export type DocumentState = z.infer<typeof DocumentState>;

const Registration = z.string().regex(/^[A-Z0-9-]{1,64}$/);

export const SubmissionReceipt = z.object({
  registrationNumber: Registration,
  idempotencyKey: z.string(),
  status: z.literal('registered'),
  receivedAt: Iso,
  duplicate: z.boolean(),
});
export type SubmissionReceipt = z.infer<typeof SubmissionReceipt>;
/** Kept for the sync engine: the answer to submit. */
export type SubmissionResult = SubmissionReceipt;

export const RefusalReason = z.object({ code: z.string().min(1).max(64), text: Localized });

export const SubmissionStatus = z
  .object({
    registrationNumber: Registration,
    idempotencyKey: z.string(),
    status: z.enum(['registered', 'under_review', 'refused', 'result_ready', 'issued']),
    receivedAt: Iso,
    decidedAt: Iso.nullable(),
    refusal: z.object({ reasons: z.array(RefusalReason).min(1).max(50) }).nullable(),
    result: z.object({ sha256: Sha, size: z.number().int().min(1) }).nullable(),
    issuedAt: Iso.nullable(),
    /** The server's hint for pending requests: when asking again is useful. */
    nextPollSeconds: z.number().int().min(0).max(86_400).nullable(),
  })
  .refine((s) => (s.status === 'refused' ? s.refusal !== null : true) && (s.status === 'result_ready' ? s.result !== null : true), 'decision without its content');
export type SubmissionStatus = z.infer<typeof SubmissionStatus>;

const StatusBatch = z.object({ items: z.array(SubmissionStatus).max(200), unknown: z.array(z.string()).max(200) });

export const IssueAcknowledgement = z.object({ registrationNumber: Registration, status: z.literal('issued'), issuedAt: Iso, duplicate: z.boolean() });
export type IssueAcknowledgement = z.infer<typeof IssueAcknowledgement>;

const ChunkReceipt = z.object({ sha256: Sha, index: z.number().int(), size: z.number().int(), chunkSha256: Sha });

const ErrorBody = z.object({
  error: z.looseObject({ code: z.string().max(64), retryable: z.boolean().optional(), retryAfterSeconds: z.number().optional() }),
});

// ---------------------------------------------------------------- the client

export interface Submission {
  /** The same key for every attempt of one signed request (one signature): one registration. */
  idempotencyKey: string;
  workstationId: string;
  centreBin: string;
  serviceId: string;
  subServiceId: string | null;
  /** The exact bytes the operator signed (src-main/sign/manifest.ts). */
  manifest: Buffer | Uint8Array;
  /** The detached CMS (DER) over `manifest`. */
  cms: Buffer | Uint8Array;
  /** The documents as listed in the manifest: every one uploaded and completed first. */
  documents: { sha256: string; size: number }[];
}

export interface GatewayOptions {
  baseUrl: string;
  /** CA and client certificate (loadTlsCredentials); null: system CAs, no client certificate. */
  tls: TlsCredentials | null;
  timeoutMs: number;
  workstationId: string;
  /** Cap for JSON answers (default 1 MiB). */
  maxResponseBytes?: number;
  /** Cap for a result PDF (default 32 MiB). */
  maxResultBytes?: number;
  /** Upper bound of concurrent connections (default 8). */
  maxConnections?: number;
  /** Only to stamp what the workstation reports, and to read a Retry-After date sent without a Date header; never to judge an answer. */
  now?: () => Date;
}

export interface PowerOfAttorneyQuery {
  number: string;
  principal: { kind: 'iin' | 'bin'; number: string };
  representativeIin: string;
}

export interface ResultDocument {
  pdf: Buffer;
  /** Detached CMS (DER) over `pdf`, by the provider: verify it before showing the PDF. */
  cms: Buffer;
  sha256: string;
}


export class GatewayClient {
  private readonly transport: Transport;
  private readonly maxJson: number;
  private readonly maxResult: number;
  private readonly now: () => Date;

  constructor(private readonly opts: GatewayOptions) {
    this.transport = createTransport(opts.baseUrl, opts.tls, { maxSockets: opts.maxConnections ?? 8 });
    this.maxJson = opts.maxResponseBytes ?? 1024 * 1024;
    this.maxResult = opts.maxResultBytes ?? 32 * 1024 * 1024;
    this.now = opts.now ?? (() => new Date());
  }

  /** Closes idle connections. */
  close(): void {
    this.transport.close();
  }

  private call(method: HttpCall['method'], path: string, extra: Partial<HttpCall> = {}): Promise<HttpResponse> {
    return httpRequest(this.transport, {
      method,
      path,
      timeoutMs: this.opts.timeoutMs,
      maxResponseBytes: this.maxJson,
      ...extra,
      headers: {
        'x-qabyldau-protocol': String(PROTOCOL_VERSION),
        'x-qabyldau-workstation': this.opts.workstationId,
        ...(extra.body && !extra.headers?.['content-type'] ? { 'content-type': 'application/json' } : {}),
        ...extra.headers,
      },
    });
  }

  private json(method: HttpCall['method'], path: string, body?: unknown): Promise<HttpResponse> {
    return this.call(method, path, body === undefined ? {} : { body: Buffer.from(JSON.stringify(body), 'utf8') });
  }

  /** The server's error as a typed GatewayError (statuses ≥ 400). */
  private fail(res: HttpResponse): never {
    let server: { code: string; details: Record<string, unknown>; retryable?: boolean } | null = null;
    try {
      const parsed = ErrorBody.safeParse(JSON.parse(res.body.toString('utf8')));
      if (parsed.success) {
        const { code, retryable, ...details } = parsed.data.error;
        server = { code, details, ...(retryable === undefined ? {} : { retryable }) };
      }
    } catch {
      // not JSON: judged by the status alone
    }
    // Retry-After parsed or refused (a date, garbage, negative, huge: gateway/retry-after.ts), else the
    // body's retryAfterSeconds; neither usable = 0 (the engine's own backoff).
    const retryAfter = (parseRetryAfter(res.headers['retry-after'], res.headers.date, this.now) ?? parseRetryAfter(server?.details.retryAfterSeconds, undefined, this.now))?.seconds ?? 0;
    const info = server ? { status: res.status, code: server.code, details: server.details } : null;
    if (res.status === 429) throw new GatewayError('GATEWAY_RATE_LIMITED', { seconds: retryAfter }, info);
    if (server?.code === 'MAINTENANCE' || (res.status === 503 && res.headers['retry-after'] !== undefined)) {
      throw new GatewayError('GATEWAY_MAINTENANCE', { seconds: retryAfter }, info);
    }
    if (res.status >= 500) throw new GatewayError('GATEWAY_SERVER_ERROR', { status: res.status }, info);
    const mapped = server ? SERVER_CODES[server.code] : undefined;
    if (mapped) {
      const params: ErrorParams = {};
      if (typeof server!.details.field === 'string') params.field = server!.details.field;
      if (Array.isArray(server!.details.missing)) params.count = server!.details.missing.length;
      if (Array.isArray(server!.details.missingChunks)) params.count = server!.details.missingChunks.length;
      if (typeof server!.details.limit === 'number') params.megabytes = Math.floor(server!.details.limit / (1024 * 1024));
      throw new GatewayError(mapped, params, info);
    }
    // A code this version does not know: the server's own retryable flag decides.
    throw new GatewayError('GATEWAY_REJECTED', { status: res.status, reason: server?.code ?? 'UNKNOWN' }, info, { retryable: server?.retryable === true });
  }

  private parse<T extends z.ZodType>(res: HttpResponse, schema: T, check?: (v: z.infer<T>) => boolean): z.infer<T> {
    if (res.status >= 400 || res.status < 200) this.fail(res);
    const parsed = schema.safeParse(parseJsonBody(res));
    if (!parsed.success) {
      throw new GatewayError('GATEWAY_BAD_RESPONSE', { status: res.status }, null, { detail: parsed.error.issues[0]?.path.join('.') ?? '' });
    }
    // An answer about something else than what was asked is as bad as an unreadable one.
    if (check && !check(parsed.data)) throw new GatewayError('GATEWAY_BAD_RESPONSE', { status: res.status }, null, { detail: 'answer does not match the question' });
    return parsed.data;
  }

  // ---- health

  /** Probes the backend (online = it answered this). */
  async health(): Promise<Health> {
    const res = await this.call('GET', '/v1/health', { timeoutMs: Math.min(this.opts.timeoutMs, 5000) });
    const h = this.parse(res, Health);
    if (!h.supported.includes(PROTOCOL_VERSION)) throw new GatewayError('GATEWAY_PROTOCOL_UNSUPPORTED', {}, null);
    return h;
  }

  // ---- registry look-ups (P3)

  /** The individual's record, or null when the registry has no such person (P4). */
  async lookupIndividual(iin: string): Promise<IndividualRecord | null> {
    const res = await this.call('GET', `/v1/registry/individuals/${encodeURIComponent(iin)}`);
    if (res.status === 404 && this.isNotFound(res)) return null;
    return this.parse(res, IndividualRecord, (r) => r.iin === iin);
  }

  /** The legal entity's record, or null when the registry has no such entity (P4). */
  async lookupEntity(bin: string): Promise<EntityRecord | null> {
    const res = await this.call('GET', `/v1/registry/entities/${encodeURIComponent(bin)}`);
    if (res.status === 404 && this.isNotFound(res)) return null;
    return this.parse(res, EntityRecord, (r) => r.bin === bin);
  }

  /** A power of attorney from the notarial registry, or null when none matches all three (number, principal, representative). */
  async lookupPowerOfAttorney(q: PowerOfAttorneyQuery): Promise<PowerOfAttorneyRecord | null> {
    const qs = new URLSearchParams({ principal: q.principal.number, representative: q.representativeIin });
    const res = await this.call('GET', `/v1/registry/powers-of-attorney/${encodeURIComponent(q.number)}?${qs.toString()}`);
    if (res.status === 404 && this.isNotFound(res)) return null;
    return this.parse(
      res,
      PowerOfAttorneyRecord,
      (r) => r.number === q.number && r.principal.number === q.principal.number && r.principal.kind === q.principal.kind && r.representative.iin === q.representativeIin,
    );
  }

  private isNotFound(res: HttpResponse): boolean {
    try {
      const parsed = ErrorBody.safeParse(JSON.parse(res.body.toString('utf8')));
      return parsed.success && parsed.data.error.code === 'NOT_FOUND';
    } catch {
      return false;
    }
  }

  // ---- documents: resumable chunked upload (see uploader.ts for the loop)

  /** Starts (or finds) the upload of a document; the server answers what it already has. */
  async startUpload(d: { sha256: string; size: number; chunkSize: number }): Promise<DocumentState> {
    const res = await this.json('POST', '/v1/documents', d);
    return this.parse(res, DocumentState, (s) => s.sha256 === d.sha256 && s.size === d.size);
  }

  /** What the server has of a document, or null when it knows no such upload. */
  async uploadState(sha256: string): Promise<DocumentState | null> {
    const res = await this.call('GET', `/v1/documents/${sha256}`);
    if (res.status === 404) {
      try {
        this.fail(res);
      } catch (e) {
        if (e instanceof GatewayError && e.code === 'GATEWAY_UPLOAD_UNKNOWN') return null;
        throw e;
      }
    }
    return this.parse(res, DocumentState, (s) => s.sha256 === sha256);
  }

  /** Sends one chunk with its SHA-256 (the server checks it). Idempotent. */
  async putChunk(sha256: string, index: number, bytes: Buffer): Promise<void> {
    const chunkSha = createHash('sha256').update(bytes).digest('hex');
    const res = await this.call('PUT', `/v1/documents/${sha256}/chunks/${index}`, {
      body: bytes,
      headers: { 'content-type': 'application/octet-stream', 'x-qabyldau-chunk-sha256': chunkSha },
      timeoutMs: Math.max(this.opts.timeoutMs, 30_000),
    });
    this.parse(res, ChunkReceipt, (r) => r.sha256 === sha256 && r.index === index && r.chunkSha256 === chunkSha && r.size === bytes.byteLength);
  }

  /** Asks the server to assemble the document and check its SHA-256. */
  async completeUpload(sha256: string): Promise<DocumentState> {
    const res = await this.call('POST', `/v1/documents/${sha256}/complete`, { timeoutMs: Math.max(this.opts.timeoutMs, 60_000) });
    return this.parse(res, DocumentState, (s) => s.sha256 === sha256 && s.complete);
  }

  // ---- submission (P6 → P7)

  /** Submits a signed request. The same idempotency key always gets the same registration (duplicate: true). */
  async submit(s: Submission): Promise<SubmissionReceipt> {
    const res = await this.json('POST', '/v1/submissions', {
      idempotencyKey: s.idempotencyKey,
      workstationId: s.workstationId,
      centreBin: s.centreBin,
      serviceId: s.serviceId,
      subServiceId: s.subServiceId,
      manifest: Buffer.from(s.manifest).toString('base64'),
      cms: Buffer.from(s.cms).toString('base64'),
      documents: s.documents.map((d) => ({ sha256: d.sha256, size: d.size })),
    });
    return this.parse(res, SubmissionReceipt, (r) => r.idempotencyKey === s.idempotencyKey);
  }

  // ---- status and decision (P7, C2, P8)

  async status(registrationNumber: string): Promise<SubmissionStatus> {
    const res = await this.call('GET', `/v1/submissions/${encodeURIComponent(registrationNumber)}`);
    if (res.status === 404) this.unknownSubmission(res);
    return this.parse(res, SubmissionStatus, (s) => s.registrationNumber === registrationNumber);
  }

  /** Up to 200 statuses in one exchange; `unknown` lists numbers the server does not know. */
  async statuses(registrationNumbers: string[]): Promise<{ items: SubmissionStatus[]; unknown: string[] }> {
    if (registrationNumbers.length > 200) throw new RangeError('at most 200 registration numbers per call');
    const res = await this.json('POST', '/v1/submission-statuses', { registrationNumbers });
    const asked = new Set(registrationNumbers);
    return this.parse(res, StatusBatch, (b) => [...b.items.map((i) => i.registrationNumber), ...b.unknown].every((n) => asked.has(n)));
  }

  private unknownSubmission(res: HttpResponse): never {
    if (this.isNotFound(res)) throw new GatewayError('GATEWAY_UNKNOWN_SUBMISSION', {}, { status: 404, code: 'NOT_FOUND', details: {} });
    this.fail(res);
  }

  // ---- result (P9)

  /**
   * The provider-signed result: the PDF (checked against the SHA-256 the status announced) and
   * its detached CMS. The CMS is not verified here: the caller verifies it with the provider's
   * trust roots (src-main/sign verifyResult) before the PDF is shown.
   */
  async downloadResult(registrationNumber: string, expected: { sha256: string; size: number }): Promise<ResultDocument> {
    const base = `/v1/submissions/${encodeURIComponent(registrationNumber)}/result`;
    const pdfRes = await this.call('GET', base, { headers: { accept: 'application/pdf' }, maxResponseBytes: this.maxResult, timeoutMs: Math.max(this.opts.timeoutMs, 60_000) });
    if (pdfRes.status === 404) this.unknownSubmission(pdfRes);
    if (pdfRes.status >= 400) this.fail(pdfRes);
    const sha256 = createHash('sha256').update(pdfRes.body).digest('hex');
    if (sha256 !== expected.sha256 || pdfRes.body.byteLength !== expected.size || pdfRes.headers['x-qabyldau-sha256'] !== sha256) {
      throw new GatewayError('GATEWAY_RESULT_HASH_MISMATCH', {}, null);
    }
    if (pdfRes.body.subarray(0, 5).toString('latin1') !== '%PDF-') throw new GatewayError('GATEWAY_BAD_RESPONSE', { status: pdfRes.status }, null, { detail: 'not a PDF' });
    const cmsRes = await this.call('GET', `${base}/signature`, { headers: { accept: 'application/pkcs7-signature' } });
    if (cmsRes.status >= 400) this.fail(cmsRes);
    const cmsSha = createHash('sha256').update(cmsRes.body).digest('hex');
    if (cmsRes.body.byteLength < 16 || cmsRes.body[0] !== 0x30 || cmsRes.headers['x-qabyldau-sha256'] !== cmsSha) {
      throw new GatewayError('GATEWAY_BAD_RESPONSE', { status: cmsRes.status }, null, { detail: 'not a DER signature' });
    }
    return { pdf: pdfRes.body, cms: cmsRes.body, sha256 };
  }

  // ---- acknowledgement of issue (P9 done)

  /** Tells the backend the result (or the reasoned refusal) was handed to the applicant. Idempotent. */
  async acknowledgeIssued(registrationNumber: string, issuedAt: Date = this.now()): Promise<IssueAcknowledgement> {
    const res = await this.json('POST', `/v1/submissions/${encodeURIComponent(registrationNumber)}/issued`, { issuedAt: issuedAt.toISOString() });
    if (res.status === 404) this.unknownSubmission(res);
    return this.parse(res, IssueAcknowledgement, (a) => a.registrationNumber === registrationNumber);
  }
}
