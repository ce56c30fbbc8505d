/** The regulation's clock: the supervisor's dashboard, step norms, the step timer, screen marks, the questionnaire. */
import { z } from 'zod';
import { operation } from '../define.js';
import { IsoDate } from '../model.js';
import { Answer, Dashboard, DashboardFigures, DashboardLists, DashboardScope, Screen, ServiceNorms, StepTimer } from '../report.js';
import { Empty, Ok } from './shared.js';

const DashboardQuery = z.strictObject({
  from: IsoDate,
  to: IsoDate,
  scope: DashboardScope,
  operatorId: z.string().max(64).nullable().optional(),
  serviceId: z.string().max(100).nullable().optional(),
  /** Near = due within this many days (default 3). */
  nearDays: z.number().int().min(0).max(60).optional(),
  /** Queue waits longer than this are listed (default 60). */
  queueMinutes: z.number().int().min(1).max(100_000).optional(),
});

export const reportOps = {
  'report.dashboard': operation({
    access: 'supervisor',
    summary: "The supervisor's whole dashboard for a period (what the export holds): counts, step times against norms, every deadline near or past, queue waits, Appendix 3 indicators.",
    input: DashboardQuery,
    output: Dashboard,
    errors: ['REPORT_PERIOD_INVALID'],
  }),
  'report.figures': operation({
    access: 'supervisor',
    summary: "The dashboard's first answer: counts, each step's median / p95 against its norm, indicators, in the scope asked for (what the charts draw, without waiting for the lists).",
    input: DashboardQuery,
    output: DashboardFigures,
    errors: ['REPORT_PERIOD_INVALID'],
  }),
  'report.lists': operation({
    access: 'supervisor',
    summary: "The dashboard's second answer, this workstation's: deadlines near or past and queue waits (the first `limit`, with their totals) and the period's latest requests with their step times.",
    input: DashboardQuery.omit({ scope: true }).extend({
      /** How many deadlines and queue waits to list (default 50; "show more" asks more). */
      limit: z.number().int().min(1).max(10_000).optional(),
    }),
    output: DashboardLists,
    errors: ['REPORT_PERIOD_INVALID'],
  }),
  'report.stepNorms': operation({
    access: 'operator',
    summary: 'The step norms of every service (or one), with their source in the regulations; a service without norms says so.',
    input: z.strictObject({ serviceId: z.string().max(100).nullable() }),
    output: z.strictObject({ version: z.number().int(), services: z.array(ServiceNorms) }),
  }),
  'step.timer': operation({
    access: 'operator',
    summary: "The operator's step timer: the current Diagram 3 step of a request (or of the counter), its elapsed monotonic time and norm.",
    input: z.strictObject({
      requestId: z.string().max(64).nullable(),
      /** The service the screen shows when no request is open yet (its norms apply to P2/P3). */
      serviceId: z.string().max(100).nullable().optional(),
    }),
    output: StepTimer,
  }),
  'step.screenReady': operation({
    access: 'public',
    summary: "The renderer's mark: a screen is ready, latencyMs after the operator's action (the app's own latency, apart from waiting on paper).",
    input: z.strictObject({
      screen: Screen,
      requestId: z.string().max(64).nullable(),
      /** The service being accepted when no request is open yet (the applicant screen of P2/P3). */
      serviceId: z.string().max(100).nullable().optional(),
      latencyMs: z.number().min(0).max(600_000),
    }),
    output: Ok,
  }),
  'questionnaire.submit': operation({
    access: 'operator',
    summary: "Appendix 3: the applicant's answers after P9 or a counter refusal, stored against the service (never the applicant), once per request or refusal.",
    /**
     * requestId: after P9 or a refusal of that request. requestId null: after a P4 refusal at
     * look-up (no request was opened), against the service being accepted; refusalId (the counter
     * refusal's id) then keeps it to one questionnaire per refusal.
     */
    input: z.strictObject({
      requestId: z.string().max(64).nullable(),
      refusalId: z.string().max(64).nullable().optional(),
      quality: Answer.nullable(),
      information: Answer.nullable(),
    }),
    output: Ok,
    errors: ['QUESTIONNAIRE_ALREADY_ANSWERED', 'QUESTIONNAIRE_NOT_OFFERED'],
  }),
  'report.parked': operation({
    access: 'supervisor',
    summary: 'Step events the licensing backend refused for good (never sent again), by reason: how many, first and last set aside.',
    input: Empty,
    output: z.strictObject({
      items: z.array(z.strictObject({ code: z.string(), events: z.number().int().nonnegative(), firstAt: z.string(), lastAt: z.string() })),
    }),
  }),
} as const;
