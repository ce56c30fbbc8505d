/**
 * The shapes that cross the boundary between the main process and the renderer.
 * Inputs are strict (unknown keys are rejected); outputs are what the renderer may rely on.
 */
import { z } from 'zod';
import { IDN_ERROR_CODES, idnProblem, type IdnKind } from './idn.js';
import { REQUEST_STATUSES } from './statuses.js';

export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

/** A text in the three UI languages. */
export const LocalizedText = z.strictObject({ kk: z.string(), ru: z.string(), en: z.string() });
export type LocalizedText = z.infer<typeof LocalizedText>;

export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'id');
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256');
export const IsoDateTime = z.iso.datetime({ offset: true });
export const IsoDate = z.iso.date();

export const Role = z.enum(['operator', 'supervisor', 'administrator']);
export type Role = z.infer<typeof Role>;
export const Operator = z.strictObject({
  id: z.string(),
  login: z.string(),
  fullName: z.string(),
  role: Role,
});
export type Operator = z.infer<typeof Operator>;

/**
 * Request lifecycle (Diagram 3). The main path:
 * draft → applicant_verified | applicant_unverified → documents_complete → signed → queued →
 * sent → registered → under_review → refused | result_ready → issued;
 * plus needs_attention and cancelled (cancel only before signing).
 */
export { REQUEST_STATUSES } from './statuses.js';
export const RequestStatus = z.enum(REQUEST_STATUSES);
export type RequestStatus = z.infer<typeof RequestStatus>;

export const DeadlineRule = z.strictObject({
  unit: z.enum(['calendar_days', 'working_days', 'months']),
  count: z.number().int().positive(),
  /**
   * What the period is counted from, by the sub-service's own regulation: the request's
   * registration in E-licensing, or the handing of the package to the State Corporation (the
   * operator's acceptance at the counter). See deadline-words.ts.
   */
  countsFrom: z.enum(['registration', 'handover']),
});

export const DocumentChecklistItem = z.strictObject({
  id: Id,
  name: LocalizedText,
  required: z.boolean(),
  /** Whether the Centre accepts a copy or needs the original to be presented. */
  originalRequired: z.boolean(),
});
export type DocumentChecklistItem = z.infer<typeof DocumentChecklistItem>;

/**
 * Where a catalogue entry comes from: a paragraph (or table) of a seed regulation, and the seed's
 * line it quotes. The catalogue file carries each cited paragraph's heading line (see
 * catalog.ts), so a citation of a paragraph its seed does not have refuses the start.
 */
export const SeedCitation = z.strictObject({
  seed: z.string().regex(/^\d{3}$/, 'seed number'),
  paragraph: z.string().min(1).max(80),
  line: z.number().int().positive(),
  quote: z.string().trim().min(1).max(400),
});
export type SeedCitation = z.infer<typeof SeedCitation>;

export const SubService = z.strictObject({
  id: Id,
  name: LocalizedText,
  deadline: DeadlineRule,
  /** The seed paragraph and line that give this sub-service and its deadline. */
  source: SeedCitation,
  /** What the applicant receives (a permit, a re-issued licence, a duplicate, ...). */
  resultType: LocalizedText,
  /** The application form the regulation names for this sub-service (seed 003: Appendix 1, 2 or 3). */
  applicationForm: LocalizedText.optional(),
  /** This sub-service's checklist: documents of the service's list, each required or not here. */
  documents: z.array(z.strictObject({ id: Id, required: z.boolean() })).min(1, 'a sub-service lists its documents'),
  /** The deadline of a reasoned refusal, where the regulation gives one (seed 003: 15 / 5 calendar days). */
  refusalDeadline: z
    .strictObject({ unit: z.enum(['calendar_days', 'working_days', 'months']), count: z.number().int().positive(), source: SeedCitation })
    .optional(),
});

/**
 * The legal act a catalogue entry rests on, with its dates as the act's own status lines give them
 * (adopted; in force from; repealed by which act, on which date). `statusLine` is the line of the
 * seed text that states the repeal ("Күші жойылды - …"), when the text carries one.
 */
export const LegalAct = z.strictObject({
  title: LocalizedText,
  adopted: IsoDate,
  inForce: IsoDate.nullable(),
  repealed: IsoDate.nullable(),
  repealedBy: LocalizedText.nullable(),
  statusLine: z.strictObject({ line: z.number().int().positive(), quote: z.string().trim().min(1).max(400) }).nullable(),
});
export type LegalAct = z.infer<typeof LegalAct>;

/** Whether an act applies on a day: in force, repealed, or not yet in force. */
export const ActValidity = z.enum(['in_force', 'repealed', 'not_yet_in_force']);
export type ActValidity = z.infer<typeof ActValidity>;

