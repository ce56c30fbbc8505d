/**
 * P5 → P6: sign the completed request and put it in the outbox, in one transaction.
 *
 * The manifest (what is signed) references every page by its SHA-256, so signing never reads the
 * scans again; the signer canonicalises it (RFC 8785) and returns the exact bytes it signed, and
 * those bytes are what is stored and sent.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../contract/errors.js';
import type { RequestDetail } from '../contract/model.js';
import type { Logger } from '../host/logger-types.js';
import type { RequestService } from './request-service.js';

export interface ManifestInput {
  version: 1;
  request: { id: string; localNumber: string };
  service: { id: string; subService: string | null };
  applicant: { kind: 'iin' | 'bin'; number: string; name: string; verified: boolean };
  representative: null | { iin: string; name: string; powerOfAttorney: { number: string; date: string } | null };
  form: Record<string, unknown>;
  operator: { id: string; iin: string | null; name: string };
  centre: { code: string; bin: string; name: string; workstationId: string };
  times: { createdAt: string; signedAt: string };
  documents: { slot: string; index: number; sha256: string; size: number; mediaType: string; original: boolean }[];
}

export interface SignerSummary {
  name: string;
  serial: string;
  notAfter: string;
  algorithm: string;
  iin: string | null;
}

export interface SignedManifest {
  manifest: Buffer;
  manifestSha256: string;
  cms: Buffer;
  signer: SignerSummary;
}

/** Implemented by the signing service (PKCS#12 or NCALayer). Throws SIGN_* AppErrors. */
export interface RequestSigner {
  signManifest(input: ManifestInput, password: string, ctx: { operatorIin: string | null; centreBin: string; now: Date }): Promise<SignedManifest>;
}

export interface SigningContext {
  operator: { id: string; iin: string | null; fullName: string };
  centre: { code: string; bin: string; name: string; workstationId: string };
  now: () => Date;
  log: Logger;
}

export function manifestInput(detail: RequestDetail, form: Record<string, unknown>, ctx: SigningContext, signedAt: string): ManifestInput {
  return {
    version: 1,
    request: { id: detail.id, localNumber: detail.localNumber },
    service: { id: detail.serviceId, subService: detail.subServiceId },
    applicant: {
      kind: detail.applicant.kind,
      number: detail.applicant.number,
      name: detail.applicant.name,
      verified: detail.applicant.verified,
    },
    representative: null,
    form,
    operator: { id: ctx.operator.id, iin: ctx.operator.iin, name: ctx.operator.fullName },
    centre: ctx.centre,
    times: { createdAt: detail.createdAt, signedAt },
    documents: detail.slots
      .filter((s) => s.presented)
      .flatMap((s) =>
        s.pages.map((p, i) => ({ slot: s.slotId, index: i + 1, sha256: p.sha256, size: p.size, mediaType: p.mediaType, original: s.original })),
      ),
  };
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
  const now = ctx.now();
  const row = requests.row(requestId);
  const input = manifestInput(detail, JSON.parse(row.form_json) as Record<string, unknown>, ctx, now.toISOString());
  const signed = await signer.signManifest(input, password, { operatorIin: ctx.operator.iin, centreBin: ctx.centre.bin, now });

  const db = requests.db;
  db.transaction(() => {
    // The request must not have changed while the signer worked (another window, a late page).
    const fresh = requests.row(requestId);
    if (fresh.status !== 'documents_complete' || fresh.updated_at !== row.updated_at) {
      throw new AppError('REQUEST_STATE', { status: fresh.status });
    }
    const signatureId = randomUUID();
    db.prepare(
      `INSERT INTO signatures (id, request_id, manifest, manifest_sha256, cms, signer_json, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(signatureId, requestId, signed.manifest, signed.manifestSha256, signed.cms, JSON.stringify(signed.signer), now.toISOString());
    requests.setStatus(requestId, 'documents_complete', 'signed', ctx.operator.id);
    db.prepare(
      `INSERT INTO outbox (id, request_id, kind, idempotency_key, state, attempts, next_attempt_at, created_at)
       VALUES (?, ?, 'submit', ?, 'pending', 0, ?, ?)`,
    ).run(randomUUID(), requestId, `${requestId}:${signatureId}`, now.toISOString(), now.toISOString());
    requests.setStatus(requestId, 'signed', 'queued', ctx.operator.id);
  })();
  ctx.log.info({ requestId, manifestSha256: signed.manifestSha256.slice(0, 12) }, 'request signed and queued');
  requests.notify(requestId);
  return requests.detail(requestId);
}
