/** Refusals at the counter (P4 and the refusal to accept documents): record, print, list. */
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const refusalHandlers = ({ refusals }: HostServices) =>
  ({
    'request.refuse': ({ requestId, ground }, ctx) => refusals.refuse(operatorOf(ctx), requestId, ground),
    'refusal.paper': ({ refusalId, language }, ctx) => refusals.paper(operatorOf(ctx).fullName, refusalId, language),
    'refusal.ofRequest': ({ requestId }) => ({ refusal: refusals.ofRequest(requestId) }),
    'refusal.list': ({ from, to, limit }) => refusals.list(from, to, limit),
  }) satisfies DomainHandlers;