export const Service = z.strictObject({
  id: Id,
  name: LocalizedText,
  provider: LocalizedText,
  resultType: LocalizedText,
  applicantKinds: z.array(z.enum(['iin', 'bin'])),
  centreChannel: z.boolean(),
  subServices: z.array(SubService),
  documents: z.array(DocumentChecklistItem),
  /** Where the document list comes from (the seeds do not list documents: these are defaults). */
  documentsNote: LocalizedText,
  /** The seed line the note rests on, when the note cites one (true for its own seed only). */
  documentsNoteSource: SeedCitation.nullable(),
  legalBasis: z.string(),
  /**
   * The paragraphs that give the counter's refusals (issue 13): P4 "data cannot be obtained"
   * (the applicant is absent from the state registry), and the documents the package must hold
   * (a ground to refuse an incomplete package or expired documents). Printed on the refusal paper.
   */
  counterGrounds: z.strictObject({ dataUnavailable: SeedCitation.optional(), documents: SeedCitation.optional() }).optional(),
  /** The seed regulation this entry comes from ('000' ... '004'). */
  seed: z.string().regex(/^\d{3}$/, 'seed number'),
});
export type Service = z.infer<typeof Service>;

/** A service as the catalogue offers it today: with its act and whether that act is in force. */
export const OfferedService = Service.extend({ act: LegalAct, validity: ActValidity });
export type OfferedService = z.infer<typeof OfferedService>;

export const ApplicantKind = z.enum(['iin', 'bin']);

/**
 * An IIN or BIN rule broken at the boundary: the issue carries the rule's own error code
 * (params.appCode), which the dispatcher returns instead of VALIDATION (see idn.ts).
 */
function idnIssue(kind: IdnKind, value: string, path: PropertyKey[]): z.core.$ZodRawIssue | null {
  const problem = idnProblem(kind, value);
  if (!problem) return null;
  const appCode = IDN_ERROR_CODES[kind][problem];
  return { code: 'custom', input: value, path, message: appCode, params: { appCode, kind } };
}

/** A 12-digit IIN checked by every IIN rule (check digit, date of birth, century digit). */
export const IinNumber = z.string().regex(/^\d{12}$/, 'twelve digits').superRefine((v, ctx) => {
  const issue = idnIssue('iin', v, []);
  if (issue) ctx.addIssue(issue);
});

/** The applicant's number with its kind, checked by the rules of that kind. */
export function withIdnRules<T extends z.ZodType<{ kind: IdnKind; number: string }>>(schema: T): T {
  return schema.superRefine((v, ctx) => {
    const issue = idnIssue(v.kind, v.number, ['number']);
    if (issue) ctx.addIssue(issue);
  });
}
export const RegistryStatus = z.enum(['active', 'deceased', 'liquidated', 'unknown']);

export const Applicant = z.strictObject({
  kind: ApplicantKind,
  number: z.string(),
  name: z.string(),
  /** Individuals: birth date. Legal entities: registration date. */
  date: z.string().nullable(),
  /** Legal entities: the head and address. */
  head: z.string().nullable(),
  address: z.string().nullable(),
  registryStatus: RegistryStatus,
  /** True when the state registry confirmed the data; false when entered by hand offline. */
  verified: z.boolean(),
  fetchedAt: IsoDateTime.nullable(),
});
export type Applicant = z.infer<typeof Applicant>;

