/**
 * P8/P9 at the counter: what the provider decided (the refusal's reasons as the backend sent them,
 * or the result with its signature check) and handing it over. The result's PDF leaves this
 * module only when its provider signature verifies, checked again from the stored bytes each time
 * it is shown (a file changed on disk since it was received is not shown).
 */
import { AppError } from '../contract/errors.js';
import type { OpOutput } from '../contract/operations.js';
import { writeTx } from '../db/database.js';
import type { ResultRow } from '../db/repos/outcomes.js';
import type { Actor, RequestService } from './request-service.js';
import { recordReceipt } from './outcomes.js';

/**
 * Verifies a provider-signed result (src-main/sign SignService.verifyResult) against the trust of
 * the provider of `serviceId` only (its own roots, expected signer, revocation of the signer and its
 * intermediates). `at` is the server's decision time (the workstation's clock never judges the
 * server's documents). Resolves null when no providers for results are configured (the result
 * stays unverified); throws the SIGN_* AppError when the signature, the signer's certificate, its
 * chain, its subject or purpose, or its revocation is not right.
 */
export type ResultVerifier = (pdf: Buffer, cms: Buffer, at: Date, serviceId: string) => Promise<{ signerCn: string; signedAt: string | null } | null>;

/** What result.get answers: the contract's declaration is the one source of this shape. */
export type ResultView = OpOutput<'result.get'>;

type Localized = NonNullable<ResultView['refusal']>['reasons'][number]['text'];

/** A reason's text as stored: the backend's kk/ru/en, or (older rows, purged rows) a string or nothing. */
function localized(code: string, text: unknown): Localized {
  if (text && typeof text === 'object') {
    const t = text as Partial<Localized>;
    return { kk: t.kk ?? code, ru: t.ru ?? code, en: t.en ?? code };
  }
  const s = typeof text === 'string' && text ? text : code;
  return { kk: s, ru: s, en: s };
}

export class ResultService {
  constructor(
    private readonly requests: RequestService,
    /** The current verifier (the signing configuration may change while the app runs). */
    private readonly verifier: () => ResultVerifier | null,
    private readonly now: () => Date,
  ) {}

  async get(requestId: string): Promise<ResultView> {
    const r = this.requests.row(requestId);
    const { outcomes } = this.requests.repos;
    const decision = outcomes.latestDecision(requestId);
    const row: ResultRow | undefined = outcomes.latestResult(requestId);
    const issued = outcomes.issuance(requestId);
    const view: ResultView = {
      requestId,
      status: r.status,
      registrationNumber: r.registration_number,
      decidedAt: decision?.decided_at ?? null,
      refusal:
        decision?.kind === 'refused'
          ? { reasons: (JSON.parse(decision.reasons_json) as { code: string; text?: unknown }[]).map((x) => ({ code: x.code, text: localized(x.code, x.text) })) }
          : null,
      result: null,
      pdf: null,
      issued: issued ? { at: issued.issued_at, recipient: issued.recipient } : null,
    };
    if (!row?.sha256 || row.size === null) return view;
    const result: NonNullable<ResultView['result']> = {
      sha256: row.sha256,
      size: row.size,
      verification: row.verification,
      verificationCode: row.verification_code,
      signerCn: null,
      signedAt: null,
      receivedAt: row.received_at,
    };
    view.result = result;
    if (row.verification !== 'valid' || row.purged_at || !row.cms) return view;
    // Valid when received; checked again from the stored bytes before it is shown.
    const pdf = await this.requests.files.read(row.sha256);
    const verify = this.verifier();
    try {
      const ok = verify ? await verify(pdf, row.cms, new Date(decision?.decided_at ?? row.received_at), r.service_id) : null;
      if (!ok) {
        result.verification = 'unverified';
        return view;
      }
      result.signerCn = ok.signerCn;
      result.signedAt = ok.signedAt;
    } catch (e) {
      if (!(e instanceof AppError && e.code.startsWith('SIGN_'))) throw e;
      result.verification = 'invalid';
      result.verificationCode = e.code;
      return view;
    }
    view.pdf = { sha256: row.sha256, size: row.size, dataBase64: pdf.toString('base64') };
    return view;
  }

  /**
   * P9: records the handing over (RequestService.issue: issuance row and the acknowledgement's
   * outbox entry) and the issuance sheet as a receipt of the request, in one transaction; the
   * sheet's file is stored (fsync'd) first.
   */
  async issue(actor: Actor, requestId: string, recipient: 'applicant' | 'representative', sheet: Uint8Array): Promise<{ sha256: string; size: number; dataBase64: string }> {
    const stored = await this.requests.files.put(sheet);
    const localNumber = this.requests.row(requestId).local_number;
    writeTx(this.requests.db, () => {
      this.requests.issue(actor, requestId, recipient);
      recordReceipt(this.requests, { requestId, kind: 'issuance', number: localNumber, file: { sha256: stored.sha256, size: stored.size } }, this.now().toISOString());
    });
    return { sha256: stored.sha256, size: stored.size, dataBase64: Buffer.from(sheet).toString('base64') };
  }
}
