/**
 * Rules about the model that both sides apply, written once: the main process enforces them and
 * the renderer offers only what they allow. Pure functions over the contract's types (no zod at
 * run time), so the renderer can import them.
 */
import type { DocumentChecklistItem, LocalizedText, Service } from './model.js';

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
