/** The supervisor's view of the audit trail: who read one applicant's data. */
import type { DomainHandlers, HostServices } from './services.js';

type ReadAction = 'read.applicant' | 'read.search' | 'read.pages' | 'read.paper' | 'read.result';

export const auditHandlers = ({ applicants, reads, accounts, requests }: HostServices) =>
  ({
    'audit.reads': ({ kind, number }) => {
      const id = applicants.idOf(kind, number);
      if (!id) return { known: false, entries: [] };
      const people = new Map(accounts.list().map((a) => [a.id, a]));
      const numbers = new Map<string, string | null>();
      const localNumber = (requestId: string | null) => {
        if (!requestId) return null;
        if (!numbers.has(requestId)) numbers.set(requestId, requests.repos.requests.get(requestId)?.local_number ?? null);
        return numbers.get(requestId) ?? null;
      };
      return {
        known: true,
        entries: reads.of(id).map((e) => {
          const who = people.get(e.actor);
          return {
            at: e.at,
            action: e.action as ReadAction,
            operator: { id: e.actor, login: who?.login ?? null, name: who?.fullName ?? null },
            requestId: e.subject,
            localNumber: localNumber(e.subject),
            detail: typeof e.data.paper === 'string' ? e.data.paper : null,
          };
        }),
      };
    },
  }) satisfies DomainHandlers;
