/** Refusals at the counter (P4 and the refusal to accept documents): record, print, list. */
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const refusalHandlers = ({ refusals, sync }: HostServices) =>
  ({
    'request.refuse': ({ requestId, ground }, ctx) => refusals.refuse(operatorOf(ctx), requestId, ground),
    // Printed for the applicant: a request refused at sending no longer needs attention (the queue's count).
    'refusal.paper': async ({ refusalId, language }, ctx) => {
      const paper = await refusals.paper(operatorOf(ctx).fullName, refusalId, language);
      sync.countsChanged();
      return paper;
    },
    'refusal.ofRequest': ({ requestId }) => ({ refusal: refusals.ofRequest(requestId) }),
    'refusal.list': ({ from, to, limit }) => refusals.list(from, to, limit),
  }) satisfies DomainHandlers;
