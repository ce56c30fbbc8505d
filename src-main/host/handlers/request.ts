/** A request's life at the counter: create, read, list, cancel, reopen, representative, documents, send again. */
import { verifyRepresentative } from '../../requests/representatives.js';
import { worklist } from '../../requests/worklist.js';
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const requestHandlers = ({ requests, applicants, registry, sync, reads, catalog, docs, now }: HostServices) =>
  ({
    'request.create': (input, ctx) => requests.create(operatorOf(ctx), input),
    'request.get': ({ id }) => requests.detail(id),
    'request.list': ({ status, limit }) => ({ items: requests.list(status, limit) }),
    'request.search': (filter, ctx) => {
      const items = requests.search(filter);
      // Which applicants the search showed (their ids, never the IINs searched for).
      const shown = items.map((i) => requests.row(i.id).applicant_id);
      reads.record(operatorOf(ctx).id, 'read.search', { applicants: shown, data: { results: items.length, byApplicant: Boolean(filter.applicant) } });
      return { items };
    },
    'request.worklist': ({ limit }) => ({ items: worklist({ requests, catalog, docs, now }, limit) }),
    'request.setApplicantLanguage': ({ requestId, language }) => requests.setApplicantLanguage(requestId, language),
    'request.cancel': ({ requestId }, ctx) => requests.cancel(operatorOf(ctx), requestId),
    'request.reopen': ({ requestId }, ctx) => requests.reopen(operatorOf(ctx), requestId),
    'request.setRepresentative': ({ requestId, representative }, ctx) => requests.setRepresentative(operatorOf(ctx), requestId, representative),
    'request.representativeException': ({ requestId, exception }, ctx) => requests.setRepresentativeException(operatorOf(ctx), requestId, exception),
    'request.verifyRepresentative': ({ requestId }, ctx) => registry(() => verifyRepresentative(requests, applicants, operatorOf(ctx), requestId)),
    'request.setDocument': ({ requestId, slotId, presented, original, expired }, ctx) =>
      requests.setDocument(operatorOf(ctx), requestId, slotId, presented, original, expired),
    'request.requeue': ({ requestId }, ctx) => {
      const detail = requests.requeue(operatorOf(ctx), requestId);
      sync.kick();
      return detail;
    },
  }) satisfies DomainHandlers;
