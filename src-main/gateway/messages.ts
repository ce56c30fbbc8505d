/**
 * The messages of protocol v1 (docs/gateway-protocol.md) as zod schemas (every answer is checked
 * against them) and the shapes the client is asked with.
 */
import { z } from 'zod';
import type { TlsCredentials } from './http.js';

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

export const StatusBatch = z.object({ items: z.array(SubmissionStatus).max(200), unknown: z.array(z.string()).max(200) });

export const IssueAcknowledgement = z.object({ registrationNumber: Registration, status: z.literal('issued'), issuedAt: Iso, duplicate: z.boolean() });
export type IssueAcknowledgement = z.infer<typeof IssueAcknowledgement>;

export const ChunkReceipt = z.object({ sha256: Sha, index: z.number().int(), size: z.number().int(), chunkSha256: Sha });

export const ErrorBody = z.object({
  error: z.looseObject({ code: z.string().max(64), retryable: z.boolean().optional(), retryAfterSeconds: z.number().optional() }),
});

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
