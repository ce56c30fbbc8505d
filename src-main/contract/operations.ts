/**
 * THE CONTRACT: every operation the renderer may call, declared once.
 *
 * Inputs are strict zod objects: unknown keys, wrong types and out-of-range values are rejected
 * at the boundary with a VALIDATION error before any handler runs.
 */
import { z } from 'zod';
import { event, type ErrorCodeOf } from './define.js';
import { AppError, type ErrorParams } from './errors.js';
import { appOps } from './ops/app.js';
import { authOps } from './ops/auth.js';
import { accountsOps } from './ops/accounts.js';
import { catalogueOps } from './ops/catalogue.js';
import { applicantOps } from './ops/applicant.js';
import { requestOps } from './ops/request.js';
import { signingOps } from './ops/signing.js';
import { pagesOps } from './ops/pages.js';
import { scanOps } from './ops/scan.js';
import { papersOps } from './ops/papers.js';
import { printOps } from './ops/print.js';
import { settingsOps } from './ops/settings.js';
import { queueOps } from './ops/queue.js';
import { resultOps } from './ops/result.js';
import { reportOps } from './ops/report.js';
import { reportExportOps } from './ops/report-export.js';
import { refusalOps } from './ops/refusal.js';
import { auditOps } from './ops/audit.js';
import { QueueStatus, RequestStatus } from './model.js';

export { MAX_IMPORT_BYTES } from './ops/pages.js';

/**
 * Every operation, composed from one file per domain (`ops/<domain>.ts`, the same domains as
 * `host/handlers/<domain>.ts`). A new operation goes into its domain's file; a new domain is a new
 * file and one line here.
 */
export const operations = {
  ...appOps,
  ...authOps,
  ...accountsOps,
  ...catalogueOps,
  ...applicantOps,
  ...requestOps,
  ...signingOps,
  ...pagesOps,
  ...scanOps,
  ...papersOps,
  ...printOps,
  ...settingsOps,
  ...queueOps,
  ...resultOps,
  ...reportOps,
  ...reportExportOps,
  ...refusalOps,
  ...auditOps,
} as const;

export const events = {
  'request.changed': event({
    summary: 'A request changed state (sent, registered, needs attention, ...).',
    payload: z.strictObject({
      id: z.string(),
      localNumber: z.string(),
      status: RequestStatus,
      registrationNumber: z.string().nullable(),
    }),
  }),
  'queue.changed': event({ summary: 'Queue counts or online state changed.', payload: QueueStatus }),
  'scan.progress': event({
    summary: 'A scan job moved on: a page is being fed, read, stored, or skipped as blank.',
    payload: z.strictObject({
      jobId: z.string(),
      requestId: z.string(),
      slotId: z.string(),
      page: z.number().int(),
      phase: z.enum(['starting', 'reading', 'page-stored', 'blank-skipped']),
      bytesRead: z.number(),
      bytesExpected: z.number().nullable(),
      pagesStored: z.number().int(),
      skippedBlank: z.number().int(),
    }),
  }),
  'scan.fault': event({
    summary: 'The scanner reported a fault (jam, cover open, busy, I/O error, gone, worker crash): what to do next.',
    payload: z.strictObject({
      jobId: z.string().nullable(),
      code: z.string(),
      params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      action: z.string().nullable(),
      retryable: z.boolean(),
      pagesKept: z.number().int(),
    }),
  }),
  'scan.job': event({
    summary: 'A scan job changed state (started, feeder empty, cancelled, paused by a fault, continued).',
    payload: z.strictObject({
      jobId: z.string(),
      state: z.enum(['scanning', 'paused', 'completed', 'cancelled', 'failed']),
      pages: z.number().int(),
      skippedBlank: z.number().int(),
      reason: z.string(),
    }),
  }),
  'session.ended': event({
    summary: 'The operator was logged out (idle timeout or another window).',
    payload: z.strictObject({ reason: z.enum(['logout', 'idle']) }),
  }),
  'session.locked': event({
    summary: 'The main process locked the session (idle time passed, or the operator asked): cover the screen at once.',
    payload: z.strictObject({ reason: z.enum(['idle', 'operator']) }),
  }),
} as const;

export type Operations = typeof operations;
export type OpName = keyof Operations;
export type OpInput<N extends OpName> = z.input<Operations[N]['input']>;
export type OpParsedInput<N extends OpName> = z.output<Operations[N]['input']>;
export type OpOutput<N extends OpName> = z.output<Operations[N]['output']>;
/** The error codes an operation may answer with: its declared ones and the common ones. */
export type OpErrorCode<N extends OpName> = ErrorCodeOf<Operations[N]>;
/** An AppError an operation may answer with: its code is one the operation declares (or a common one). */
export type OpError<N extends OpName> = AppError & { readonly code: OpErrorCode<N> };

/** Makes an operation's error; a code the operation does not declare does not compile. */
export function opError<N extends OpName>(_op: N, code: OpErrorCode<N>, params: ErrorParams = {}, options?: ConstructorParameters<typeof AppError>[2]): OpError<N> {
  return new AppError(code, params, options) as OpError<N>;
}
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]['payload']>;

export const OP_NAMES = Object.keys(operations) as OpName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];
