/**
 * Scanner statuses → operator messages and actions. The message is the i18n sentence for `code`
 * (src-renderer/i18n/<lang>/errors/scan.json); the action is what the UI offers next.
 *
 * | SANE status / event        | code                  | job      | action                        |
 * |----------------------------|-----------------------|----------|-------------------------------|
 * | NO_DOCS after ≥ 1 page     | (none: batch end)     | completed| —                             |
 * | NO_DOCS with no page yet   | SCAN_NO_DOCS          | paused   | load-and-continue             |
 * | JAMMED                     | SCAN_JAMMED           | paused   | clear-jam-and-continue        |
 * | COVER_OPEN                 | SCAN_COVER_OPEN       | paused   | close-cover-and-continue      |
 * | DEVICE_BUSY                | SCAN_DEVICE_BUSY      | paused   | retry                         |
 * | IO_ERROR, device listed    | SCAN_IO_ERROR         | paused   | check-connection-and-continue |
 * | IO_ERROR/INVAL, not listed | SCAN_DEVICE_GONE      | paused   | reconnect-device              |
 * | ACCESS_DENIED              | SCAN_ACCESS_DENIED    | failed   | contact-support               |
 * | WARMING_UP                 | SCAN_WARMING_UP       | paused   | retry                         |
 * | HW_LOCKED                  | SCAN_HW_LOCKED        | paused   | continue                      |
 * | CANCELLED (not asked)      | SCAN_CANCELLED_ON_DEVICE | cancelled | —                        |
 * | NO_MEM, INVAL, UNSUPPORTED | SCAN_DEVICE_ERROR     | failed   | contact-support               |
 * | worker exited              | SCAN_WORKER_CRASHED   | paused   | continue                      |
 * | worker silent / no data    | SCAN_WORKER_HUNG      | paused   | continue                      |
 *
 * In every case the pages recorded before the fault are kept.
 */
import type { JobState, OperatorAction, ScanFault } from './types.js';
import { SCAN_IMPORT_FILE_ERRORS } from '../contract/scan-import-errors.js';

export interface FaultOutcome {
  state: JobState;
  fault: ScanFault | null;
}

function fault(code: string, action: OperatorAction | null, retryable: boolean, params: ScanFault['params'] = {}): ScanFault {
  return { code, params, action, retryable };
}

/**
 * Maps the SANE status that ended a worker job to the job's next state.
 * `deviceListed` tells whether the device is still in SANE's device list (for IO_ERROR / INVAL).
 */
export function outcomeForStatus(
  status: string | null,
  ctx: { pagesInJob: number; deviceListed: boolean; stage: string | null; sheetsFed?: number },
): FaultOutcome {
  switch (status) {
    case 'NO_DOCS':
      return (ctx.sheetsFed ?? ctx.pagesInJob) > 0
        ? { state: 'completed', fault: null }
        : { state: 'paused', fault: fault('SCAN_NO_DOCS', 'load-and-continue', true) };
    case 'JAMMED':
      return { state: 'paused', fault: fault('SCAN_JAMMED', 'clear-jam-and-continue', true, { pagesKept: ctx.pagesInJob }) };
    case 'COVER_OPEN':
      return { state: 'paused', fault: fault('SCAN_COVER_OPEN', 'close-cover-and-continue', true, { pagesKept: ctx.pagesInJob }) };
    case 'DEVICE_BUSY':
      return { state: 'paused', fault: fault('SCAN_DEVICE_BUSY', 'retry', true) };
    case 'WARMING_UP':
      return { state: 'paused', fault: fault('SCAN_WARMING_UP', 'retry', true) };
    case 'HW_LOCKED':
      return { state: 'paused', fault: fault('SCAN_HW_LOCKED', 'continue', true) };
    case 'IO_ERROR':
      return ctx.deviceListed
        ? { state: 'paused', fault: fault('SCAN_IO_ERROR', 'check-connection-and-continue', true, { pagesKept: ctx.pagesInJob }) }
        : { state: 'paused', fault: fault('SCAN_DEVICE_GONE', 'reconnect-device', true, { pagesKept: ctx.pagesInJob }) };
    case 'INVAL':
      // At open, INVAL is SANE's "no such device".
      if (ctx.stage === 'open' && !ctx.deviceListed) {
        return { state: 'paused', fault: fault('SCAN_DEVICE_GONE', 'reconnect-device', true, { pagesKept: ctx.pagesInJob }) };
      }
      return { state: 'failed', fault: fault('SCAN_DEVICE_ERROR', 'contact-support', false, { status: 'INVAL' }) };
    case 'ACCESS_DENIED':
      return { state: 'failed', fault: fault('SCAN_ACCESS_DENIED', 'contact-support', false) };
    case 'CANCELLED':
      return { state: 'cancelled', fault: fault('SCAN_CANCELLED_ON_DEVICE', null, false, { pagesKept: ctx.pagesInJob }) };
    default:
      return { state: 'failed', fault: fault('SCAN_DEVICE_ERROR', 'contact-support', false, { status: status ?? 'UNKNOWN' }) };
  }
}

