/** P8/P9: the provider's decision or result, and handing it over with the issuance sheet. */
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const resultHandlers = ({ results, papers, sync, reads, requests }: HostServices) =>
  ({
    'result.get': async ({ requestId }, ctx) => {
      const view = await results.get(requestId);
      // The result's PDF goes to the screen only when it verified: that is the read of it.
      if (view.pdf) reads.record(operatorOf(ctx).id, 'read.result', { requestId, applicant: requests.row(requestId).applicant_id });
      return view;
    },
    'request.issue': async ({ requestId, recipient, language }, ctx) => {
      const o = operatorOf(ctx);
      const sheet = await papers.issuanceSheet(o.fullName, requestId, recipient, language);
      const out = await results.issue(o, requestId, recipient, sheet);
      sync.kick();
      return out;
    },
  }) satisfies DomainHandlers;
