/**
 * The result's due date stored on the request (requests.due_date), so the supervisor's deadline
 * list is a range of one index: computed by THE deadline rule (expected-result.ts) when the
 * request is accepted (queued the first time) and when it is registered (a period counted from
 * registration then stops being an estimate). Requests accepted before the column existed get
 * theirs when the dashboard first lists deadlines (reports/dashboard.ts).
 */
import type { Catalog } from '../catalog/catalog.js';
import { kzCalendar, type DeadlineRule, type DueDate } from '../calendar/index.js';
import { localDateOf } from '../calendar/index.js';
import { expectedResult, type RequestMoments } from './expected-result.js';

/** Due dates by rule and start day: the same few for a day's requests. */
const memo = new Map<string, DueDate>();

function dueDate(at: Date, rule: DeadlineRule): DueDate {
  const k = `${rule.unit}|${rule.count}|${localDateOf(at)}`;
  let v = memo.get(k);
  if (!v) {
    if (memo.size > 5_000) memo.clear();
    memo.set(k, (v = kzCalendar().dueDate(at, rule)));
  }
  return v;
}

/** The request's result due date (an Almaty date), or null when its service is no longer in the catalogue. */
export function resultDueDate(catalog: Catalog, r: { service_id: string; sub_service_id: string | null }, moments: RequestMoments, now: Date): string | null {
  let service;
  try {
    service = catalog.get(r.service_id);
  } catch {
    return null; // a service no longer in the catalogue has no deadline rule to apply
  }
  return expectedResult(service, r.sub_service_id, moments, now, dueDate).date;
}
