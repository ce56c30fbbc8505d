/** The applicant's look-up in the state registry (P3); not found is P4, recorded as a reasoned refusal. */
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const applicantHandlers = ({ refusals, registry, steps }: HostServices) =>
  ({
    'applicant.lookup': async (input, ctx) => ({
      applicant: await steps.lookup(operatorOf(ctx).id, () => registry(() => refusals.lookup(operatorOf(ctx), input))),
    }),
  }) satisfies DomainHandlers;
