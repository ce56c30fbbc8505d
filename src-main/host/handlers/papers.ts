/** The papers handed over at the counter: receipt, refusal notice, expected result date. */
import type { DomainHandlers, HostServices } from './services.js';

export const papersHandlers = ({ papers }: HostServices) =>
  ({
    'docs.receipt': ({ requestId, language }) => papers.receipt(requestId, language),
    'docs.refusalNotice': ({ requestId, language }) => papers.refusalNotice(requestId, language),
    'docs.expectedResult': ({ serviceId, subServiceId, requestId }) => papers.expectedResult(serviceId, subServiceId, requestId),
  }) satisfies DomainHandlers;
