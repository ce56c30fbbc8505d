/**
 * The `applicants` table: who applied, as the registry answered (or as typed by hand, unverified).
 * Found by the keyed hash of the IIN/BIN (db/keys.ts): the clear number is in no index.
 */
import { randomUUID } from 'node:crypto';
import type { IdnKind } from '../../contract/idn.js';
import type { Applicant } from '../../contract/model.js';
import { prep, type Db } from '../database.js';
import { applicantNumberHash } from '../keys.js';

export interface ApplicantRow {
  id: string;
  kind: IdnKind;
  /** Null once retention purged the applicant. */
  number: string | null;
  name: string | null;
  date: string | null;
  head: string | null;
  address: string | null;
  registry_status: Applicant['registryStatus'];
  verified: number;
  fetched_at: string | null;
}

/** What the registry said about an applicant. */
export type RegistryRecord = Pick<ApplicantRow, 'name' | 'date' | 'head' | 'address' | 'registry_status'>;

export class ApplicantsRepo {
  constructor(private readonly db: Db) {}

  hash(kind: IdnKind, number: string): string {
    return applicantNumberHash(this.db, kind, number);
  }

  /** Records (or refreshes) the registry's answer: the applicant becomes verified. */
  saveVerified(kind: IdnKind, number: string, record: RegistryRecord, fetchedAt: string): void {
    prep(
      this.db,
      `INSERT INTO applicants (id, kind, number, number_hash, name, date, head, address, registry_status, verified, registry_json, fetched_at)
       VALUES (@id, @kind, @number, @hash, @name, @date, @head, @address, @registry_status, 1, @json, @fetched_at)
       ON CONFLICT (number_hash) DO UPDATE SET name = excluded.name, date = excluded.date, head = excluded.head,
         address = excluded.address, registry_status = excluded.registry_status, verified = 1,
         registry_json = excluded.registry_json, fetched_at = excluded.fetched_at`,
    ).run({ id: randomUUID(), kind, number, hash: this.hash(kind, number), ...record, json: JSON.stringify(record), fetched_at: fetchedAt });
  }

  /** Records the applicant as typed by the operator, unverified (never downgrades a verified record). */
  saveManual(kind: IdnKind, number: string, name: string): void {
    prep(
      this.db,
      `INSERT INTO applicants (id, kind, number, number_hash, name, registry_status, verified) VALUES (?, ?, ?, ?, ?, 'unknown', 0)
       ON CONFLICT (number_hash) DO UPDATE SET name = excluded.name WHERE applicants.verified = 0`,
    ).run(randomUUID(), kind, number, this.hash(kind, number), name);
  }

  byNumber(kind: IdnKind, number: string): ApplicantRow | undefined {
    return prep(this.db, 'SELECT * FROM applicants WHERE number_hash = ?').get(this.hash(kind, number)) as ApplicantRow | undefined;
  }

  byId(id: string): ApplicantRow | undefined {
    return prep(this.db, 'SELECT * FROM applicants WHERE id = ?').get(id) as ApplicantRow | undefined;
  }

  /** Clears the applicant's personal data (retention), once. Returns whether it was purged now. */
  purge(id: string, at: string): boolean {
    return (
      prep(
        this.db,
        `UPDATE applicants SET number = NULL, number_hash = NULL, name = NULL, date = NULL, head = NULL, address = NULL,
           registry_json = NULL, purged_at = ? WHERE id = ? AND purged_at IS NULL`,
      ).run(at, id).changes > 0
    );
  }
}
