/**
 * P3/C1: who the applicant is. Looks the IIN or BIN up in the state registry through the gateway
 * and keeps the registry's answer (and when it was fetched) in the applicants table. When the
 * registry cannot be reached, the operator may continue with data typed by hand: such an
 * applicant is marked unverified and is looked up again before the request is sent.
 */
import { AppError } from '../contract/errors.js';
import { idnErrorCode, kazakhstanToday, type IdnKind } from '../contract/idn.js';
import type { Applicant } from '../contract/model.js';
import { writeTx, type Db } from '../db/database.js';
import { ApplicantsRepo, type ApplicantRow, type RegistryRecord } from '../db/repos/applicants.js';
import type { Logger } from '../host/logger-types.js';
import type { GatewayClient } from '../gateway/gateway-client.js';

export function rowToApplicant(r: ApplicantRow): Applicant {
  return {
    kind: r.kind,
    number: r.number ?? '',
    name: r.name ?? '',
    date: r.date,
    head: r.head,
    address: r.address,
    registryStatus: r.registry_status,
    verified: r.verified === 1,
    fetchedAt: r.fetched_at,
  };
}

/** Refuses a number that breaks an IIN/BIN rule, with that rule's own error code (idn.ts). */
export function assertValidIdn(kind: IdnKind, number: string, now: Date = new Date()): void {
  const code = idnErrorCode(kind, number, kazakhstanToday(now));
  if (code) throw new AppError(code, { kind });
}

export class ApplicantService {
  private readonly repo: ApplicantsRepo;

  constructor(
    private readonly db: Db,
    private readonly gateway: GatewayClient,
    private readonly log: Logger,
    private readonly now: () => Date,
  ) {
    this.repo = new ApplicantsRepo(db);
  }

  /** Registry answers that could not be had become one typed error the operator understands. */
  private registryError(e: unknown, what: string): unknown {
    if (e instanceof AppError && e.retryable) {
      this.log.warn({ what, code: e.code }, 'registry unreachable');
      return new AppError('REGISTRY_UNAVAILABLE', {}, { retryable: true, cause: e });
    }
    if (e instanceof AppError && e.code === 'GATEWAY_BAD_RESPONSE') return new AppError('REGISTRY_BAD_RESPONSE', {}, { cause: e });
    return e;
  }

  /**
   * P3 for a representative (seed 003): the power of attorney in the unified notarial system
   * (БНАЖ), by its number, the principal (the applicant) and the representative. Absent: "data
   * cannot be obtained"; expired or revoked: refused with the reason. The registry judges validity
   * on its own date.
   */
  async verifyPowerOfAttorney(
    principal: { kind: IdnKind; number: string },
    representative: { iin: string; number: string },
  ): Promise<{ notary: string; validUntil: string }> {
    let record: Awaited<ReturnType<GatewayClient['lookupPowerOfAttorney']>>;
    try {
      record = await this.gateway.lookupPowerOfAttorney({ number: representative.number, principal, representativeIin: representative.iin });
    } catch (e) {
      throw this.registryError(e, 'power-of-attorney');
    }
    if (!record) throw new AppError('REPRESENTATIVE_POA_NOT_FOUND');
    if (record.status === 'expired') throw new AppError('REPRESENTATIVE_POA_EXPIRED', { validUntil: record.validUntil });
    if (record.status === 'revoked') throw new AppError('REPRESENTATIVE_POA_REVOKED');
    return { notary: record.notary, validUntil: record.validUntil };
  }

  /** `onFound` runs in the transaction that stores the registry's answer (the look-up's step event). */
  async lookup(kind: IdnKind, number: string, onFound?: () => void): Promise<Applicant> {
    assertValidIdn(kind, number, this.now());
    let record: RegistryRecord | null;
    try {
      if (kind === 'iin') {
        const p = await this.gateway.lookupIndividual(number);
        record = p && { name: p.fullName, date: p.birthDate, head: null, address: null, registry_status: p.status };
      } else {
        const e = await this.gateway.lookupEntity(number);
        record = e && { name: e.name, date: e.registeredAt, head: e.head, address: e.address, registry_status: e.status };
      }
    } catch (e) {
      throw this.registryError(e, kind);
    }
    if (!record) {
      this.log.info({ kind }, 'applicant not found in the registry (P4)');
      throw new AppError('APPLICANT_NOT_FOUND', { kind });
    }
    const found = record;
    writeTx(this.db, () => {
      this.repo.saveVerified(kind, number, found, this.now().toISOString());
      onFound?.();
    });
    return this.get(kind, number)!;
  }

  get(kind: IdnKind, number: string): Applicant | null {
    // Found by the keyed hash: the clear IIN/BIN is in no index (src-main/db/keys.ts).
    const row = this.repo.byNumber(kind, number);
    return row ? rowToApplicant(row) : null;
  }

  idOf(kind: IdnKind, number: string): string | null {
    return this.repo.byNumber(kind, number)?.id ?? null;
  }

  /** Offline P3: records the applicant as typed by the operator, unverified (never downgrades a verified record). */
  recordManual(kind: IdnKind, number: string, name: string): Applicant {
    assertValidIdn(kind, number, this.now());
    this.repo.saveManual(kind, number, name);
    return this.get(kind, number)!;
  }
}
