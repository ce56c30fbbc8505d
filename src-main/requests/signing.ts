/**
 * P5 → P6: sign the completed request and put it in the outbox, in one transaction.
 *
 * The documents travel as PDFs: each presented slot's pages are assembled into one PDF (JPEG
 * bytes as scanned, line art lossless; src-main/papers), streamed into the content store and hashed
 * while written. The manifest (what is signed) references each PDF by its SHA-256, so signing
 * never reads them again; the signer canonicalises it (RFC 8785) and returns the exact bytes it
 * signed, and those bytes are what is stored and sent, with exactly the PDFs it lists.
 */
import { createHash } from 'node:crypto';
import { newId } from '../db/ids.js';
import { AppError } from '../contract/errors.js';
import type { DocumentSlot, RequestDetail } from '../contract/model.js';
import { writeTx } from '../db/database.js';
import type { Logger } from '../host/logger-types.js';
import type { JsonValue, ManifestToSign } from '../sign/index.js';
import type { RequestService } from './request-service.js';

export interface SignerSummary {
  name: string;
  serial: string;
  notAfter: string;
  algorithm: string;
  iin: string | null;
}

export interface SignedManifest {
  /** The exact bytes signed (RFC 8785 JSON): stored and sent as they are. */
  manifest: Buffer;
  cms: Buffer;
  signer: SignerSummary;
  signedAt: string;
}

/** Implemented by the signing service (PKCS#12 or NCALayer). Throws SIGN_* AppErrors. */
export interface RequestSigner {
  signManifest(input: ManifestToSign, password: string): Promise<SignedManifest>;
}

/** One document slot's pages as one stored PDF. */
export interface SlotPdf {
  slotId: string;
  sha256: string;
  size: number;
  pageCount: number;
}

export interface SigningContext {
  operator: { id: string; iin: string | null; fullName: string };
  centre: { code: string; bin: string; name: string; workstationId: string };
  now: () => Date;
  log: Logger;
  /** Assembles a slot's pages into one PDF in the content store (durable before it resolves). */
  assemble: (detail: RequestDetail, slot: DocumentSlot) => Promise<SlotPdf>;
}

/**
 * The request as it is signed. Besides the form the operator filled, `form` carries what the
 * counter certified about the paper documents (presented, original or copy), the local number and
 * whether the registry confirmed the applicant, so all of it is covered by the signature.
 */
export function manifestToSign(
  detail: RequestDetail,
  form: Record<string, JsonValue>,
  ctx: Omit<SigningContext, 'assemble'>,
  operatorIin: string,
  pdfs: readonly SlotPdf[],
): ManifestToSign {
  const documents = pdfs.map((d) => ({ slot: d.slotId, index: 0, sha256: d.sha256, size: d.size, mediaType: 'application/pdf' }));
  return {
    requestId: detail.id,
    service: { id: detail.serviceId, subService: detail.subServiceId },
    applicant: { kind: detail.applicant.kind, number: detail.applicant.number, name: detail.applicant.name },
    representative: detail.representative
      ? {
          iin: detail.representative.iin,
          name: detail.representative.name,
          powerOfAttorney: {
            number: detail.representative.powerOfAttorney.number,
            date: detail.representative.powerOfAttorney.date,
            notary: detail.representative.powerOfAttorney.notary,
          },
        }
      : null,
    form: {
      ...form,
      counter: {
        localNumber: detail.localNumber,
        workstationId: ctx.centre.workstationId,
        applicantVerified: detail.applicant.verified,
        ...(detail.representative
          ? { powerOfAttorney: detail.representative.verified ? 'confirmed_in_registry' : (detail.representative.exception ?? 'unconfirmed') }
          : {}),
        documents: Object.fromEntries(detail.slots.filter((s) => s.presented).map((s) => [s.slotId, { original: s.original, pages: s.pages.length }])),
      },
    },
    operator: { id: ctx.operator.id, iin: operatorIin, name: ctx.operator.fullName },
    centre: { code: ctx.centre.code, bin: ctx.centre.bin, name: ctx.centre.name },
    createdAt: detail.createdAt,
    documents,
  };
}

/** The slot of the power of attorney's paper, in every catalogue service. */
export const POWER_OF_ATTORNEY_SLOT = 'power-of-attorney';

