/**
 * The supervisor's dashboard: the period's counts (per operator, per service), each step's median
 * and 95th percentile against its norm with the share over norm, the app's own latency, result
 * deadlines near or past (the one deadline rule, requests/expected-result.ts, with Kazakhstan's
 * working-day calendar), queue waits over a threshold, and the Appendix 3 indicators.
 *
 * The figures come from the per-day roll-ups (step_days, outcome_days) plus the few events not
 * folded into them yet, so their cost grows with the days and groups of the period, not with the
 * events; the lists are index ranges with a limit (bench/report).
 */
import { AppError } from '../contract/errors.js';
import type { Catalog } from '../catalog/catalog.js';
import { localDateOf, plusDays, type DeadlineUnit } from '../calendar/index.js';
import type { Dashboard, DashboardLists, OutcomeCounts, StepStat } from '../contract/report.js';
import { deadlineOf } from '../contract/rules.js';
import { stepFigures } from '../contract/step-stats.js';
import { writeTx } from '../db/database.js';
import { RequestsRepo } from '../db/repos/requests.js';
import type { StepDay, StepEventsRepo } from '../db/repos/step-events.js';
import { resultDueDate } from '../requests/due-date.js';
import type { Norms } from './norms.js';
import { timedRequests } from './timed-requests.js';

export interface DashboardQuery {
  from: string;
  to: string;
  operatorId: string | null;
  serviceId: string | null;
  nearDays: number;
  queueMinutes: number;
}

/** The figures a scope gives (the Centre's come from the backend with the same shape). */
export type Figures = Pick<Dashboard, 'counts' | 'byOperator' | 'byService' | 'steps' | 'indicators'>;

const MAX_PERIOD_DAYS = 366;
const DAY_MS = 86_400_000;

export function emptyCounts(): OutcomeCounts {
  return { accepted: 0, refusedIncomplete: 0, refusedP4: 0, registered: 0, decided: 0, issued: 0 };
}

const FIELD: Record<string, keyof OutcomeCounts> = {
  accepted: 'accepted',
  refused_incomplete: 'refusedIncomplete',
  refused_p4: 'refusedP4',
  registered: 'registered',
  decided: 'decided',
  issued: 'issued',
};

export function checkPeriod(from: string, to: string): void {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
  if (!(days >= 0) || days > MAX_PERIOD_DAYS) throw new AppError('REPORT_PERIOD_INVALID', { maxDays: MAX_PERIOD_DAYS });
}

export class DashboardReport {
  constructor(
    private readonly repo: StepEventsRepo,
    private readonly catalog: Catalog,
    private readonly norms: Norms,
    private readonly now: () => Date,
  ) {
    this.requests = new RequestsRepo(repo.db);
  }

  private readonly requests: RequestsRepo;

  /** This workstation's figures for the period: the roll-ups plus the events after them (db/repos/step-rollups.ts). */
  figures(q: DashboardQuery): Figures {
    checkPeriod(q.from, q.to);
    const today = localDateOf(this.now());
    const rollups = this.repo.rollups;
    rollups.foldIfLong();
    const data = rollups.figureData(q.from, q.to, today, q.operatorId, q.serviceId);
    const period = data.period;
    const todays = data.today;
    const names = this.repo.operatorNames([...new Set([...period, ...todays].map((r) => r.operatorId))]);
    const grouped = groupCounts(period, todays, (r) => r.operatorId);
    const byService = groupCounts(period, todays, (r) => r.serviceId);
    return {
      counts: { today: sum(todays), period: sum(period) },
      byOperator: [...grouped].map(([operatorId, c]) => ({ operatorId, name: names.get(operatorId) ?? operatorId, ...c })),
      byService: [...byService]
        .filter(([id]) => id !== '')
        .map(([serviceId, c]) => ({ serviceId, name: this.serviceName(serviceId), ...c })),
      steps: stepStats(data.steps, this.norms),
      indicators: this.indicators(q),
    };
  }

