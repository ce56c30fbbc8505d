/**
 * The reports' domain service: the supervisor's dashboard (this workstation's figures, or the
 * Centre's from the licensing backend when it answers), the Appendix 3 answers, the step norms.
 */
import { AppError } from '../contract/errors.js';
import type { Catalog } from '../catalog/catalog.js';
import { localDateOf } from '../calendar/index.js';
import type { Dashboard, DashboardFigures, DashboardLists } from '../contract/report.js';
import { writeTx, type Db } from '../db/database.js';
import type { RequestRow } from '../db/repos/requests.js';
import type { Logger } from '../host/logger-types.js';
import { checkPeriod, DashboardReport, type DashboardQuery, type Figures } from './dashboard.js';
import type { StepLog } from './step-log.js';

export interface DashboardInput {
  from: string;
  to: string;
  scope: 'workstation' | 'centre';
  operatorId?: string | null | undefined;
  serviceId?: string | null | undefined;
  nearDays?: number | undefined;
  queueMinutes?: number | undefined;
}

/** The Centre's figures for a period (all its workstations' events), from the licensing backend. */
export type CentreSource = (q: DashboardQuery) => Promise<Figures & { workstations: number }>;

function queryOf(input: Omit<DashboardInput, 'scope'>): DashboardQuery {
  return {
    from: input.from,
    to: input.to,
    operatorId: input.operatorId ?? null,
    serviceId: input.serviceId ?? null,
    nearDays: input.nearDays ?? 3,
    queueMinutes: input.queueMinutes ?? 60,
  };
}

/** Statuses after which the applicant may be handed the questionnaire (P9, or a refusal at the counter). */
const QUESTIONNAIRE_AFTER = new Set(['issued', 'refused', 'cancelled']);

export class ReportService {
  private readonly report: DashboardReport;

  constructor(
    private readonly db: Db,
    readonly steps: StepLog,
    catalog: Catalog,
    private readonly deps: { now: () => Date; log: Logger; centre: CentreSource | null; request: (id: string) => RequestRow; online?: () => boolean },
  ) {
    this.report = new DashboardReport(steps.events, catalog, steps.norms, deps.now);
  }

  /**
   * The whole dashboard as report.dashboard (and the export) asks for it: the figures, then every
   * deadline and queue wait (defaults: near = 3 days, queue waits over 60 minutes).
   */
  async dashboard(input: DashboardInput): Promise<Dashboard> {
    const figures = await this.figuresOf(input);
    const lists = this.lists(input, Number.MAX_SAFE_INTEGER);
    return { ...figures, deadlines: lists.deadlines, queueWaits: { thresholdMinutes: lists.queueWaits.thresholdMinutes, requests: lists.queueWaits.requests }, requests: lists.requests };
  }

  /**
   * The dashboard's first answer (report.figures): counts, step statistics and indicators in the
   * scope asked for (the Centre's from the backend when it answers, else this workstation's, and
   * which it shows): what the first chart needs, without waiting for the lists.
   */
  async figuresOf(input: DashboardInput): Promise<DashboardFigures> {
    const q = queryOf(input);
    const now = this.deps.now();
    let figures: Figures & { workstations: number };
    let note: Dashboard['scopeNote'] = 'requested';
    let shown: Dashboard['scope'] = input.scope;
    checkPeriod(q.from, q.to);
    if (input.scope === 'centre' && this.deps.centre && (this.deps.online?.() ?? true)) {
      try {
        // The questionnaire's answers stay on the workstation: its indicators are this workstation's.
        figures = { ...(await this.deps.centre(q)), indicators: this.report.indicators(q) };
      } catch (e) {
        if (e instanceof AppError && e.code === 'REPORT_PERIOD_INVALID') throw e;
        this.deps.log.warn({ err: e }, 'the Centre report could not be fetched: showing this workstation');
        figures = { ...this.report.figures(q), workstations: 1 };
        note = 'centre_unreachable';
        shown = 'workstation';
      }
    } else {
      figures = { ...this.report.figures(q), workstations: 1 };
      if (input.scope === 'centre') {
        note = 'centre_unreachable';
        shown = 'workstation';
      }
    }
    return { scope: shown, scopeNote: note, asOf: now.toISOString(), today: localDateOf(now), period: { from: q.from, to: q.to }, ...figures };
  }

  /** The dashboard's second answer (report.lists): this workstation's deadlines and queue waits (the first `limit` of each) and latest requests. */
  lists(input: Omit<DashboardInput, 'scope'>, limit: number): DashboardLists {
    const q = queryOf(input);
    checkPeriod(q.from, q.to);
    return this.report.lists(q, limit);
  }

  /** This workstation's figures (what the backend's Centre report is made of, and the offline view). */
  figures(q: DashboardQuery): Figures {
    return this.report.figures(q);
  }

  /**
   * Appendix 3: stores the answers against the service and the day only. Asked once per request,
   * after P9 or a refusal at the counter; after a P4 refusal at look-up (no request), against the
   * service the operator was accepting.
   */
  answer(operatorId: string, subject: { requestId: string | null; refusalId: string | null }, quality: number | null, information: number | null): void {
    writeTx(this.db, () => {
      const events = this.steps.events;
      let serviceId: string | null;
      let given: string | null;
      if (subject.requestId) {
        const r = this.deps.request(subject.requestId);
        if (!QUESTIONNAIRE_AFTER.has(r.status)) throw new AppError('QUESTIONNAIRE_NOT_OFFERED');
        given = `request:${r.id}`;
        serviceId = r.service_id;
      } else {
        serviceId = events.lastServiceOfOperator(operatorId);
        if (!serviceId) throw new AppError('QUESTIONNAIRE_NOT_OFFERED');
        given = subject.refusalId ? `refusal:${subject.refusalId}` : null;
      }
      if (given && events.questionnaireGiven(given)) throw new AppError('QUESTIONNAIRE_ALREADY_ANSWERED');
      events.recordAnswers(given, serviceId, localDateOf(this.deps.now()), quality, information);
    });
  }
}