/**
 * Faults a driver names itself (AppError codes), for every driver alike: what the job does and
 * what the operator is offered. Hostile or broken answers from a network scanner are refused and
 * stop the job (nothing of the refused page is written); the pages before it are kept.
 */
const CODE_OUTCOMES: Record<string, { state: JobState; action: OperatorAction | null; retryable: boolean }> = {
  SCAN_DEVICE_GONE: { state: 'paused', action: 'reconnect-device', retryable: true },
  SCAN_ESCL_JOB_LOST: { state: 'paused', action: 'continue', retryable: true },
  SCAN_ESCL_LENGTH_MISMATCH: { state: 'paused', action: 'check-connection-and-continue', retryable: true },
  SCAN_ESCL_BAD_PAGE: { state: 'paused', action: 'check-connection-and-continue', retryable: true },
  SCAN_ESCL_MALFORMED: { state: 'failed', action: 'contact-support', retryable: false },
  SCAN_ESCL_XML_REFUSED: { state: 'failed', action: 'contact-support', retryable: false },
  SCAN_ESCL_PAGE_TOO_LARGE: { state: 'failed', action: 'contact-support', retryable: false },
  SCAN_ESCL_REDIRECT_REFUSED: { state: 'failed', action: 'contact-support', retryable: false },
  SCAN_ESCL_CERT_UNTRUSTED: { state: 'failed', action: 'contact-support', retryable: false },
  SCAN_ESCL_CERT_CHANGED: { state: 'failed', action: 'contact-support', retryable: false },
};

export function outcomeForCode(code: string, params: ScanFault['params'], pagesKept: number): FaultOutcome {
  const o = CODE_OUTCOMES[code] ?? { state: 'failed' as const, action: 'contact-support' as const, retryable: false };
  return { state: o.state, fault: fault(code, o.action, o.retryable, { ...params, pagesKept }) };
}

export function workerCrashedFault(pagesKept: number): ScanFault {
  return fault('SCAN_WORKER_CRASHED', 'continue', true, { pagesKept });
}

export function workerHungFault(pagesKept: number): ScanFault {
  return fault('SCAN_WORKER_HUNG', 'continue', true, { pagesKept });
}

/** What importing a file can fail with, once the file is in hand (declared by the contract's pages.import). */
export { SCAN_IMPORT_FILE_ERRORS };

/** Every SCAN_* code an operator can meet; test/unit checks each has kk/ru/en sentences. */
export const SCAN_ERROR_CODES = [
  'SCAN_NO_SANE',
  'SCAN_NO_DEVICE',
  'SCAN_NO_DOCS',
  'SCAN_JAMMED',
  'SCAN_COVER_OPEN',
  'SCAN_DEVICE_BUSY',
  'SCAN_IO_ERROR',
  'SCAN_DEVICE_GONE',
  'SCAN_ACCESS_DENIED',
  'SCAN_WARMING_UP',
  'SCAN_HW_LOCKED',
  'SCAN_CANCELLED_ON_DEVICE',
  'SCAN_DEVICE_ERROR',
  'SCAN_WORKER_CRASHED',
  'SCAN_WORKER_HUNG',
  'SCAN_WORKER_UNAVAILABLE',
  'SCAN_UNSUPPORTED_FORMAT',
  'SCAN_SETTINGS_UNSUPPORTED',
  'SCAN_UNKNOWN_PROFILE',
  'SCAN_JOB_NOT_FOUND',
  'SCAN_JOB_NOT_RESUMABLE',
  'SCAN_DEVICE_IN_USE',
  'SCAN_RECORD_FAILED',
  'SCAN_STORE_FAILED',
  'SCAN_IMPORT_NOT_FOUND',
  ...SCAN_IMPORT_FILE_ERRORS,
  'SCAN_ESCL_JOB_LOST',
  'SCAN_ESCL_LENGTH_MISMATCH',
  'SCAN_ESCL_BAD_PAGE',
  'SCAN_ESCL_MALFORMED',
  'SCAN_ESCL_XML_REFUSED',
  'SCAN_ESCL_PAGE_TOO_LARGE',
  'SCAN_ESCL_REDIRECT_REFUSED',
  'SCAN_ESCL_CERT_UNTRUSTED',
  'SCAN_ESCL_CERT_CHANGED',
] as const;
export type ScanErrorCode = (typeof SCAN_ERROR_CODES)[number];