  /**
   * The workstation-only lists: result deadlines near or past (an index range over the open
   * requests' stored due dates, soonest first), queue waits over the threshold (longest first),
   * each at most `limit` with how many there are, and the period's latest requests with their times.
   */
  lists(q: DashboardQuery, limit: number): DashboardLists {
    const now = this.now();
    const today = localDateOf(now);
    this.dateUndated(now);
    const due = this.requests.dueBy(plusDays(today, q.nearDays), q.serviceId, limit, 0);
    const deadlines = due.rows.map((r) => {
      const daysLeft = Math.round((Date.parse(`${r.due_date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
      return {
        requestId: r.id,
        localNumber: r.local_number,
        serviceId: r.service_id,
        subServiceId: r.sub_service_id,
        status: r.status,
        dueDate: r.due_date,
        unit: this.unitOf(r.service_id, r.sub_service_id),
        state: daysLeft < 0 ? ('past' as const) : ('near' as const),
        daysLeft,
      };
    });
    const waiting = this.requests.waitingSince(new Date(now.getTime() - q.queueMinutes * 60_000).toISOString(), q.serviceId, limit);
    return {
      deadlines,
      deadlinesTotal: due.total,
      queueWaits: {
        thresholdMinutes: q.queueMinutes,
        requests: waiting.rows.map((r) => ({ requestId: r.id, localNumber: r.local_number, serviceId: r.service_id, queuedAt: r.queued_at, waitMs: now.getTime() - Date.parse(r.queued_at) })),
        total: waiting.total,
      },
      requests: timedRequests(this.repo.recentTimed(q.from, q.to, q.operatorId, q.serviceId, 100), this.norms),
    };
  }

  /** Open requests accepted before due dates were stored (migration 010) get theirs, once. */
  private dateUndated(now: Date): void {
    for (;;) {
      const undated = this.requests.undated(500);
      if (undated.length === 0) return;
      writeTx(this.repo.db, () => {
        for (const r of undated) {
          // A request whose service left the catalogue has no rule: '' keeps it out of the list and of this loop.
          this.requests.setDueDate(r.id, resultDueDate(this.catalog, r, { acceptedAt: r.accepted_at, registeredAt: r.registered_at }, now) ?? '');
        }
      });
    }
  }

  private unitOf(serviceId: string, subServiceId: string | null): DeadlineUnit {
    try {
      return deadlineOf(this.catalog.get(serviceId), subServiceId).unit;
    } catch {
      return 'calendar_days';
    }
  }

  /** The Appendix 3 indicators of the period (this workstation's answers). */
  indicators(q: DashboardQuery): Dashboard['indicators'] {
    const acc = new Map<string, Dashboard['indicators'][number]>();
    const slot = (serviceId: string, question: 'quality' | 'information') => {
      const k = `${serviceId}|${question}`;
      let v = acc.get(k);
      if (!v) acc.set(k, (v = { serviceId, question, answers: { '1': 0, '2': 0, '3': 0 }, total: 0, satisfiedShare: null }));
      return v;
    };
    for (const r of this.repo.answerCounts(q.from, q.to, q.serviceId)) {
      for (const question of ['quality', 'information'] as const) {
        const a = r[question];
        if (a === null) continue;
        const v = slot(r.serviceId, question);
        v.answers[String(a) as '1' | '2' | '3'] += r.n;
        v.total += r.n;
      }
    }
    for (const v of acc.values()) v.satisfiedShare = v.total ? v.answers['3'] / v.total : null;
    return [...acc.values()];
  }

  private serviceName(id: string) {
    try {
      return this.catalog.get(id).name;
    } catch {
      return { kk: id, ru: id, en: id };
    }
  }
}

type CountRow = { operatorId: string; serviceId: string; outcome: string; n: number };

function sum(rows: readonly CountRow[]): OutcomeCounts {
  const c = emptyCounts();
  for (const r of rows) {
    const f = FIELD[r.outcome];
    if (f) c[f] += r.n;
  }
  return c;
}

function groupCounts(period: readonly CountRow[], todays: readonly CountRow[], key: (r: CountRow) => string) {
  const out = new Map<string, { today: OutcomeCounts; period: OutcomeCounts }>();
  const add = (rows: readonly CountRow[], which: 'today' | 'period') => {
    for (const r of rows) {
      const f = FIELD[r.outcome];
      if (!f) continue;
      let g = out.get(key(r));
      if (!g) out.set(key(r), (g = { today: emptyCounts(), period: emptyCounts() }));
      g[which][f] += r.n;
    }
  };
  add(period, 'period');
  add(todays, 'today');
  return out;
}

/**
 * The norm a step of a service is measured against. P1 (the log-in) belongs to no service: it is
 * measured against the strictest P1 norm of the file.
 */
export function normOf(norms: Norms, serviceId: string, step: string): number | null {
  if (step === 'P1' && serviceId === '') {
    const all = norms.all().flatMap((s) => s.steps.filter((n) => n.step === 'P1').map((n) => n.maxMs));
    return all.length ? Math.min(...all) : null;
  }
  return norms.norm(serviceId, step)?.maxMs ?? null;
}

/** Per step: all services together, then each service (contract/step-stats.ts stepFigures). */
export function stepStats(days: readonly StepDay[], norms: Norms): StepStat[] {
  const groups = days.map((g) => ({ step: g.step, serviceId: g.serviceId, durations: [g.durations], latencies: [g.latencies] }));
  return stepFigures(groups, (serviceId, step) => normOf(norms, serviceId, step));
}
