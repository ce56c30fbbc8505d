/**
 * A representative's power of attorney, checked in the registry (P3) before the request goes on:
 * the principal is the request's applicant, the attorney the representative recorded on it.
 */
import { AppError } from '../contract/errors.js';
import type { RequestDetail } from '../contract/model.js';
import type { ApplicantService } from '../applicant/applicant-service.js';
import type { Actor, RequestService } from './request-service.js';

export async function verifyRepresentative(
  requests: RequestService,
  registry: Pick<ApplicantService, 'verifyPowerOfAttorney'>,
  actor: Actor,
  requestId: string,
): Promise<RequestDetail> {
  const detail = requests.detail(requestId);
  const rep = detail.representative;
  if (!rep) throw new AppError('REQUEST_STATE', { status: 'no_representative' });
  const record = await registry.verifyPowerOfAttorney(
    { kind: detail.applicant.kind, number: detail.applicant.number },
    { iin: rep.iin, number: rep.powerOfAttorney.number },
  );
  return requests.markRepresentativeVerified(actor, requestId, record);
}
