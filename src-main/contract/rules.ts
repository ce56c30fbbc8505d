/**
 * Rules about the model that both sides apply, written once: the main process enforces them and
 * the renderer offers only what they allow. Pure functions over the contract's types (no zod at
 * run time), so the renderer can import them.
 */
import type { Service } from './model.js';

type Deadline = Service['subServices'][number]['deadline'];

/** The deadline when the catalogue names no sub-service for the request: one month. */
export const DEFAULT_DEADLINE: Readonly<Deadline> = { unit: 'months', count: 1, countsFrom: 'registration' };

/** The deadline that applies to a request for the service (and sub-service, when it has them). */
export function deadlineOf(service: Service, subServiceId: string | null): Deadline {
  return service.subServices.find((s) => s.id === subServiceId)?.deadline ?? { ...DEFAULT_DEADLINE };
}
