/** A hand-made dashboard answer (the contract's shape) for tests of the report's tables and files. */
import type { Dashboard } from '../../src-main/contract/report.js';

const counts = (accepted: number, refusedIncomplete: number, refusedP4: number, registered: number, decided: number, issued: number) => ({
  accepted,
  refusedIncomplete,
  refusedP4,
  registered,
  decided,
  issued,
});
const latency = { count: 0, medianMs: null, p95Ms: null };

export function dashboardFixture(over: Partial<Dashboard> = {}): Dashboard {
  return {
    scope: 'workstation',
    scopeNote: 'requested',
    workstations: 1,
    asOf: '2026-12-02T08:00:00.000Z',
    today: '2026-12-02',
    period: { from: '2026-11-26', to: '2026-12-02' },
    counts: { today: counts(2, 1, 1, 1, 0, 0), period: counts(9, 2, 1, 7, 4, 3) },
    byOperator: [{ operatorId: 'op-1', name: 'Омаров Ерлан Серікұлы', today: counts(2, 1, 1, 1, 0, 0), period: counts(9, 2, 1, 7, 4, 3) }],
    byService: [
      { serviceId: 'emission-permit-almaty', name: { kk: 'Шығарындыларға рұқсат', ru: 'Разрешение на эмиссии', en: 'Emission permit' }, today: counts(2, 1, 0, 1, 0, 0), period: counts(9, 2, 0, 7, 4, 3) },
    ],
    steps: [
      { step: 'P2', serviceId: null, count: 4, medianMs: 41_250, p95Ms: 118_960, normMs: null, overNormShare: 0.25, withNorm: 4, appLatency: { count: 4, medianMs: 180, p95Ms: 420 } },
      { step: 'P2', serviceId: 'emission-permit-almaty', count: 4, medianMs: 41_250, p95Ms: 118_960, normMs: 120_000, overNormShare: 0.25, withNorm: 4, appLatency: latency },
      { step: 'P5', serviceId: 'emission-permit-almaty', count: 3, medianMs: 605_000, p95Ms: 1_900_000, normMs: 1_800_000, overNormShare: 1 / 3, withNorm: 3, appLatency: latency },
    ],
    deadlines: [{ requestId: 'r1', localNumber: 'ALA-0001', serviceId: 'emission-permit-almaty', subServiceId: null, status: 'under_review', dueDate: '2026-12-03', unit: 'working_days', state: 'near', daysLeft: 1 }],
    queueWaits: { thresholdMinutes: 60, requests: [{ requestId: 'r2', localNumber: 'ALA-0002', serviceId: 'emission-permit-almaty', queuedAt: '2026-12-02T05:00:00.000Z', waitMs: 9_000_000 }] },
    indicators: [{ serviceId: 'emission-permit-almaty', question: 'quality', answers: { '1': 1, '2': 0, '3': 2 }, total: 3, satisfiedShare: 2 / 3 }],
    requests: [
      {
        requestId: 'r1',
        eventId: 'e1',
        localNumber: 'ALA-0001',
        serviceId: 'emission-permit-almaty',
        operatorId: 'op-1',
        at: '2026-12-02T04:00:00.000Z',
        outcome: 'accepted',
        marks: [],
        steps: [
          { step: 'P2', ms: 41_250, overNorm: false },
          { step: 'P5', ms: 300_000, overNorm: false },
          { step: 'P5', ms: 305_000, overNorm: false },
        ],
      },
      { requestId: null, eventId: 'e2', localNumber: null, serviceId: 'emission-permit-almaty', operatorId: 'op-1', at: '2026-12-02T05:00:00.000Z', outcome: 'refused_p4', marks: [], steps: [{ step: 'P3', ms: 2_000, overNorm: false }] },
    ],
    ...over,
  };
}
