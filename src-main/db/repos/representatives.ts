/** The `request_representatives` table: who acts for the applicant, under which power of attorney. */
import type { Representative } from '../../contract/model.js';
import { prep, type Db } from '../database.js';

export interface RepresentativeRow {
  iin: string;
  name: string;
  poa_number: string;
  poa_date: string;
  poa_notary: string | null;
  verified: number;
  poa_exception: 'certified_otherwise' | null;
}

export class RepresentativesRepo {
  constructor(private readonly db: Db) {}

  /** Names (or renames) the representative; a changed one must be verified again. */
  upsert(requestId: string, rep: Representative, at: string): void {
    prep(
      this.db,
      `INSERT INTO request_representatives (request_id, iin, name, poa_number, poa_date, poa_notary, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (request_id) DO UPDATE SET iin = excluded.iin, name = excluded.name, poa_number = excluded.poa_number,
         poa_date = excluded.poa_date, poa_notary = excluded.poa_notary, verified = 0, fetched_at = NULL,
         poa_exception = NULL, exception_at = NULL`,
    ).run(requestId, rep.iin, rep.name.trim(), rep.powerOfAttorney.number.trim(), rep.powerOfAttorney.date, rep.powerOfAttorney.notary?.trim() ?? null, at);
  }

  delete(requestId: string): number {
    return prep(this.db, 'DELETE FROM request_representatives WHERE request_id = ?').run(requestId).changes;
  }

  get(requestId: string): RepresentativeRow | undefined {
    return prep(this.db, 'SELECT * FROM request_representatives WHERE request_id = ?').get(requestId) as RepresentativeRow | undefined;
  }

  /** The notarial registry confirmed the power of attorney; false when there is no representative. */
  markVerified(requestId: string, notary: string | null, at: string): boolean {
    return (
      prep(this.db, 'UPDATE request_representatives SET verified = 1, fetched_at = ?, poa_notary = COALESCE(poa_notary, ?) WHERE request_id = ?').run(
        at,
        notary,
        requestId,
      ).changes === 1
    );
  }

  /** Records (or, with null, withdraws) the exception for a power of attorney the registry cannot hold. */
  setException(requestId: string, exception: 'certified_otherwise' | null, at: string): boolean {
    return (
      prep(this.db, 'UPDATE request_representatives SET poa_exception = ?, exception_at = ? WHERE request_id = ?').run(exception, exception ? at : null, requestId)
        .changes === 1
    );
  }
}
