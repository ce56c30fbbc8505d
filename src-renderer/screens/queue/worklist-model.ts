/**
 * The work list's rules, kept pure: what is late, what needs the operator, what to do next, the
 * order. Overdue = the decision's due date (the one deadline rule) has passed while the request is
 * still waiting for it; needs attention = the request is parked for the operator. Both come first.
 */
import type { Language, RequestStatus, Service, WorklistItem } from '../../../src-main/contract/model.js';
import { refusedAtSending } from '../../../src-main/contract/rules.js';

export type SortKey = 'priority' | 'local' | 'service' | 'status' | 'due' | 'age';
export interface Sort {
  key: SortKey;
  dir: 1 | -1;
}

/** Still waiting for the provider's decision: the due date matters. */
const AWAITING: ReadonlySet<RequestStatus> = new Set(['signed', 'queued', 'sent', 'registered', 'under_review', 'needs_attention']);

export type NextAction = 'documents' | 'sign' | 'wait-send' | 'wait-registration' | 'wait-decision' | 'hand-over' | 'fix' | 'refused-at-sending' | 'none';

/** What the operator does next; a request refused at sending is not "fixed" by re-opening (see refusedAtSending). */
export function nextAction(i: { status: RequestStatus; lastError: string | null }): NextAction {
  if (refusedAtSending(i)) return 'refused-at-sending';
  switch (i.status) {
    case 'draft':
    case 'applicant_verified':
    case 'applicant_unverified':
      return 'documents';
    case 'documents_complete':
      return 'sign';
    case 'signed':
    case 'queued':
      return 'wait-send';
    case 'sent':
      return 'wait-registration';
    case 'registered':
    case 'under_review':
      return 'wait-decision';
    case 'result_ready':
    case 'refused':
      return 'hand-over';
    case 'needs_attention':
      return 'fix';
    default:
      return 'none';
  }
}

/** A request refused at sending waits for no decision: never overdue. */
export function isOverdue(i: WorklistItem, today: string): boolean {
  return Boolean(i.due && AWAITING.has(i.status) && !refusedAtSending(i) && i.due.date < today);
}

/** Refused at sending and its paper printed for the applicant: nothing left for the operator (closed, still listed). */
export function refusalSettled(i: WorklistItem): boolean {
  return refusedAtSending(i) && i.refusal?.stage === 'sending' && i.refusal.settled;
}

export function needsAttention(i: WorklistItem): boolean {
  if (i.attention !== null) return true;
  return i.status === 'needs_attention' && !refusalSettled(i);
}

/** 0 overdue and needing attention, 1 one of the two, 2 the operator can act, 3 waiting, 4 closed. */
export function rank(i: WorklistItem, today: string): number {
  const late = isOverdue(i, today);
  const attn = needsAttention(i);
  if (late && attn) return 0;
  if (late || attn) return 1;
  if (refusalSettled(i)) return 4;
  const next = nextAction(i);
  if (next === 'documents' || next === 'sign' || next === 'hand-over') return 2;
  return next === 'none' ? 4 : 3;
}

export function serviceName(services: Map<string, Service>, i: WorklistItem, lang: Language): string {
  const s = services.get(i.serviceId);
  if (!s) return i.serviceId;
  const sub = s.subServices.find((x) => x.id === i.subServiceId);
  return sub && s.subServices.length > 1 ? `${s.name[lang]} — ${sub.name[lang]}` : s.name[lang];
}

export function sortItems(items: WorklistItem[], sort: Sort, today: string, name: (i: WorklistItem) => string): WorklistItem[] {
  const due = (i: WorklistItem) => i.due?.date ?? '9999-12-31';
  const by: Record<SortKey, (a: WorklistItem, b: WorklistItem) => number> = {
    priority: (a, b) => rank(a, today) - rank(b, today) || due(a).localeCompare(due(b)) || a.createdAt.localeCompare(b.createdAt),
    local: (a, b) => a.localNumber.localeCompare(b.localNumber),
    service: (a, b) => name(a).localeCompare(name(b)),
    status: (a, b) => a.status.localeCompare(b.status),
    due: (a, b) => due(a).localeCompare(due(b)),
    age: (a, b) => a.createdAt.localeCompare(b.createdAt),
  };
  return [...items].sort((a, b) => sort.dir * by[sort.key](a, b));
}

/** The request's age as the work list shows it: minutes, hours or days. */
export function ageWords(createdAt: string, lang: Language, now = Date.now()): string {
  const min = Math.max(0, Math.floor((now - Date.parse(createdAt)) / 60_000));
  const [n, unit] = min < 60 ? [min, 'minute'] : min < 24 * 60 ? [Math.floor(min / 60), 'hour'] : [Math.floor(min / 1440), 'day'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short' }).format(n);
}
