/** The applicant's look-up in the state registry (P3). */
import type { DomainHandlers, HostServices } from './services.js';

export const applicantHandlers = ({ applicants, registry }: HostServices) =>
  ({
    'applicant.lookup': async ({ kind, number }) => ({ applicant: await registry(() => applicants.lookup(kind, number)) }),
  }) satisfies DomainHandlers;
