/** Scanners and scan jobs: the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { Id } from '../model.js';
import { Empty, Ok } from './shared.js';

const ScanJob = z.strictObject({
  jobId: z.string(),
  deviceId: z.string(),
  state: z.enum(['scanning', 'paused', 'completed', 'cancelled', 'failed']),
  pages: z.number().int(),
  skippedBlank: z.number().int(),
  fault: z.strictObject({ code: z.string(), action: z.string().nullable(), retryable: z.boolean() }).nullable(),
});
const ScanStatusOut = z.strictObject({
  sane: z.enum(['available', 'unavailable', 'unknown']),
  reason: z.string().nullable(),
  version: z.string().nullable(),
  worker: z.enum(['starting', 'running', 'restarting', 'stopped', 'failed']),
  importFormats: z.array(z.enum(['jpeg', 'png', 'tiff', 'pdf'])),
});

export const scanOps = {
  'scan.status': operation({
    access: 'operator',
    summary: 'Whether SANE is here (else "no SANE": file import only), the scanner worker, the import formats.',
    input: Empty,
    output: ScanStatusOut,
  }),
  'scan.devices': operation({
    access: 'operator',
    summary: 'The scanners of every driver (eSCL network scanners on every platform, SANE where it is): real ones first, then the SANE test device; which one this workstation uses.',
    input: z.strictObject({ refresh: z.boolean().default(false) }),
    output: z.strictObject({
      devices: z.array(
        z.strictObject({
          id: z.string(),
          vendor: z.string(),
          model: z.string(),
          type: z.string(),
          virtual: z.boolean(),
          driver: z.enum(['sane', 'escl']),
          url: z.string().optional(),
          found: z.enum(['configured', 'dns-sd']).optional(),
          certificate: z.strictObject({ sha256: z.string(), trusted: z.boolean() }).optional(),
        }),
      ),
      /** The scanner used when a scan names none (chosen with scan.selectDevice), or null. */
      selected: z.string().nullable(),
    }),
    errors: ['SCAN_NO_SANE', 'SCAN_WORKER_UNAVAILABLE', 'SCAN_DEVICE_ERROR'],
  }),
  'scan.selectDevice': operation({
    access: 'operator',
    summary: "Chooses this workstation's scanner (written to the per-user configuration, applies at once); null: the first one found.",
    input: z.strictObject({ deviceId: z.string().min(1).max(300).nullable() }),
    output: Ok,
    errors: ['SCAN_NO_SANE', 'SCAN_NO_DEVICE', 'STORAGE_READ_ONLY'],
  }),
  'scan.trustCertificate': operation({
    access: 'admin',
    summary: "An administrator confirms the certificate an HTTPS network scanner shows (trust on first use): its SHA-256 is pinned for the scanner's address.",
    input: z.strictObject({ deviceId: z.string().min(1).max(300), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
    output: Ok,
    errors: ['SCAN_NO_SANE', 'SCAN_NO_DEVICE', 'SCAN_ESCL_CERT_CHANGED', 'STORAGE_READ_ONLY'],
  }),
  'scan.profiles': operation({
    access: 'operator',
    summary: 'Scan profiles ("document 300 dpi grey", "identity card colour", …).',
    input: Empty,
    output: z.strictObject({
      profiles: z.array(
        z.strictObject({
          id: z.string(),
          nameKey: z.string(),
          source: z.string(),
          mode: z.enum(['gray', 'color', 'lineart']),
          dpi: z.number().int(),
        }),
      ),
    }),
  }),
  'scan.start': operation({
    access: 'operator',
    summary: "P5: scan into a document slot; pages stream in as they are stored (events scan.progress, scan.job, scan.fault).",
    input: z.strictObject({
      requestId: Id,
      slotId: Id,
      deviceId: z.string().min(1).max(200).nullable().default(null),
      profileId: Id.nullable().default(null),
      maxPages: z.number().int().min(1).max(500).nullable().default(null),
    }),
    output: ScanJob,
    errors: [
      'REQUEST_STATE',
      'REQUEST_UNKNOWN_SLOT',
      'SCAN_NO_SANE',
      'SCAN_NO_DEVICE',
      'SCAN_DEVICE_IN_USE',
      'SCAN_UNKNOWN_PROFILE',
      'SCAN_WORKER_UNAVAILABLE',
    ],
  }),
  'scan.continue': operation({
    access: 'operator',
    summary: 'Carry on after a jam, an open cover, a busy device or a restarted worker; or scan more pages.',
    input: z.strictObject({ jobId: z.string().min(1).max(100) }),
    output: ScanJob,
    errors: ['SCAN_JOB_NOT_FOUND', 'SCAN_JOB_NOT_RESUMABLE', 'SCAN_DEVICE_IN_USE'],
  }),
  'scan.job': operation({
    access: 'operator',
    summary: 'Where a scan job stands (after a reconnect, or to wait for its end).',
    input: z.strictObject({ jobId: z.string().min(1).max(100) }),
    output: ScanJob,
    errors: ['SCAN_JOB_NOT_FOUND'],
  }),
  'scan.cancel': operation({
    access: 'operator',
    summary: 'Stop scanning: the page being read is dropped, the pages already stored are kept.',
    input: z.strictObject({ jobId: z.string().min(1).max(100) }),
    output: ScanJob,
    errors: ['SCAN_JOB_NOT_FOUND'],
  }),

} as const;
