/** The papers handed over at the counter: receipt, refusal notice, expected result date. */
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const papersHandlers = ({ papers, reads, requests }: HostServices) =>
  ({
    'docs.receipt': async ({ requestId, language }, ctx) => {
      const pdf = await papers.receipt(requestId, language ?? requests.row(requestId).applicant_language);
      reads.record(operatorOf(ctx).id, 'read.paper', { requestId, applicant: requests.row(requestId).applicant_id, data: { paper: 'receipt' } });
      return pdf;
    },
    'docs.refusalNotice': async ({ requestId, language }, ctx) => {
      const pdf = await papers.refusalNotice(requestId, language ?? requests.row(requestId).applicant_language);
      reads.record(operatorOf(ctx).id, 'read.paper', { requestId, applicant: requests.row(requestId).applicant_id, data: { paper: 'refusal' } });
      return pdf;
    },
    'docs.expectedResult': ({ serviceId, subServiceId, requestId }) => papers.expectedResult(serviceId, subServiceId, requestId),
  }) satisfies DomainHandlers;
