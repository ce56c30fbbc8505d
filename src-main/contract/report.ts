/**
 * The regulation's clock, as the contract shows it: Diagram 3 step events timed against their
 * norms (assets/catalog/norms.json), the supervisor's dashboard, the operator's step timer, the
 * renderer's "screen ready" marks (the app's own latency) and the Appendix 3 questionnaire.
 *
 * The operations are in ops/report.ts; the renderer imports these types only.
 */
import { z } from 'zod';
import { IsoDate, LocalizedText } from './model.js';

/**
 * The Diagram 3 steps a duration is reported for. C1 (the registry's check) is timed with P3 (the
 * look-up asked → answered); P8 (the provider's refusal) with C2 (the decision).
 */
export const STEP_IDS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'C2', 'P9'] as const;
export const StepId = z.enum(STEP_IDS);
export type StepId = z.infer<typeof StepId>;

/** What happened: each kind closes (or opens) one step; see src-main/reports/README.md. */
export const STEP_EVENT_KINDS = [
  'login',
  'service_chosen',
  'lookup_asked',
  'lookup_answered',
  'p4_recorded',
  'documents_marked',
  'scan_started',
  'scan_finished',
  'signed',
  'queued',
  'sent',
  'registered',
  'decided',
  'handed_over',
  'cancelled',
  'reopened',
  'screen_ready',
] as const;
export const StepEventKind = z.enum(STEP_EVENT_KINDS);
export type StepEventKind = z.infer<typeof StepEventKind>;

/** The screens whose readiness the renderer reports (Diagram 3 screens plus the log-in). */
export const SCREENS = ['login', 'service', 'applicant', 'documents', 'scan', 'sign', 'queue', 'result', 'issue', 'dashboard'] as const;
export const Screen = z.enum(SCREENS);
export type Screen = z.infer<typeof Screen>;

/** One step norm of a service, with where the regulation says it. */
export const StepNorm = z.strictObject({
  step: StepId,
  /** The norm's upper bound, in milliseconds (what "over norm" is measured against). */
  maxMs: z.number().int().positive(),
  /** The lower bound of a range norm ("30 sec – 1 minute"), in milliseconds, or null. */
  minMs: z.number().int().positive().nullable(),
  /** As printed: the figure(s) and the unit. */
  printed: z.strictObject({ min: z.number().positive().nullable(), max: z.number().positive(), unit: z.enum(['seconds', 'minutes']) }),
  source: z.strictObject({ seed: z.string(), table: z.string(), row: z.string(), lines: z.string(), quote: z.string() }),
});
export type StepNorm = z.infer<typeof StepNorm>;

export const ServiceNorms = z.strictObject({
  serviceId: z.string(),
  /** Step norms of the service's regulation; empty when it sets none (then `noNorms` says why). */
  steps: z.array(StepNorm),
  noNorms: LocalizedText.nullable(),
});
export type ServiceNorms = z.infer<typeof ServiceNorms>;

/** What the dashboard counts (accepted = signed and queued at the counter). */
export const OutcomeCounts = z.strictObject({
  accepted: z.number().int(),
  /** Refused at the counter: documents incomplete (cancelled before signing with slots missing). */
  refusedIncomplete: z.number().int(),
  /** Refused at the counter: P4, the registry could not give the applicant's data. */
  refusedP4: z.number().int(),
  registered: z.number().int(),
  /** Decided by the provider (refused or result ready). */
  decided: z.number().int(),
  issued: z.number().int(),
});
export type OutcomeCounts = z.infer<typeof OutcomeCounts>;

const Duration = z.strictObject({ count: z.number().int(), medianMs: z.number().nullable(), p95Ms: z.number().nullable() });

export const StepStat = z.strictObject({
  step: StepId,
  /** null: all services together (norms then apply per service: overNormShare is over the steps that have one). */
  serviceId: z.string().nullable(),
  count: z.number().int(),
  medianMs: z.number().nullable(),
  p95Ms: z.number().nullable(),
  /** The service's norm (null for all services, or a service without one). */
  normMs: z.number().nullable(),
  /** Share (0..1) of the steps that had a norm and took longer; null when none had a norm. */
  overNormShare: z.number().nullable(),
  /** Steps measured with a norm (the denominator of overNormShare). */
  withNorm: z.number().int(),
  /** The app's own latency within this step (screen-ready marks), apart from the operator's and applicant's time. */
  appLatency: Duration,
});
export type StepStat = z.infer<typeof StepStat>;

export const DeadlineWatch = z.strictObject({
  requestId: z.string(),
  localNumber: z.string(),
  serviceId: z.string(),
  subServiceId: z.string().nullable(),
  status: z.string(),
  /** The due date (Almaty date) by the one deadline rule (requests/expected-result.ts). */
  dueDate: IsoDate,
  unit: z.enum(['calendar_days', 'working_days', 'months']),
  state: z.enum(['near', 'past']),
  /** Calendar days from today to the due date (negative: past). */
  daysLeft: z.number().int(),
});

