/** The dashboard's table: the period's latest requests (and P4 refusals at look-up) with their step times. */
import type { Dashboard, StepId } from '../contract/report.js';
import type { StepEventRow } from '../db/repos/step-events.js';
import type { Norms } from './norms.js';

type Row = StepEventRow & { local_number: string | null };
type Outcome = Dashboard['requests'][number]['outcome'];

/** What the latest event of a request says about where it ended. */
function outcomeOf(events: readonly Row[]): Outcome {
  const kinds = new Set(events.map((e) => e.kind));
  if (kinds.has('p4_recorded') && events.every((e) => e.request_id === null)) return 'refused_p4';
  const cancelled = events.find((e) => e.kind === 'cancelled');
  if (cancelled) return cancelled.outcome === 'incomplete' || cancelled.outcome === 'expired' ? 'refused_incomplete' : 'cancelled';
  if (kinds.has('handed_over')) return 'issued';
  if (kinds.has('decided')) return 'decided';
  if (kinds.has('registered')) return 'registered';
  if (kinds.has('queued')) return 'accepted';
  return 'in_progress';
}

export function timedRequests(rows: readonly Row[], norms: Norms): Dashboard['requests'] {
  const byKey = new Map<string, Row[]>();
  for (const r of rows) {
    const k = r.request_id ?? r.refusal_id ?? r.id;
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(r);
  }
  const out: Dashboard['requests'] = [];
  for (const events of byKey.values()) {
    const first = events[0]!;
    const serviceId = events.find((e) => e.service_id)?.service_id ?? null;
    const marks = (['cancelled', 'reopened'] as const).filter((m) => events.some((e) => e.kind === m));
    out.push({
      requestId: first.request_id,
      eventId: first.id,
      localNumber: first.local_number,
      serviceId,
      operatorId: (events.find((e) => e.operator_id !== 'sync') ?? first).operator_id,
      at: events[events.length - 1]!.at,
      outcome: outcomeOf(events),
      marks: [...marks],
      steps: events
        .filter((e) => e.step && e.duration_ms !== null && e.kind !== 'screen_ready')
        .map((e) => {
          const norm = norms.norm(serviceId, e.step)?.maxMs ?? null;
          return { step: e.step as StepId, ms: e.duration_ms!, overNorm: norm === null ? null : e.duration_ms! > norm };
        }),
    });
  }
  return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}
