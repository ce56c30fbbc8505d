/** The applicant's look-up in the state registry (P3). */
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const applicantHandlers = ({ applicants, registry, steps }: HostServices) =>
  ({
    'applicant.lookup': async ({ kind, number }, ctx) => ({
      applicant: await steps.lookup(operatorOf(ctx).id, () => registry(() => applicants.lookup(kind, number))),
    }),
  }) satisfies DomainHandlers;
