/**
 * IIN (ЖСН/ИИН) and BIN (БСН/БИН) validation and decoding: 12 digits with a check digit, and the
 * meaning of the digits before it.
 *
 * Check digit: weights 1..11 over the first 11 digits, sum mod 11; if that is 10, weights
 * 3,4,...,11,1,2; if that is 10 again, the number is invalid (no such number is ever issued).
 *
 * IIN: YYMMDD (date of birth), then the century/sex digit (1 man / 2 woman born in the 19th
 * century, 3 / 4 in the 20th, 5 / 6 in the 21st), a 4-digit serial, the check digit. The date
 * must exist and must not be after today.
 * BIN: YYMM (month of registration), the entity type (4 resident legal entity, 5 non-resident
 * legal entity, 6 individual entrepreneur in joint form), the division (0 head office, 1 branch,
 * 2 representative office, 3 peasant (farm) enterprise in joint form), a 5-digit serial, the
 * check digit.
 *
 * Every rule has its own problem and its own error code, so the operator is told which rule the
 * number breaks. Pure code with no dependencies: the renderer uses it for instant feedback, the
 * contract re-checks at the boundary (see IdnSubject in model.ts).
 */

export type IdnKind = 'iin' | 'bin';

export type IdnProblem = 'format' | 'checksum' | 'date' | 'future' | 'century' | 'entity_type' | 'division';

/** Each rule's own error code, by kind: what the boundary and the services refuse with. */
export const IDN_ERROR_CODES = {
  iin: {
    format: 'IDN_FORMAT',
    checksum: 'IDN_CHECKSUM',
    date: 'IIN_DATE_INVALID',
    future: 'IIN_DATE_FUTURE',
    century: 'IIN_CENTURY_DIGIT',
    entity_type: 'IDN_FORMAT',
    division: 'IDN_FORMAT',
  },
  bin: {
    format: 'IDN_FORMAT',
    checksum: 'IDN_CHECKSUM',
    date: 'BIN_DATE_INVALID',
    future: 'BIN_DATE_INVALID',
    century: 'IDN_FORMAT',
    entity_type: 'BIN_ENTITY_TYPE',
    division: 'BIN_DIVISION',
  },
} as const satisfies Record<IdnKind, Record<IdnProblem, string>>;

export type IdnErrorCode = (typeof IDN_ERROR_CODES)[IdnKind][IdnProblem];
/** Every IIN/BIN error code, for the contract's error lists and the message files. */
export const IDN_CODES = [
  'IDN_FORMAT',
  'IDN_CHECKSUM',
  'IIN_DATE_INVALID',
  'IIN_DATE_FUTURE',
  'IIN_CENTURY_DIGIT',
  'BIN_DATE_INVALID',
  'BIN_ENTITY_TYPE',
  'BIN_DIVISION',
] as const satisfies readonly IdnErrorCode[];

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

export const BIN_ENTITY_TYPES = { '4': 'resident', '5': 'non_resident', '6': 'joint_entrepreneur' } as const;
export type BinEntityType = (typeof BIN_ENTITY_TYPES)[keyof typeof BIN_ENTITY_TYPES];
export const BIN_DIVISIONS = { '0': 'head_office', '1': 'branch', '2': 'representative_office', '3': 'peasant_farm' } as const;
export type BinDivision = (typeof BIN_DIVISIONS)[keyof typeof BIN_DIVISIONS];

/**
 * Which kind a 12-digit number is, by its shape: a BIN's fifth digit is an entity type; an IIN's
 * is the tens of a day of the month (0–3).
 */
export function idnKindOf(value: string): IdnKind {
  return Object.hasOwn(BIN_ENTITY_TYPES, value[4] ?? '') ? 'bin' : 'iin';
}

/**
 * Today's date in Kazakhstan ('YYYY-MM-DD'): the whole country is on UTC+5 since 1 March 2024.
 * Used only to refuse birth dates after today; the calendar module handles older instants.
 */
export function kazakhstanToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 5 * 3_600_000).toISOString().slice(0, 10);
}

