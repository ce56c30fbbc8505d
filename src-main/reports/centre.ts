/**
 * The Centre's view: the dashboard's figures over every workstation of the Centre, from the
 * licensing backend's report endpoint (docs/gateway-protocol.md, "Step reports"). The backend
 * keeps no norms of its own: the workstation sends its norms file's, so both sides measure
 * against the same regulation. Operators are shown by the display name their workstation sent
 * with its events (the backend keeps it), else by the name this workstation knows, else (an older
 * backend, a name never sent) by account id.
 */
import type { CentreFigures, CentreQuery } from '../gateway/step-reports.js';
import type { StepEventsRepo } from '../db/repos/step-events.js';
import { localDateOf } from '../calendar/index.js';
import type { Catalog } from '../catalog/catalog.js';
import { normOf, type DashboardQuery } from './dashboard.js';
import type { Norms } from './norms.js';
import type { CentreSource } from './report-service.js';

export function centreSource(d: { ask: (q: CentreQuery) => Promise<CentreFigures>; norms: Norms; repo: StepEventsRepo; catalog: Catalog; now: () => Date }): CentreSource {
  const norms: CentreQuery['norms'] = {};
  for (const s of d.norms.all()) norms[s.serviceId] = Object.fromEntries(s.steps.map((n) => [n.step, n.maxMs]));
  const p1NormMs = normOf(d.norms, '', 'P1');
  return async (q: DashboardQuery) => {
    const f = await d.ask({ from: q.from, to: q.to, today: localDateOf(d.now()), operatorId: q.operatorId, serviceId: q.serviceId, norms, p1NormMs });
    const names = d.repo.operatorNames(f.byOperator.map((o) => o.operatorId));
    const serviceName = (id: string) => {
      try {
        return d.catalog.get(id).name;
      } catch {
        return { kk: id, ru: id, en: id };
      }
    };
    return {
      workstations: f.workstations,
      counts: f.counts,
      byOperator: f.byOperator.map(({ name, ...o }) => ({ ...o, name: name ?? names.get(o.operatorId) ?? o.operatorId })),
      byService: f.byService.map((s) => ({ ...s, name: serviceName(s.serviceId) })),
      steps: f.steps,
      indicators: [],
    };
  };
}
