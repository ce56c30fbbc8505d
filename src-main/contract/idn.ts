/**
 * IIN (ЖСН/ИИН) and BIN (БСН/БИН) validation: 12 digits with a check digit.
 *
 * Check digit: weights 1..11 over the first 11 digits, sum mod 11; if that is 10, weights
 * 3,4,...,11,1,2; if that is 10 again, the number is invalid (no such number is ever issued).
 *
 * IIN: YYMMDD, then the century/sex digit (1–6), a 4-digit serial, the check digit.
 * BIN: YYMM, the entity type (4 resident legal entity, 5 non-resident, 6 individual
 * entrepreneur in joint form), the division (0 head office, 1 branch, 2 representative
 * office, 3 peasant farm), a 5-digit serial, the check digit.
 *
 * Pure code with no dependencies: the renderer uses it for instant feedback, the main process
 * re-checks at the boundary.
 */

export type IdnKind = 'iin' | 'bin';

export type IdnProblem = 'format' | 'checksum' | 'date' | 'century' | 'entity_type';

const W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

export function idnCheckDigit(first11: string): number | null {
  if (!/^\d{11}$/.test(first11)) return null;
  const digits = [...first11].map(Number);
  let sum = digits.reduce((acc, d, i) => acc + d * W1[i]!, 0) % 11;
  if (sum === 10) {
    sum = digits.reduce((acc, d, i) => acc + d * W2[i]!, 0) % 11;
    if (sum === 10) return null;
  }
  return sum;
}

/** A BIN's fifth digit: its entity type (see above). */
const BIN_ENTITY_TYPES = ['4', '5', '6'];

/**
 * Which kind a 12-digit number is, by its shape: a BIN's fifth digit is an entity type; an IIN's
 * is the tens of a day of the month (0–3).
 */
export function idnKindOf(value: string): IdnKind {
  return BIN_ENTITY_TYPES.includes(value[4] ?? '') ? 'bin' : 'iin';
}

/** Returns null when valid, or what is wrong. */
export function idnProblem(kind: IdnKind, value: string): IdnProblem | null {
  if (!/^\d{12}$/.test(value)) return 'format';
  const check = idnCheckDigit(value.slice(0, 11));
  if (check === null || check !== Number(value[11])) return 'checksum';
  if (kind === 'iin') {
    const century = Number(value[6]);
    if (century < 1 || century > 6) return 'century';
    const yy = Number(value.slice(0, 2));
    const mm = Number(value.slice(2, 4));
    const dd = Number(value.slice(4, 6));
    const year = (century <= 2 ? 1800 : century <= 4 ? 1900 : 2000) + yy;
    const d = new Date(Date.UTC(year, mm - 1, dd));
    if (mm < 1 || mm > 12 || d.getUTCMonth() !== mm - 1 || d.getUTCDate() !== dd) return 'date';
  } else {
    const mm = Number(value.slice(2, 4));
    if (mm < 1 || mm > 12) return 'date';
    if (idnKindOf(value) !== 'bin') return 'entity_type';
  }
  return null;
}

export function isValidIdn(kind: IdnKind, value: string): boolean {
  return idnProblem(kind, value) === null;
}

/** Birth date of an IIN holder as YYYY-MM-DD, or null for an invalid IIN. */
export function iinBirthDate(iin: string): string | null {
  if (idnProblem('iin', iin)) return null;
  const century = Number(iin[6]);
  const year = (century <= 2 ? 1800 : century <= 4 ? 1900 : 2000) + Number(iin.slice(0, 2));
  return `${year}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`;
}
