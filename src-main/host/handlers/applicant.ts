/** The applicant's look-up in the state registry (P3); not found is P4, recorded as a reasoned refusal. */
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const applicantHandlers = ({ refusals, registry, reads, applicants }: HostServices) =>
  ({
    'applicant.lookup': async (input, ctx) => {
      const actor = operatorOf(ctx);
      // The look-up's step events (P3, or P4) are written by CounterRefusals in their transactions.
      const applicant = await registry(() => refusals.lookup(actor, input));
      reads.record(actor.id, 'read.applicant', { applicant: applicants.idOf(input.kind, input.number) });
      return { applicant };
    },
  }) satisfies DomainHandlers;
