/**
 * The client of the licensing backend behind the e-government gateway (protocol v1, see
 * docs/gateway-protocol.md). Every response is validated; anything unexpected becomes a typed
 * error, never a crash or a silently wrong value.
 */
import { z } from 'zod';
import { AppError } from '../contract/errors.js';
import { httpRequest, parseJsonBody, type HttpOptions, type HttpResponse } from './http.js';

export const PROTOCOL_VERSION = 1;

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string().optional(), retryable: z.boolean().optional() }),
});

export const IndividualRecord = z.object({
  iin: z.string().regex(/^\d{12}$/),
  fullName: z.string().min(1).max(300),
  birthDate: z.iso.date(),
  status: z.enum(['active', 'deceased']),
});
export type IndividualRecord = z.infer<typeof IndividualRecord>;

export const EntityRecord = z.object({
  bin: z.string().regex(/^\d{12}$/),
  name: z.string().min(1).max(500),
  head: z.string().max(300),
  address: z.string().max(500),
  registeredAt: z.iso.date(),
  status: z.enum(['active', 'liquidated']),
});
export type EntityRecord = z.infer<typeof EntityRecord>;

const Health = z.object({ ok: z.literal(true), protocol: z.number().int(), time: z.string() });

export const SubmissionResult = z.object({
  registrationNumber: z.string().min(1).max(64),
  status: z.literal('registered'),
  receivedAt: z.string(),
  duplicate: z.boolean(),
});
export type SubmissionResult = z.infer<typeof SubmissionResult>;

export interface Submission {
  idempotencyKey: string;
  workstationId: string;
  centreBin: string;
  serviceId: string;
  subServiceId: string | null;
  manifest: Buffer;
  cms: Buffer;
  documents: { sha256: string; size: number }[];
}

export interface GatewayOptions {
  baseUrl: string;
  caPem: string | null;
  timeoutMs: number;
  workstationId: string;
  /** Responses larger than this are refused (registry answers and receipts are small). */
  maxResponseBytes?: number;
}

export class GatewayClient {
  private readonly http: HttpOptions;

  constructor(opts: GatewayOptions) {
    this.http = {
      baseUrl: opts.baseUrl,
      caPem: opts.caPem,
      timeoutMs: opts.timeoutMs,
      maxResponseBytes: opts.maxResponseBytes ?? 1024 * 1024,
      headers: { 'x-qabyldau-protocol': String(PROTOCOL_VERSION), 'x-qabyldau-workstation': opts.workstationId },
    };
  }

  async health(): Promise<void> {
    const res = await httpRequest({ ...this.http, timeoutMs: Math.min(this.http.timeoutMs, 5000) }, 'GET', '/v1/health');
    this.parse(res, Health);
  }

  /** The individual's record, or null when the registry has no such person (P4). */
  async lookupIndividual(iin: string): Promise<IndividualRecord | null> {
    const res = await httpRequest(this.http, 'GET', `/v1/registry/individuals/${encodeURIComponent(iin)}`);
    if (res.status === 404) return null;
    return this.parse(res, IndividualRecord);
  }

  async lookupEntity(bin: string): Promise<EntityRecord | null> {
    const res = await httpRequest(this.http, 'GET', `/v1/registry/entities/${encodeURIComponent(bin)}`);
    if (res.status === 404) return null;
    return this.parse(res, EntityRecord);
  }

  async putDocument(sha256: string, bytes: Buffer): Promise<void> {
    const res = await httpRequest(
      { ...this.http, timeoutMs: Math.max(this.http.timeoutMs, 60_000) },
      'PUT',
      `/v1/documents/${sha256}`,
      bytes,
      { 'content-type': 'application/octet-stream' },
    );
    this.parse(res, z.object({ sha256: z.literal(sha256) }));
  }

  async submit(s: Submission): Promise<SubmissionResult> {
    const body = Buffer.from(
      JSON.stringify({
        idempotencyKey: s.idempotencyKey,
        workstationId: s.workstationId,
        centreBin: s.centreBin,
        serviceId: s.serviceId,
        subServiceId: s.subServiceId,
        manifest: s.manifest.toString('base64'),
        cms: s.cms.toString('base64'),
        documents: s.documents,
      }),
    );
    const res = await httpRequest(this.http, 'POST', '/v1/submissions', body, { 'content-type': 'application/json' });
    return this.parse(res, SubmissionResult);
  }

  private parse<T extends z.ZodType>(res: HttpResponse, schema: T): z.infer<T> {
    if (res.status === 429) {
      const retryAfter = Number(res.headers['retry-after'] ?? '');
      throw new AppError('GATEWAY_RATE_LIMITED', { seconds: Number.isFinite(retryAfter) ? retryAfter : 0 }, { retryable: true });
    }
    if (res.status >= 500) throw new AppError('GATEWAY_SERVER_ERROR', { status: res.status }, { retryable: true });
    const json = parseJsonBody(res);
    if (res.status >= 400) {
      const err = ErrorBody.safeParse(json);
      const code = err.success ? err.data.error.code : 'UNKNOWN';
      throw new AppError('GATEWAY_REJECTED', { status: res.status, reason: code }, { retryable: err.success && err.data.error.retryable === true });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new AppError('GATEWAY_BAD_RESPONSE', { status: res.status }, { detail: parsed.error.issues[0]?.path.join('.') ?? '' });
    }
    return parsed.data;
  }
}