/**
 * Seed 003/002: a representative's power of attorney is confirmed in БНАЖ before the request is
 * certified; the one exception is a power of attorney certified otherwise than by a notary, which
 * БНАЖ does not hold: then its paper original must be presented and scanned.
 */
export function assertRepresentativeConfirmed(detail: RequestDetail): void {
  const rep = detail.representative;
  if (!rep || rep.verified) return;
  if (!rep.exception) throw new AppError('REPRESENTATIVE_NOT_CONFIRMED');
  const paper = detail.slots.find((s) => s.slotId === POWER_OF_ATTORNEY_SLOT);
  if (!paper || !paper.presented || !paper.original || paper.pages.length === 0) throw new AppError('REPRESENTATIVE_POA_PAPER_MISSING');
}

/** What the signing commit stores: the signature over the request as it was read (`updatedAt`). */
export interface SignatureCommit {
  requestId: string;
  /** The request's updated_at when its manifest was made: a change since refuses the commit. */
  updatedAt: string;
  signed: SignedManifest;
  manifestSha256: string;
  pdfs: readonly SlotPdf[];
  operatorId: string;
  now: Date;
}

/**
 * The signing commit, one transaction: the signature, its PDFs, the audit entry, documents_complete
 * → signed → queued (with their step events) and the outbox entry. Exported for bench:report,
 * which times this very transaction with and without step events.
 */
export function commitSignature(requests: RequestService, c: SignatureCommit): void {
  const { requestId, signed, manifestSha256, now } = c;
  writeTx(requests.db, () => {
    // The request must not have changed while the signer worked (another window, a late page).
    const fresh = requests.row(requestId);
    if (fresh.status !== 'documents_complete' || fresh.updated_at !== c.updatedAt) {
      throw new AppError('REQUEST_STATE', { status: fresh.status });
    }
    const signatureId = newId();
    const { signatures, documents, outbox } = requests.repos;
    signatures.insert({ id: signatureId, requestId, manifest: signed.manifest, manifestSha256, cms: signed.cms, signerJson: JSON.stringify(signed.signer), signedAt: signed.signedAt });
    documents.insertPdfs(signatureId, requestId, c.pdfs, now.toISOString());
    requests.audit.append({
      actor: c.operatorId,
      action: 'request.signed',
      subject: requestId,
      data: { signatureId, manifestSha256, certificateSerial: signed.signer.serial, algorithm: signed.signer.algorithm },
    });
    requests.advance(fresh, ['documents_complete', 'signed', 'queued'], c.operatorId);
    // A new signature always gets a new key; reopen() guarantees the old key can never be registered.
    outbox.insertSubmit(requestId, `${requestId}:${signatureId}`, now.toISOString());
  });
}

export async function signAndQueue(
  requests: RequestService,
  signer: RequestSigner,
  requestId: string,
  password: string,
  ctx: SigningContext,
): Promise<RequestDetail> {
  const detail = requests.detail(requestId);
  if (detail.status !== 'documents_complete') {
    const missing = requests.missingDocuments(requestId);
    if (missing.length && ['applicant_verified', 'applicant_unverified'].includes(detail.status)) {
      throw new AppError('REQUEST_INCOMPLETE', { missing: missing.length });
    }
    throw new AppError('REQUEST_STATE', { status: detail.status });
  }
  assertRepresentativeConfirmed(detail);
  if (!ctx.operator.iin) throw new AppError('AUTH_OPERATOR_NO_IIN');
  const row = requests.row(requestId);
  // One PDF per presented slot, one at a time (memory stays flat whatever the page count).
  const pdfs: SlotPdf[] = [];
  for (const slot of detail.slots.filter((s) => s.presented && s.pages.length > 0)) pdfs.push(await ctx.assemble(detail, slot));
  const input = manifestToSign(detail, JSON.parse(row.form_json) as Record<string, JsonValue>, ctx, ctx.operator.iin, pdfs);
  const signed = await signer.signManifest(input, password);
  const manifestSha256 = createHash('sha256').update(signed.manifest).digest('hex');
  const now = ctx.now();

  commitSignature(requests, { requestId, updatedAt: row.updated_at, signed, manifestSha256, pdfs, operatorId: ctx.operator.id, now });
  ctx.log.info({ requestId, manifestSha256: manifestSha256.slice(0, 12) }, 'request signed and queued');
  requests.notify(requestId);
  return requests.detail(requestId);
}
