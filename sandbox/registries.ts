/** The registries the workstation asks (P3): individuals (ГБД ФЛ), entities (ГБД ЮЛ), powers of attorney (БНАЖ). */
import { isValidIdn } from '../src-main/contract/idn.js';
import type { SandboxDb } from './db.js';
import { bad, HttpError, str, type Answer } from './http-util.js';

export class Registries {
  constructor(
    private readonly db: SandboxDb,
    private readonly now: () => Date,
  ) {}

  individual(iin: string): Answer {
    if (!isValidIdn('iin', iin)) throw bad('iin');
    const row = this.db.prepare('SELECT * FROM individuals WHERE iin = ?').get(iin) as
      | { iin: string; full_name: string; birth_date: string; status: string }
      | undefined;
    if (!row) throw new HttpError(404, 'NOT_FOUND');
    return { status: 200, json: { iin: row.iin, fullName: row.full_name, birthDate: row.birth_date, status: row.status, asOf: this.now().toISOString() } };
  }

  entity(bin: string): Answer {
    if (!isValidIdn('bin', bin)) throw bad('bin');
    const row = this.db.prepare('SELECT * FROM entities WHERE bin = ?').get(bin) as
      | { bin: string; name: string; head: string; address: string; registered_at: string; status: string }
      | undefined;
    if (!row) throw new HttpError(404, 'NOT_FOUND');
    return {
      status: 200,
      json: { bin: row.bin, name: row.name, head: row.head, address: row.address, registeredAt: row.registered_at, status: row.status, asOf: this.now().toISOString() },
    };
  }

  powerOfAttorney(number: string, query: URLSearchParams): Answer {
    const principal = str(query.get('principal'), /^\d{12}$/, 'principal');
    const representative = str(query.get('representative'), /^\d{12}$/, 'representative');
    const row = this.db.prepare('SELECT * FROM powers_of_attorney WHERE number = ?').get(number) as
      | Record<string, string | number>
      | undefined;
    // A number with another principal or representative is "not found": the registry does not
    // confirm that a power of attorney exists to someone who does not already know both parties.
    if (!row || row.principal_number !== principal || row.representative_iin !== representative) throw new HttpError(404, 'NOT_FOUND');
    const today = this.now().toISOString().slice(0, 10);
    const status = row.revoked ? 'revoked' : String(row.valid_until) < today ? 'expired' : 'active';
    return {
      status: 200,
      json: {
        number: row.number,
        issuedAt: row.issued_at,
        validUntil: row.valid_until,
        notary: row.notary,
        principal: { kind: row.principal_kind, number: row.principal_number, name: row.principal_name },
        representative: { iin: row.representative_iin, name: row.representative_name },
        powers: row.powers,
        status,
        asOf: this.now().toISOString(),
      },
    };
  }
}
