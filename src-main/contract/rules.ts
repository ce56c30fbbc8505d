/**
 * Rules about the model that both sides apply, written once: the main process enforces them and
 * the renderer offers only what they allow. Pure functions over the contract's types (no zod at
 * run time), so the renderer can import them.
 */
import type { ActValidity, DocumentChecklistItem, LegalAct, LocalizedText, Service } from './model.js';

type Deadline = Service['subServices'][number]['deadline'];

/** The deadline when the catalogue names no sub-service for the request: one month. */
export const DEFAULT_DEADLINE: Readonly<Deadline> = { unit: 'months', count: 1, countsFrom: 'registration' };

/** The deadline that applies to a request for the service (and sub-service, when it has them). */
export function deadlineOf(service: Service, subServiceId: string | null): Deadline {
  return service.subServices.find((s) => s.id === subServiceId)?.deadline ?? { ...DEFAULT_DEADLINE };
}

/** The request's checklist: its sub-service's documents (with their required flag), else the service's list. */
export function checklistOf(service: Service, subServiceId: string | null): DocumentChecklistItem[] {
  const sub = service.subServices.find((s) => s.id === subServiceId);
  if (!sub) return service.documents;
  const pool = new Map(service.documents.map((d) => [d.id, d]));
  return sub.documents.flatMap((d) => {
    const item = pool.get(d.id);
    return item ? [{ ...item, required: d.required }] : [];
  });
}

/** What the applicant receives for the sub-service (a re-issued licence, a duplicate, ...). */
export function resultTypeOf(service: Service, subServiceId: string | null): LocalizedText {
  return service.subServices.find((s) => s.id === subServiceId)?.resultType ?? service.resultType;
}

/**
 * A required document is missing while it is not marked presented or has no page; any document
 * presented but marked expired cannot be accepted either. The request can be signed only when
 * none is missing; the refusal lists them.
 */
export function slotMissing(slot: { required: boolean; presented: boolean; expired?: boolean }, pageCount: number): boolean {
  // A document whose validity has expired is a ground to refuse it, required or not.
  if (slot.presented && slot.expired) return true;
  return slot.required && (!slot.presented || pageCount === 0);
}

/** The request's missing documents (see slotMissing), in checklist order. */
export function missingSlots<S extends { required: boolean; presented: boolean; expired?: boolean; pages: readonly unknown[] }>(slots: readonly S[]): S[] {
  return slots.filter((s) => slotMissing(s, s.pages.length));
}

/**
 * Attention codes for a problem outside the request (the backend kept answering unreadably):
 * nothing about the request is wrong, and the same submission, with the same key, may simply be
 * sent again. For any other code the operator re-opens the request to fix it.
 */
export const SEND_AGAIN_CODES: ReadonlySet<string> = new Set(['SYNC_REPEATED_BAD_RESPONSE']);

/**
 * Refused at sending: the applicant entered offline was looked up when the request was sent and
 * the registry has no such applicant (P4 at sending; a counter refusal is recorded). Nothing in
 * the request can fix it (its IIN/BIN is not editable): re-opening and signing again would check
 * the same number, so no screen offers it; a mistyped number means a new request.
 */
export function refusedAtSending(r: { status: string; lastError: string | null }): boolean {
  return r.status === 'needs_attention' && r.lastError === 'APPLICANT_NOT_FOUND';
}

/** Whether the counter offers "send again" for the request (every screen asks this). */
export function offersSendAgain(r: { status: string; lastError: string | null }): boolean {
  return r.status === 'needs_attention' && SEND_AGAIN_CODES.has(r.lastError ?? '');
}

/**
 * Whether the act applies on `today` ('YYYY-MM-DD', Kazakhstan's date): repealed from its repeal
 * date on, not yet in force before its in-force date (when the file knows it), else in force.
 */
export function actValidity(act: Pick<LegalAct, 'inForce' | 'repealed'>, today: string): ActValidity {
  if (act.repealed && today >= act.repealed) return 'repealed';
  if (act.inForce && today < act.inForce) return 'not_yet_in_force';
  return 'in_force';
}