export const QueueWait = z.strictObject({ requestId: z.string(), localNumber: z.string(), serviceId: z.string(), queuedAt: z.string(), waitMs: z.number() });

export const QUESTIONNAIRE_ANSWERS = [1, 2, 3] as const;
/** Appendix 3: 1 not satisfied, 2 partially satisfied, 3 satisfied. */
export const Answer = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export const Indicator = z.strictObject({
  serviceId: z.string(),
  question: z.enum(['quality', 'information']),
  answers: z.strictObject({ '1': z.number().int(), '2': z.number().int(), '3': z.number().int() }),
  total: z.number().int(),
  /** Share answering 3 (satisfied); null with no answers. */
  satisfiedShare: z.number().nullable(),
});

/** One request of the period with its step times (the dashboard's table). */
export const TimedRequest = z.strictObject({
  /** null for a P4 refusal at look-up time: no request was opened (then `eventId` names it). */
  requestId: z.string().nullable(),
  eventId: z.string(),
  localNumber: z.string().nullable(),
  serviceId: z.string().nullable(),
  operatorId: z.string(),
  at: z.string(),
  outcome: z.enum(['in_progress', 'accepted', 'refused_p4', 'refused_incomplete', 'cancelled', 'registered', 'decided', 'issued']),
  /** Marked when the request was cancelled or re-opened: its events are kept, not deleted. */
  marks: z.array(z.enum(['cancelled', 'reopened'])),
  steps: z.array(z.strictObject({ step: StepId, ms: z.number(), overNorm: z.boolean().nullable() })),
});

export const DashboardScope = z.enum(['workstation', 'centre']);

export const Dashboard = z.strictObject({
  /** What the figures cover: this workstation, or the whole Centre (from the licensing backend). */
  scope: DashboardScope,
  /** Why that scope: asked for, or the Centre was asked for but the backend could not be reached. */
  scopeNote: z.enum(['requested', 'centre_unreachable']),
  /** Workstations whose events the figures include (1 for this workstation). */
  workstations: z.number().int(),
  asOf: z.string(),
  today: IsoDate,
  period: z.strictObject({ from: IsoDate, to: IsoDate }),
  counts: z.strictObject({ today: OutcomeCounts, period: OutcomeCounts }),
  byOperator: z.array(z.strictObject({ operatorId: z.string(), name: z.string(), today: OutcomeCounts, period: OutcomeCounts })),
  byService: z.array(z.strictObject({ serviceId: z.string(), name: LocalizedText, today: OutcomeCounts, period: OutcomeCounts })),
  steps: z.array(StepStat),
  deadlines: z.array(DeadlineWatch),
  queueWaits: z.strictObject({ thresholdMinutes: z.number(), requests: z.array(QueueWait) }),
  indicators: z.array(Indicator),
  requests: z.array(TimedRequest),
});
export type Dashboard = z.infer<typeof Dashboard>;

/** The dashboard's first answer (report.figures): what its charts and count tables draw. */
export const DashboardFigures = Dashboard.pick({
  scope: true,
  scopeNote: true,
  workstations: true,
  asOf: true,
  today: true,
  period: true,
  counts: true,
  byOperator: true,
  byService: true,
  steps: true,
  indicators: true,
});
export type DashboardFigures = z.infer<typeof DashboardFigures>;

/**
 * The dashboard's second answer (report.lists), this workstation's: deadlines near or past and
 * queue waits, each the first `limit` with how many there are ("show more" asks a larger limit),
 * and the period's latest requests with their step times.
 */
export const DashboardLists = z.strictObject({
  deadlines: z.array(DeadlineWatch),
  deadlinesTotal: z.number().int(),
  queueWaits: z.strictObject({ thresholdMinutes: z.number(), requests: z.array(QueueWait), total: z.number().int() }),
  requests: z.array(TimedRequest),
});
export type DashboardLists = z.infer<typeof DashboardLists>;

export const StepTimer = z.strictObject({
  /** The step the request (or, with no request, the operator) is in, or null (nothing to time). */
  step: StepId.nullable(),
  serviceId: z.string().nullable(),
  /** Monotonic time since the step began, when asked; the renderer counts on from it. */
  elapsedMs: z.number().nullable(),
  normMs: z.number().nullable(),
  /** When to turn amber (80 % of the norm, or its lower bound when it has one). */
  nearMs: z.number().nullable(),
});
export type StepTimer = z.infer<typeof StepTimer>;

/** One step event as sent to the licensing backend's report endpoint (docs/gateway-protocol.md). */

export interface StepEventWire {
  id: string;
  kind: string;
  step: string | null;
  requestId: string | null;
  serviceId: string | null;
  operatorId: string;
  /** The operator whose counter the event counts for (the request's), for per-operator figures. */
  counterOperatorId: string;
  at: string;
  day: string;
  durationMs: number | null;
  clock: 'monotonic' | 'wall' | null;
  latencyMs: number | null;
  screen: string | null;
  outcome: string | null;
  /** The outcome this event counts (once per request), or null. */
  counted: string | null;
}

