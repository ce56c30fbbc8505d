/**
 * Offline P3 before sending: an applicant entered by hand (unverified) is looked up in the registry
 * through the applicant service (the same gateway client as the counter's look-up). Not found (P4,
 * APPLICANT_NOT_FOUND) and deceased or liquidated (APPLICANT_INACTIVE) are request-scoped: the
 * request needs attention, never sent, never dropped; the registry unreachable is retried later.
 */
import type { ApplicantService } from '../../applicant/applicant-service.js';
import { AppError } from '../../contract/errors.js';
import type { RequestRow } from '../../requests/request-service.js';
import type { SyncContext } from '../context.js';

export async function confirmApplicant(ctx: SyncContext, applicants: ApplicantService, req: RequestRow): Promise<void> {
  const a = ctx.repos.applicants.byId(req.applicant_id);
  if (!a || a.verified === 1) return;
  if (!a.number) throw new AppError('APPLICANT_NOT_LOOKED_UP');
  const found = await applicants.lookup(a.kind, a.number);
  if (found.registryStatus === 'deceased' || found.registryStatus === 'liquidated') throw new AppError('APPLICANT_INACTIVE', { status: found.registryStatus });
  ctx.log.info({ requestId: req.id }, 'applicant confirmed by the registry before sending (P3)');
}
