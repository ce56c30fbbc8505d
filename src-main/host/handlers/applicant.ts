/** The applicant's look-up in the state registry (P3); not found is P4, recorded as a reasoned refusal. */
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const applicantHandlers = ({ refusals, registry, steps, reads, applicants }: HostServices) =>
  ({
    'applicant.lookup': async (input, ctx) => {
      const actor = operatorOf(ctx);
      const applicant = await steps.lookup(actor.id, () => registry(() => refusals.lookup(actor, input)));
      reads.record(actor.id, 'read.applicant', { applicant: applicants.idOf(input.kind, input.number) });
      return { applicant };
    },
  }) satisfies DomainHandlers;