export const Page = z.strictObject({
  id: z.string(),
  slotId: z.string(),
  position: z.number().int(),
  sha256: Sha256,
  size: z.number().int(),
  mediaType: z.string(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  dpi: z.number().int().nullable(),
  rotation: z.number().int(),
  /** The page's file is gone from the data folder (found by the start-up reconciliation). */
  missing: z.boolean(),
  /** The content's skew in degrees as the scan measured it (null: not measured); the viewer marks |skew| >= 1.5. */
  skewDeg: z.number().nullable(),
});
export type Page = z.infer<typeof Page>;

export const DocumentSlot = z.strictObject({
  slotId: z.string(),
  name: LocalizedText,
  required: z.boolean(),
  presented: z.boolean(),
  original: z.boolean(),
  /** The operator found the document's validity expired: it cannot be accepted (a ground to refuse). */
  expired: z.boolean(),
  pages: z.array(Page),
});
export type DocumentSlot = z.infer<typeof DocumentSlot>;

export const RequestSummary = z.strictObject({
  id: z.string(),
  localNumber: z.string(),
  serviceId: z.string(),
  subServiceId: z.string().nullable(),
  status: RequestStatus,
  registrationNumber: z.string().nullable(),
  applicantKind: ApplicantKind,
  /** Shown masked in lists (first 4 and last 2 digits) to keep personal data narrow. */
  applicantNumberMasked: z.string(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  lastError: z.string().nullable(),
  /** A problem found outside the lifecycle that the operator must see (e.g. STORAGE_FILE_MISSING). */
  attention: z.string().nullable(),
});
export type RequestSummary = z.infer<typeof RequestSummary>;

/** A request as the work list shows it: its summary, when it was accepted, and when the provider's decision is due. */
export const WorklistItem = RequestSummary.extend({
  /** Signed and queued at the counter (null before). */
  acceptedAt: IsoDateTime.nullable(),
  /** By the one deadline rule (requests/expected-result.ts); null for a service the catalogue no longer has. */
  due: z.strictObject({ date: IsoDate, estimated: z.boolean(), provisional: z.boolean() }).nullable(),
  /** False while the applicant was entered by hand offline and the registry has not confirmed them (checked at sending). */
  applicantVerified: z.boolean(),
  /**
   * The refusal recorded for the request, whose paper the work list offers: P4 found at sending
   * (ground data_unavailable, stage sending), or the refusal to accept documents. `settled`: its
   * paper was printed for the applicant (or retention forgot it): a request refused at sending no
   * longer needs the operator then, and the work list shows it closed.
   */
  refusal: z
    .strictObject({ id: z.string(), ground: z.enum(['data_unavailable', 'incomplete', 'expired']), stage: z.enum(['counter', 'sending']), settled: z.boolean() })
    .nullable(),
});
export type WorklistItem = z.infer<typeof WorklistItem>;

export const SignatureInfo = z.strictObject({
  signedAt: IsoDateTime,
  signerName: z.string(),
  certificateSerial: z.string(),
  certificateNotAfter: IsoDateTime,
  algorithm: z.string(),
  manifestSha256: Sha256,
});

/** Someone acting for the applicant under a power of attorney (сенімхат / доверенность). */
export const Representative = z.strictObject({
  iin: IinNumber,
  name: z.string().trim().min(2).max(300),
  powerOfAttorney: z.strictObject({
    number: z.string().trim().min(1).max(64),
    date: IsoDate,
    notary: z.string().trim().min(2).max(300).nullable(),
  }),
});
export type Representative = z.infer<typeof Representative>;

/** The representative as recorded: whether the notarial registry (БНАЖ) confirmed the power of attorney. */
export const RecordedRepresentative = Representative.extend({
  verified: z.boolean(),
  /**
   * The exception the operator recorded instead of the registry's confirmation: a power of
   * attorney certified otherwise than by a notary is not in БНАЖ (seed 002); its paper original
   * is then presented and scanned. Without one or the other, signing is refused.
   */
  exception: z.enum(['certified_otherwise']).nullable(),
});
export type RecordedRepresentative = z.infer<typeof RecordedRepresentative>;

/** The language of the papers handed to the applicant (the two state languages). */
export const ApplicantLanguage = z.enum(['kk', 'ru']);
export type ApplicantLanguage = z.infer<typeof ApplicantLanguage>;

export const RequestDetail = RequestSummary.extend({
  /** Set by the operator (default: the UI's language); the receipt and the other papers print in it. */
  applicantLanguage: ApplicantLanguage,
  applicant: Applicant,
  representative: RecordedRepresentative.nullable(),
  slots: z.array(DocumentSlot),
  signature: SignatureInfo.nullable(),
  history: z.array(
    z.strictObject({ status: RequestStatus, at: IsoDateTime, step: z.string().nullable(), actor: z.string() }),
  ),
});
export type RequestDetail = z.infer<typeof RequestDetail>;

/**
 * The line to the backend as the operator is told it (src-main/sync/link-state.ts): online,
 * offline, the backend in maintenance, or rate limiting us.
 */
export const LinkState = z.enum(['online', 'offline', 'maintenance', 'rate_limited']);
export type LinkState = z.infer<typeof LinkState>;

export const QueueStatus = z.strictObject({
  online: z.boolean(),
  /** Which state the line is in (online is `online`; the others say why not). */
  link: LinkState,
  /** Maintenance or rate limit: when the backend said it would answer again. */
  linkUntil: IsoDateTime.nullable(),
  /** The last successful exchange with the backend (null: none since the start). */
  lastContactAt: IsoDateTime.nullable(),
  lastProbeAt: IsoDateTime.nullable(),
  /**
   * A problem of this workstation, not of a request (TLS, the client certificate, the protocol
   * version, the local disk): nothing is sent until an administrator fixes it. An error code.
   */
  problem: z.string().nullable(),
  counts: z.strictObject({
    queued: z.number().int(),
    sent: z.number().int(),
    registered: z.number().int(),
    /** The requests the work list marks as needing the operator (worklist-model.ts needsAttention). */
    needsAttention: z.number().int(),
  }),
});
export type QueueStatus = z.infer<typeof QueueStatus>;

/** What "Send now" did: one probe (even during a pause), answered within a second. */
export const SendNowResult = z.strictObject({
  /**
   * `sending`: the backend answered and the queue is being sent; `up_to_date`: it answered and
   * nothing waits; `maintenance` / `rate_limited`: still, until `until`; `unreachable`; `problem`:
   * a problem of this workstation (the code in `problem`); `checking`: no answer within a second
   * yet (the header follows when it comes).
   */
  outcome: z.enum(['sending', 'up_to_date', 'maintenance', 'rate_limited', 'unreachable', 'problem', 'checking']),
  until: IsoDateTime.nullable(),
  problem: z.string().nullable(),
  /** Requests waiting to be sent. */
  queued: z.number().int().min(0),
});
export type SendNowResult = z.infer<typeof SendNowResult>;
