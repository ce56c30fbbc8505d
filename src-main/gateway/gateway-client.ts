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
import type { z } from 'zod';
import type { ErrorParams } from '../contract/errors.js';
import { createTransport, httpRequest, parseJsonBody, type HttpCall, type HttpResponse, type Transport } from './http.js';
import { GatewayError, SERVER_CODES } from './errors.js';
import { parseRetryAfter } from './retry-after.js';
import { CentreFigures, type CentreQuery, type ReportOperator, StepReportReceipt } from './step-reports.js';
import type { StepEventWire } from '../contract/report.js';
import { ChunkReceipt, DocumentState, EntityRecord, ErrorBody, type GatewayOptions, Health, IndividualRecord, IssueAcknowledgement, type PowerOfAttorneyQuery, PowerOfAttorneyRecord, type ResultDocument, StatusBatch, type Submission, SubmissionReceipt, SubmissionStatus } from './messages.js';

export const PROTOCOL_VERSION = 1;

export * from './errors.js';
export * from './messages.js';
export * from './step-reports.js';

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

  /**
   * Sends one chunk with its SHA-256 (the server checks it). Idempotent. `chunkSha256`: the chunk's
   * hash when the caller already knows it (a chunk that is the whole document has the document's
   * own hash), so it is not computed again. A connection lost on the way is GATEWAY_CONNECTION_LOST
   * even on a kept-alive connection (not sent again blindly: the body may have arrived).
   */
  async putChunk(sha256: string, index: number, bytes: Buffer, chunkSha256?: string): Promise<void> {
    const chunkSha = chunkSha256 ?? createHash('sha256').update(bytes).digest('hex');
    const res = await this.call('PUT', `/v1/documents/${sha256}/chunks/${index}`, {
      body: bytes,
      headers: { 'content-type': 'application/octet-stream', 'x-qabyldau-chunk-sha256': chunkSha },
      timeoutMs: Math.max(this.opts.timeoutMs, 30_000),
      // A connection found dead may have carried the whole chunk: the uploader asks the server.
      resendOnStale: false,
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

  // ---- step reports

  /** One batch of step events (at most 500); the backend stores each event id once. */
  async reportStepEvents(events: readonly StepEventWire[], operators: readonly ReportOperator[] = []): Promise<StepReportReceipt> {
    const res = await this.json('POST', '/v1/reports/step-events', { events, operators });
    return this.parse(res, StepReportReceipt, (r) => r.received === events.length && r.accepted + r.duplicates === r.received);
  }

  /** The Centre's figures for a period, over every workstation's events, against these norms. */
  async centreReport(q: CentreQuery): Promise<CentreFigures> {
    return this.parse(await this.json('POST', '/v1/reports/centre', q), CentreFigures);
  }
}
