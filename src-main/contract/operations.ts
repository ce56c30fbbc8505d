/**
 * THE CONTRACT: every operation the renderer may call, declared once.
 *
 * Inputs are strict zod objects: unknown keys, wrong types and out-of-range values are rejected
 * at the boundary with a VALIDATION error before any handler runs.
 */
import { z } from 'zod';
import { event, operation, type ErrorCodeOf } from './define.js';
import { AppError, type ErrorParams } from './errors.js';
import { IDN_CODES } from './idn.js';
import { SCAN_IMPORT_FILE_ERRORS } from './scan-import-errors.js';
import {
  Applicant,
  ApplicantKind,
  Id,
  withIdnRules,
  IsoDate,
  Sha256,
  Language,
  LocalizedText,
  Operator,
  QueueStatus,
  Role,
  SendNowResult,
  Representative,
  RequestDetail,
  RequestStatus,
  RequestSummary,
  Service,
} from './model.js';

const Empty = z.strictObject({});
/** A PDF made by the workstation (receipt, notice): stored by content, sent to be shown or printed. */
const PdfFile = z.strictObject({ sha256: z.string(), size: z.number().int(), dataBase64: z.string() });
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
const Ok = z.strictObject({ ok: z.literal(true) });
const IdnNumber = z.string().regex(/^\d{12}$/, 'twelve digits');
const SessionState = z.strictObject({ operator: Operator.nullable(), locked: z.boolean(), mustChangePassword: z.boolean() });
const AccountLogin = z.string().regex(/^[A-Za-z0-9._-]{3,64}$/, 'letters, digits, ".", "_" and "-" (3 to 64)');
const AccountName = z.string().trim().min(2).max(200);
const Account = z.strictObject({
  id: z.string(),
  login: z.string(),
  fullName: z.string(),
  role: Role,
  iin: z.string().nullable(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string().nullable(),
});
/** Import limit for one page file sent over the contract (base64 grows it by 4/3). */
export const MAX_IMPORT_BYTES = 25 * 1024 * 1024;

export const operations = {
  'app.info': operation({
    access: 'public',
    summary: 'What this workstation is: version, shell, Centre, default language, kiosk mode.',
    input: Empty,
    output: z.strictObject({
      version: z.string(),
      shell: z.enum(['electron', 'browser']),
      defaultLanguage: Language,
      kiosk: z.boolean(),
      workstationId: z.string(),
      centre: z.strictObject({ code: z.string(), bin: z.string(), name: LocalizedText }),
      /** No account exists yet: the first administrator must be created (auth.bootstrap). */
      firstRun: z.boolean(),
    }),
  }),

  'auth.login': operation({
    access: 'public',
    summary: 'P1: the operator logs in to the workstation.',
    input: z.strictObject({ login: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
    output: z.strictObject({ operator: Operator, mustChangePassword: z.boolean() }),
    errors: ['AUTH_INVALID_CREDENTIALS'],
  }),
  'auth.logout': operation({ access: 'operator', whileRestricted: true, summary: 'Ends the session.', input: Empty, output: Ok }),
  'auth.session': operation({
    access: 'public',
    summary: 'The logged-in operator, if any, and whether the session is locked or must change its password first.',
    input: Empty,
    output: SessionState,
  }),
  'auth.activity': operation({
    access: 'public',
    summary: "The operator's own input in the window (keys, pointer): the only thing that keeps the session from locking.",
    input: Empty,
    output: SessionState,
  }),
  'auth.lock': operation({ access: 'operator', summary: 'The operator steps away: lock the session now.', input: Empty, output: Ok }),
  'auth.unlock': operation({
    access: 'public',
    summary: "Unlocks the locked session with its own operator's password, back to where they were.",
    input: z.strictObject({ password: z.string().min(1).max(256) }),
    output: SessionState,
    errors: ['AUTH_INVALID_CREDENTIALS'],
  }),
  'auth.changePassword': operation({
    access: 'operator',
    whileRestricted: true,
    summary: 'The logged-in operator changes their own password (required after a reset).',
    input: z.strictObject({ current: z.string().min(1).max(256), next: z.string().min(1).max(256) }),
    output: SessionState,
    errors: ['AUTH_INVALID_CREDENTIALS', 'AUTH_PASSWORD_POLICY'],
  }),
  'auth.bootstrap': operation({
    access: 'public',
    summary: 'First start of a real installation: creates the first administrator with the one-time token printed on the machine.',
    input: z.strictObject({ token: z.string().min(1).max(64), login: AccountLogin, fullName: AccountName, iin: IdnNumber.nullable(), password: z.string().min(1).max(256) }),
    output: z.strictObject({ account: Account }),
    errors: ['ACCOUNT_BOOTSTRAP_REFUSED', 'AUTH_PASSWORD_POLICY', 'ACCOUNT_LOGIN_INVALID', 'ACCOUNT_NAME_INVALID', 'ACCOUNT_IIN_INVALID'],
  }),
  'admin.quit': operation({
    access: 'public',
    summary: 'Closes the application; in kiosk mode only an administrator may.',
    input: z.strictObject({ login: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
    output: Ok,
    errors: ['AUTH_INVALID_CREDENTIALS'],
  }),

  'accounts.list': operation({
    access: 'admin',
    summary: "The workstation's accounts (operators, supervisors, administrators), for the administrator's settings screen.",
    input: Empty,
    output: z.strictObject({ accounts: z.array(Account) }),
  }),
  'accounts.create': operation({
    access: 'admin',
    summary: 'An administrator creates an account with an initial password the owner must change.',
    input: z.strictObject({ login: AccountLogin, fullName: AccountName, role: Role, iin: IdnNumber.nullable(), password: z.string().min(1).max(256) }),
    output: z.strictObject({ account: Account }),
    errors: ['ACCOUNT_LOGIN_TAKEN', 'ACCOUNT_LOGIN_INVALID', 'ACCOUNT_NAME_INVALID', 'ACCOUNT_IIN_REQUIRED', 'ACCOUNT_IIN_INVALID', 'AUTH_PASSWORD_POLICY'],
  }),
  'accounts.update': operation({
    access: 'admin',
    summary: "An administrator changes an account's name, role or IIN.",
    input: z.strictObject({ id: Id, fullName: AccountName, role: Role, iin: IdnNumber.nullable() }),
    output: z.strictObject({ account: Account }),
    errors: ['NOT_FOUND', 'ACCOUNT_NAME_INVALID', 'ACCOUNT_IIN_REQUIRED', 'ACCOUNT_IIN_INVALID', 'ACCOUNT_LAST_ADMINISTRATOR'],
  }),
  'accounts.setDisabled': operation({
    access: 'admin',
    summary: 'An administrator disables an account (it can no longer log in) or enables it again.',
    input: z.strictObject({ id: Id, disabled: z.boolean() }),
    output: z.strictObject({ account: Account }),
    errors: ['NOT_FOUND', 'ACCOUNT_LAST_ADMINISTRATOR', 'ACCOUNT_SELF'],
  }),
  'accounts.resetPassword': operation({
    access: 'admin',
    summary: 'An administrator sets a temporary password (and lifts a lockout); the owner must change it at the next log-in.',
    input: z.strictObject({ id: Id, password: z.string().min(1).max(256) }),
    output: z.strictObject({ account: Account }),
    errors: ['NOT_FOUND', 'AUTH_PASSWORD_POLICY'],
  }),

  'catalog.services': operation({
    access: 'operator',
    summary: 'P2: the services the Centre accepts, with sub-services and document checklists.',
    input: Empty,
    output: z.strictObject({ services: z.array(Service) }),
  }),

  'applicant.lookup': operation({
    access: 'operator',
    summary: 'P3/C1: look the applicant up in the state registry by IIN or BIN.',
    input: withIdnRules(z.strictObject({ kind: ApplicantKind, number: IdnNumber })),
    output: z.strictObject({ applicant: Applicant }),
    errors: [...IDN_CODES, 'APPLICANT_NOT_FOUND', 'REGISTRY_UNAVAILABLE', 'REGISTRY_BAD_RESPONSE'],
  }),

  'request.create': operation({
    access: 'operator',
    summary: 'P2: open a request for a service and an applicant (verified by look-up, or entered by hand offline).',
    input: z.strictObject({
      serviceId: Id,
      subServiceId: Id.nullable(),
      applicant: withIdnRules(
        z.strictObject({
          kind: ApplicantKind,
          number: IdnNumber,
          /** Only when the registry could not be reached: the name as the operator typed it. */
          manualName: z.string().trim().min(2).max(300).nullable(),
        }),
      ),
    }),
    output: RequestDetail,
    errors: [...IDN_CODES, 'APPLICANT_NOT_LOOKED_UP', 'CATALOG_UNKNOWN_SERVICE', 'CATALOG_NOT_AT_CENTRE'],
  }),
  'request.get': operation({
    access: 'operator',
    summary: 'One request with its applicant, documents, pages, signature and history.',
    input: z.strictObject({ id: Id }),
    output: RequestDetail,
  }),
  'request.list': operation({
    access: 'operator',
    summary: 'Recent requests, newest first.',
    input: z.strictObject({
      status: RequestStatus.nullable().default(null),
      limit: z.number().int().min(1).max(500).default(50),
    }),
    output: z.strictObject({ items: z.array(RequestSummary) }),
  }),
  'request.setDocument': operation({
    access: 'operator',
    summary: 'P5: mark whether a paper document was presented, and whether it is the original.',
    input: z.strictObject({ requestId: Id, slotId: Id, presented: z.boolean(), original: z.boolean() }),
    output: RequestDetail,
    errors: ['REQUEST_STATE', 'REQUEST_UNKNOWN_SLOT'],
  }),
  'request.sign': operation({
    access: 'operator',
    summary: "P5: sign the completed request with the operator's key and queue it for sending.",
    input: z.strictObject({ requestId: Id, password: z.string().min(1).max(256) }),
    output: RequestDetail,
    errors: [
      'REQUEST_STATE',
      'REQUEST_INCOMPLETE',
      'REPRESENTATIVE_NOT_CONFIRMED',
      'REPRESENTATIVE_POA_PAPER_MISSING',
      'AUTH_OPERATOR_NO_IIN',
      'SIGN_NO_KEYSTORE',
      'SIGN_NO_TRUST_ROOTS',
      'SIGN_WRONG_PASSWORD',
      'SIGN_KEYSTORE_CORRUPT',
      'SIGN_KEYSTORE_NO_KEY',
      'SIGN_KEYSTORE_UNSUPPORTED',
      'SIGN_GOST_NEEDS_NCALAYER',
      'SIGN_MANIFEST_INVALID',
      'SIGN_CERT_EXPIRED',
      'SIGN_CERT_NOT_YET_VALID',
      'SIGN_CERT_IIN_MISMATCH',
      'SIGN_CERT_BIN_MISMATCH',
      'SIGN_CERT_KEY_USAGE',
      'SIGN_CERT_UNTRUSTED',
      'SIGN_CERT_REVOKED',
      'SIGN_CERT_REVOCATION_UNKNOWN',
      'SIGN_NCALAYER_NOT_RUNNING',
      'SIGN_NCALAYER_CANCELLED',
      'SIGN_NCALAYER_FAILED',
    ],
  }),

  'pages.import': operation({
    access: 'operator',
    summary: 'P5 without a scanner: attach the pages of a file (JPEG, PNG, multi-page TIFF, PDF), recognised by content.',
    input: z.strictObject({
      requestId: Id,
      slotId: Id,
      fileName: z.string().min(1).max(255),
      dataBase64: z
        .string()
        .min(4)
        .max(Math.ceil(MAX_IMPORT_BYTES / 3) * 4)
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
    }),
    output: RequestDetail,
    errors: [
      'REQUEST_STATE',
      'REQUEST_UNKNOWN_SLOT',
      ...SCAN_IMPORT_FILE_ERRORS,
      'STORAGE_DISK_FULL',
    ],
  }),
  'pages.content': operation({
    access: 'operator',
    summary: 'The bytes of a stored page, to show it.',
    input: z.strictObject({ pageId: Id }),
    output: z.strictObject({ mediaType: z.string(), dataBase64: z.string() }),
  }),
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

  'docs.receipt': operation({
    access: 'operator',
    summary: "The acceptance receipt (қолхат / расписка) in the applicant's language; printed again once the registration number arrives.",
    input: z.strictObject({ requestId: Id, language: Language }),
    output: PdfFile,
    errors: ['REQUEST_STATE', 'DOCS_UNSUPPORTED_CHARACTER', 'DOCS_ASSETS_MISSING', 'CALENDAR_OUT_OF_RANGE', 'STORAGE_DISK_FULL'],
  }),
  'docs.refusalNotice': operation({
    access: 'operator',
    summary: 'The refusal to accept an incomplete package, naming the missing documents (before signing).',
    input: z.strictObject({ requestId: Id, language: Language }),
    output: PdfFile,
    errors: ['REQUEST_STATE', 'REQUEST_NOTHING_MISSING', 'DOCS_UNSUPPORTED_CHARACTER', 'DOCS_ASSETS_MISSING', 'STORAGE_DISK_FULL'],
  }),
  'docs.expectedResult': operation({
    access: 'operator',
    summary:
      "When the provider's decision is due, by the sub-service's own rule (unit, count, what it counts from) and the working-day calendar: for a request by its own moments, else as if accepted today.",
    input: z.strictObject({ serviceId: Id, subServiceId: Id.nullable(), requestId: Id.nullable().default(null) }),
    output: z.strictObject({
      date: IsoDate,
      /** The holiday calendar of a year the period touches is not final. */
      provisional: z.boolean(),
      /** What the period counts from has not happened yet. */
      estimated: z.boolean(),
      unit: z.enum(['calendar_days', 'working_days', 'months']),
      count: z.number().int(),
      countsFrom: z.enum(['registration', 'handover']),
      countedFrom: IsoDate,
    }),
    errors: ['CATALOG_UNKNOWN_SERVICE', 'CALENDAR_OUT_OF_RANGE'],
  }),
  'print.printers': operation({
    access: 'operator',
    summary: 'The printers this workstation can print to (Electron); none under the browser host.',
    input: Empty,
    output: z.strictObject({ printers: z.array(z.strictObject({ name: z.string(), displayName: z.string() })) }),
  }),
  'print.pdf': operation({
    access: 'operator',
    summary: 'Prints a PDF the workstation made: silently to the default printer in kiosk mode; under the browser host the renderer opens it instead.',
    input: z.strictObject({ sha256: Sha256, printer: z.string().min(1).max(256).nullable() }),
    output: z.strictObject({ method: z.enum(['printed', 'open']) }),
    errors: ['NOT_FOUND', 'DOCS_PRINTER_NOT_FOUND', 'DOCS_PRINT_FAILED', 'DOCS_PRINT_CANCELLED'],
  }),

  'settings.get': operation({
    access: 'operator',
    summary: 'The workstation settings an operator may see: signing, scanner, where the configuration came from.',
    input: Empty,
    output: z.strictObject({
      signing: z.strictObject({
        provider: z.enum(['pkcs12', 'ncalayer']),
        keystoreConfigured: z.boolean(),
        trustConfigured: z.boolean(),
        ncalayerUrl: z.string(),
        /** Set when the provider comes from a machine file or the environment, which the UI cannot change. */
        providerLockedBy: z.string().nullable(),
      }),
      scanner: z.strictObject({ available: z.boolean(), reason: z.string().nullable() }),
      version: z.string(),
      workstationId: z.string(),
      configSources: z.array(z.string()),
    }),
  }),
  'settings.setSigningProvider': operation({
    access: 'admin',
    summary: 'An administrator chooses how this workstation signs: a PKCS#12 key file or NCALayer (tokens, ID cards).',
    input: z.strictObject({ provider: z.enum(['pkcs12', 'ncalayer']) }),
    output: Ok,
    errors: ['SETTINGS_LOCKED', 'STORAGE_READ_ONLY'],
  }),
  'sign.keystoreInfo': operation({
    access: 'operator',
    summary: "Opens the operator's key with the password and runs every certificate check, without signing.",
    input: z.strictObject({ password: z.string().min(1).max(256) }),
    output: z.strictObject({
      signer: z.strictObject({ subjectCn: z.string(), serial: z.string(), iin: z.string().nullable(), bin: z.string().nullable(), notAfter: z.string() }),
      revocation: z.enum(['ocsp', 'crl', 'crl-cache', 'crl-grace']),
    }),
    errors: [
      'AUTH_OPERATOR_NO_IIN',
      'SIGN_NOT_PKCS12',
      'SIGN_NO_KEYSTORE',
      'SIGN_NO_TRUST_ROOTS',
      'SIGN_WRONG_PASSWORD',
      'SIGN_KEYSTORE_CORRUPT',
      'SIGN_KEYSTORE_NO_KEY',
      'SIGN_KEYSTORE_UNSUPPORTED',
      'SIGN_GOST_NEEDS_NCALAYER',
      'SIGN_CERT_EXPIRED',
      'SIGN_CERT_NOT_YET_VALID',
      'SIGN_CERT_IIN_MISMATCH',
      'SIGN_CERT_BIN_MISMATCH',
      'SIGN_CERT_KEY_USAGE',
      'SIGN_CERT_UNTRUSTED',
      'SIGN_CERT_REVOKED',
      'SIGN_CERT_REVOCATION_UNKNOWN',
    ],
  }),

  'queue.status': operation({
    access: 'operator',
    summary: 'Whether the backend is reachable and how many requests wait in each state.',
    input: Empty,
    output: QueueStatus,
  }),
  'queue.syncNow': operation({
    access: 'operator',
    summary: 'Send now: one probe of the backend even during a pause (presses within a second share it), then the queue is sent; answers within a second with what happened.',
    input: Empty,
    output: SendNowResult,
  }),

  // The request store (issue 3): search, cancel, re-open, representative, page arrangement.
  'request.search': operation({
    access: 'operator',
    summary: 'Find requests by local number (or its beginning), registration number, full IIN/BIN, status and creation dates; newest first.',
    input: z.strictObject({
      status: RequestStatus.nullable().default(null),
      localNumber: z.string().regex(/^[A-Z0-9-]{1,40}$/, 'local number').nullable().default(null),
      registrationNumber: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'registration number').nullable().default(null),
      applicant: withIdnRules(z.strictObject({ kind: ApplicantKind, number: IdnNumber })).nullable().default(null),
      createdFrom: z.iso.datetime({ offset: true }).nullable().default(null),
      createdTo: z.iso.datetime({ offset: true }).nullable().default(null),
      limit: z.number().int().min(1).max(500).default(50),
    }),
    output: z.strictObject({ items: z.array(RequestSummary) }),
  }),
  'request.cancel': operation({
    access: 'operator',
    summary: 'Cancel a request that is not signed (the applicant withdrew, or P4 after a re-open).',
    input: z.strictObject({ requestId: Id }),
    output: RequestDetail,
    errors: ['REQUEST_STATE'],
  }),
  'request.reopen': operation({
    access: 'operator',
    summary: 'Re-open a request that needs attention so it can be corrected and signed again (only if the backend never accepted it).',
    input: z.strictObject({ requestId: Id }),
    output: RequestDetail,
    errors: ['REQUEST_STATE', 'REQUEST_OUTCOME_UNKNOWN'],
  }),
  'request.setRepresentative': operation({
    access: 'operator',
    summary: 'P3: the representative acting for the applicant under a power of attorney (null removes it); before signing.',
    input: z.strictObject({ requestId: Id, representative: Representative.nullable() }),
    output: RequestDetail,
    errors: ['REQUEST_STATE', 'REQUEST_REPRESENTATIVE_INVALID', ...IDN_CODES],
  }),
  'request.verifyRepresentative': operation({
    access: 'operator',
    summary: "P3: check the representative's power of attorney in the unified notarial system (БНАЖ).",
    input: z.strictObject({ requestId: Id }),
    output: RequestDetail,
    errors: ['REQUEST_STATE', 'REPRESENTATIVE_POA_NOT_FOUND', 'REPRESENTATIVE_POA_EXPIRED', 'REPRESENTATIVE_POA_REVOKED', 'REGISTRY_UNAVAILABLE', 'REGISTRY_BAD_RESPONSE'],
  }),
  'request.representativeException': operation({
    access: 'operator',
    summary:
      'P3: the power of attorney was certified otherwise than by a notary, so БНАЖ cannot confirm it (seed 002); its paper original is then scanned (null withdraws it). Before signing.',
    input: z.strictObject({ requestId: Id, exception: z.enum(['certified_otherwise']).nullable() }),
    output: RequestDetail,
    errors: ['REQUEST_STATE'],
  }),
  'request.requeue': operation({
    access: 'operator',
    summary: 'Send a request that needs attention again, with the same key (when what stopped it is fixed and it was never refused).',
    input: z.strictObject({ requestId: Id }),
    output: RequestDetail,
    errors: ['REQUEST_STATE'],
  }),
  'pages.delete': operation({
    access: 'operator',
    summary: 'P5: remove a scanned page before signing.',
    input: z.strictObject({ requestId: Id, pageId: Id }),
    output: RequestDetail,
    errors: ['REQUEST_STATE', 'REQUEST_UNKNOWN_PAGE'],
  }),
  'pages.reorder': operation({
    access: 'operator',
    summary: "P5: put a document's pages in a new order before signing (every page of the slot, once).",
    input: z.strictObject({ requestId: Id, slotId: Id, pageIds: z.array(Id).min(1).max(500) }),
    output: RequestDetail,
    errors: ['REQUEST_STATE', 'REQUEST_UNKNOWN_SLOT', 'REQUEST_PAGE_ORDER'],
  }),
  'pages.rotate': operation({
    access: 'operator',
    summary: 'P5: turn a page (degrees clockwise) before signing.',
    input: z.strictObject({ requestId: Id, pageId: Id, rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]) }),
    output: RequestDetail,
    errors: ['REQUEST_STATE', 'REQUEST_UNKNOWN_PAGE'],
  }),

  // The sync step (issue 4): what came back (P8, P9) and handing it over.
  'result.get': operation({
    access: 'operator',
    summary: "P8/P9: the provider's decision: refusal reasons as sent, or the result with its signature check; the PDF only when its provider signature is valid.",
    input: z.strictObject({ requestId: Id }),
    output: z.strictObject({
      requestId: z.string(),
      status: RequestStatus,
      registrationNumber: z.string().nullable(),
      decidedAt: z.string().nullable(),
      refusal: z.strictObject({ reasons: z.array(z.strictObject({ code: z.string(), text: LocalizedText })) }).nullable(),
      result: z
        .strictObject({
          sha256: Sha256,
          size: z.number().int(),
          verification: z.enum(['valid', 'invalid', 'unverified']),
          /** Why it is not valid (a SIGN_VERIFY_* code), or null. */
          verificationCode: z.string().nullable(),
          signerCn: z.string().nullable(),
          signedAt: z.string().nullable(),
          receivedAt: z.string(),
        })
        .nullable(),
      /** The provider-signed PDF: present only when its signature verifies. */
      pdf: PdfFile.nullable(),
      issued: z.strictObject({ at: z.string(), recipient: z.enum(['applicant', 'representative']) }).nullable(),
    }),
    errors: ['NOT_FOUND'],
  }),
  'request.issue': operation({
    access: 'operator',
    summary: 'P9: hand the result (or the reasoned refusal) to the applicant or the representative: records it, queues the acknowledgement and makes the issuance sheet.',
    input: z.strictObject({ requestId: Id, recipient: z.enum(['applicant', 'representative']), language: Language }),
    output: PdfFile,
    errors: ['REQUEST_STATE', 'RESULT_NO_REPRESENTATIVE', 'DOCS_UNSUPPORTED_CHARACTER', 'DOCS_ASSETS_MISSING', 'STORAGE_DISK_FULL'],
  }),
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
