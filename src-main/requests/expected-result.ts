/**
 * THE deadline rule: when the provider's decision on a request is due, computed one way for the
 * screen, the acceptance receipt and the issuance sheet.
 *
 * The period comes from the request's own sub-service in the catalogue (unit, count, and what it
 * counts from, by its regulation); the date from Kazakhstan's working-day calendar, with its
 * day-off rule (src-main/calendar). Until what the period counts from has happened, the date is an
 * estimate: counted from the acceptance (for a period from registration) or from today.
 */
import type { DeadlineRule as CalendarRule, DueDate } from '../calendar/index.js';
import type { Service } from '../contract/model.js';
import { deadlineOf } from '../contract/rules.js';

export type CatalogueDeadline = ReturnType<typeof deadlineOf>;

export interface ExpectedResult {
  /** The last day of the period, an Almaty date 'YYYY-MM-DD'. */
  date: string;
  rule: CatalogueDeadline;
  /** The Almaty date the period was counted from (not itself counted). */
  countedFrom: string;
  /** What the period counts from has not happened yet: the date may move. */
  estimated: boolean;
  /** The calendar data of a year the period touches is incomplete: the date may move. */
  provisional: boolean;
  /**
   * Where the regulation gives one (seed 003, Appendix 1 para 6: 15 / 5 calendar days), the last
   * day of a reasoned refusal, counted from the same moment as the decision's period.
   */
  refusalBy: { date: string; unit: CatalogueDeadline['unit']; count: number } | null;
}

/** When the request was accepted at the counter (signed and queued) and registered, if it was. */
export interface RequestMoments {
  acceptedAt: string | null;
  registeredAt: string | null;
}

export function expectedResult(
  service: Service,
  subServiceId: string | null,
  moments: RequestMoments,
  now: Date,
  dueDate: (at: Date, rule: CalendarRule) => DueDate,
): ExpectedResult {
  const rule = deadlineOf(service, subServiceId);
  const start = rule.countsFrom === 'handover' ? moments.acceptedAt : moments.registeredAt;
  const from = start ?? (rule.countsFrom === 'registration' ? moments.acceptedAt : null);
  const due = dueDate(from ? new Date(from) : now, { unit: rule.unit, count: rule.count });
  const refusal = service.subServices.find((s) => s.id === subServiceId)?.refusalDeadline;
  const refusalBy = refusal ? { date: dueDate(from ? new Date(from) : now, { unit: refusal.unit, count: refusal.count }).date, unit: refusal.unit, count: refusal.count } : null;
  return { date: due.date, rule, countedFrom: due.registeredOn, estimated: start === null, provisional: due.provisional, refusalBy };
}

/** The request's moments from its status history. */
export function momentsOf(history: readonly { status: string; at: string }[]): RequestMoments {
  const at = (status: string) => history.find((h) => h.status === status)?.at ?? null;
  return { acceptedAt: at('queued'), registeredAt: at('registered') };
}
