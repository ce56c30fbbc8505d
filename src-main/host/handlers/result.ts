/** P8/P9: the provider's decision or result, and handing it over with the issuance sheet. */
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const resultHandlers = ({ results, papers, sync }: HostServices) =>
  ({
    'result.get': ({ requestId }) => results.get(requestId),
    'request.issue': async ({ requestId, recipient, language }, ctx) => {
      const o = operatorOf(ctx);
      const sheet = await papers.issuanceSheet(o.fullName, requestId, recipient, language);
      const out = await results.issue(o, requestId, recipient, sheet);
      sync.kick();
      return out;
    },
  }) satisfies DomainHandlers;
