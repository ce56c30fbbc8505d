/**
 * The work list: the newest requests, each with the moment it was accepted and the date its
 * decision is due by THE deadline rule (expected-result.ts), the same date the receipt prints;
 * whether its applicant is verified yet, and the refusal recorded for it (its paper is printable;
 * settled once printed).
 */
import type { Catalog } from '../catalog/catalog.js';
import type { WorklistItem } from '../contract/model.js';
import { CounterRefusalsRepo, refusalSettled } from '../db/repos/counter-refusals.js';
import type { Papers } from '../papers/papers-client.js';
import { expectedResult, momentsOf } from './expected-result.js';
import type { RequestService } from './request-service.js';

export interface WorklistDeps {
  requests: RequestService;
  catalog: Catalog;
  docs: Papers;
  now: () => Date;
}

export function worklist(deps: WorklistDeps, limit: number): WorklistItem[] {
  const now = deps.now();
  const refusals = new CounterRefusalsRepo(deps.requests.db);
  return deps.requests.search({ limit }).map((r) => {
    const moments = momentsOf(deps.requests.repos.history.forRequest(r.id));
    let due: WorklistItem['due'] = null;
    try {
      const e = expectedResult(deps.catalog.get(r.serviceId), r.subServiceId, moments, now, (a, rule) => deps.docs.expectedResult(a, rule));
      due = { date: e.date, estimated: e.estimated, provisional: e.provisional };
    } catch {
      // A service the catalogue no longer lists, or a date outside the calendar's years: no due date shown.
    }
    const refusal = refusals.ofRequest(r.id);
    return {
      ...r,
      acceptedAt: moments.acceptedAt,
      due,
      applicantVerified: deps.requests.repos.requests.applicantVerified(r.id),
      refusal: refusal ? { id: refusal.id, ground: refusal.ground, stage: refusal.stage, settled: refusalSettled(refusal) } : null,
    };
  });
}