function centuryStart(digit: number): number {
  return digit <= 2 ? 1800 : digit <= 4 ? 1900 : 2000;
}

function existingDate(year: number, mm: number, dd: number): boolean {
  const d = new Date(Date.UTC(year, mm - 1, dd));
  return mm >= 1 && mm <= 12 && d.getUTCMonth() === mm - 1 && d.getUTCDate() === dd;
}

function iinRuleProblem(value: string, today: string): IdnProblem | null {
  const digit = Number(value[6]);
  if (digit < 1 || digit > 6) return 'century';
  const year = centuryStart(digit) + Number(value.slice(0, 2));
  if (!existingDate(year, Number(value.slice(2, 4)), Number(value.slice(4, 6)))) return 'date';
  if (`${year}-${value.slice(2, 4)}-${value.slice(4, 6)}` > today) return 'future';
  return null;
}

function binRuleProblem(value: string): IdnProblem | null {
  const mm = Number(value.slice(2, 4));
  if (mm < 1 || mm > 12) return 'date';
  if (!Object.hasOwn(BIN_ENTITY_TYPES, value[4]!)) return 'entity_type';
  if (!Object.hasOwn(BIN_DIVISIONS, value[5]!)) return 'division';
  return null;
}

/**
 * Returns null when valid, or which rule the number breaks (the first, in the order: format,
 * check digit, then the digits' meaning). `today` is the local date births may not follow.
 */
export function idnProblem(kind: IdnKind, value: string, today: string = kazakhstanToday()): IdnProblem | null {
  if (!/^\d{12}$/.test(value)) return 'format';
  const check = idnCheckDigit(value.slice(0, 11));
  if (check === null || check !== Number(value[11])) return 'checksum';
  return kind === 'iin' ? iinRuleProblem(value, today) : binRuleProblem(value);
}

/** The error code of the rule a number breaks, or null when it is valid. */
export function idnErrorCode(kind: IdnKind, value: string, today?: string): IdnErrorCode | null {
  const problem = idnProblem(kind, value, today);
  return problem ? IDN_ERROR_CODES[kind][problem] : null;
}

export function isValidIdn(kind: IdnKind, value: string, today?: string): boolean {
  return idnProblem(kind, value, today) === null;
}

export interface IinFacts {
  /** YYYY-MM-DD. */
  birthDate: string;
  /** The century of birth as its first year: 1801 → 19th, 1901 → 20th, 2001 → 21st. */
  century: 19 | 20 | 21;
  sex: 'male' | 'female';
}

/** What an IIN says about its holder (from the 7th digit and the date), or null for an invalid IIN. */
export function decodeIin(iin: string, today?: string): IinFacts | null {
  if (idnProblem('iin', iin, today)) return null;
  const digit = Number(iin[6]);
  const year = centuryStart(digit) + Number(iin.slice(0, 2));
  return {
    birthDate: `${year}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`,
    century: (digit <= 2 ? 19 : digit <= 4 ? 20 : 21),
    sex: digit % 2 === 1 ? 'male' : 'female',
  };
}

export interface BinFacts {
  /** Month of state registration, 'YY-MM' (the century is not in the number). */
  registeredMonth: string;
  entityType: BinEntityType;
  division: BinDivision;
}

/** What a BIN says about the entity (5th and 6th digits, registration month), or null for an invalid BIN. */
export function decodeBin(bin: string): BinFacts | null {
  if (idnProblem('bin', bin)) return null;
  return {
    registeredMonth: `${bin.slice(0, 2)}-${bin.slice(2, 4)}`,
    entityType: BIN_ENTITY_TYPES[bin[4] as keyof typeof BIN_ENTITY_TYPES],
    division: BIN_DIVISIONS[bin[5] as keyof typeof BIN_DIVISIONS],
  };
}

/** Birth date of an IIN holder as YYYY-MM-DD, or null for an invalid IIN. */
export function iinBirthDate(iin: string, today?: string): string | null {
  return decodeIin(iin, today)?.birthDate ?? null;
}
