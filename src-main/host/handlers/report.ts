/** The regulation's clock: the supervisor's dashboard, step norms, the step timer, screen marks, the questionnaire. */
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const reportHandlers = ({ reports, steps, auth }: HostServices) =>
  ({
    'report.dashboard': (input) => reports.dashboard(input),
    'report.figures': (input) => reports.figuresOf(input),
    'report.lists': ({ limit, ...input }) => reports.lists(input, limit ?? 50),
    'report.stepNorms': ({ serviceId }) => {
      const all = steps.norms.all();
      return { version: steps.norms.version, services: serviceId ? all.filter((s) => s.serviceId === serviceId) : all };
    },
    'step.timer': ({ requestId, serviceId }, ctx) => steps.timer(requestId, operatorOf(ctx).id, serviceId ?? null),
    'step.screenReady': ({ screen, requestId, serviceId, latencyMs }) => {
      // Public (the log-in screen has no session yet): a mark without a session is only remembered.
      const s = auth.current();
      steps.screenReady(s && !s.locked ? s.operator.id : null, { screen, requestId: s ? requestId : null, serviceId: serviceId ?? null, latencyMs });
      return { ok: true as const };
    },
    'report.parked': () => ({ items: steps.events.parked() }),
    'questionnaire.submit': ({ requestId, refusalId, quality, information }, ctx) => {
      reports.answer(operatorOf(ctx).id, { requestId, refusalId: refusalId ?? null }, quality, information);
      return { ok: true as const };
    },
  }) satisfies DomainHandlers;
