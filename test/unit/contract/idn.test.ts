import { describe, expect, it } from 'vitest';
import {
  decodeBin,
  decodeIin,
  iinBirthDate,
  idnCheckDigit,
  idnErrorCode,
  idnKindOf,
  idnProblem,
  isValidIdn,
  kazakhstanToday,
} from '../../../src-main/contract/idn.js';
import { ENTITIES, INDIVIDUALS, ABSENT } from '../../../sandbox/registry-seed.js';

/** Completes the meaningful digits with a serial and the right check digit (a number that passes the check digit). */
function withCheck(prefix: string): string {
  for (let serial = 1; serial < 10_000; serial++) {
    const first11 = (prefix + String(serial).padStart(11 - prefix.length, '0')).slice(0, 11);
    const check = idnCheckDigit(first11);
    if (check !== null) return first11 + String(check);
  }
  throw new Error(`no check digit for ${prefix}`);
}

const TODAY = '2026-12-01';

describe('IIN/BIN check digit', () => {
  it('accepts real-format numbers whose check digit is right', () => {
    expect(isValidIdn('iin', '850315300128')).toBe(true);
    expect(isValidIdn('iin', '900702400457')).toBe(true);
    expect(isValidIdn('bin', '040340001233')).toBe(true);
    expect(isValidIdn('bin', '181141000016')).toBe(true); // a branch (division 1)
  });

  it('rejects a number with one digit mistyped, with IDN_CHECKSUM', () => {
    expect(idnProblem('iin', '850315300129')).toBe('checksum');
    expect(idnProblem('iin', '850315300218')).toBe('checksum');
    expect(idnProblem('bin', '040340001234')).toBe('checksum');
    expect(idnErrorCode('iin', '850315300129')).toBe('IDN_CHECKSUM');
    expect(idnErrorCode('bin', '040340001234')).toBe('IDN_CHECKSUM');
  });

  it('uses the second weight set when the first sum is 10', () => {
    // 11 digits whose first weighted sum mod 11 is 10: the check digit comes from weights 3..11,1,2.
    const first11 = '00000000010';
    const s1 = [...first11].reduce((a, c, i) => a + Number(c) * (i + 1), 0) % 11;
    expect(s1).toBe(10);
    const s2 = [...first11].reduce((a, c, i) => a + Number(c) * [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2][i]!, 0) % 11;
    expect(idnCheckDigit(first11)).toBe(s2);
  });

  it('refuses anything but 12 digits with IDN_FORMAT', () => {
    expect(idnProblem('iin', '12345')).toBe('format');
    expect(idnProblem('iin', '85031530012a')).toBe('format');
    expect(idnErrorCode('bin', '0403400012331')).toBe('IDN_FORMAT');
  });
});

describe('IIN rules: the date of birth', () => {
  it('accepts a date that exists, including 29 February of a leap year', () => {
    expect(idnProblem('iin', withCheck('8802294'), TODAY)).toBeNull();
    expect(idnProblem('iin', withCheck('0002295'), TODAY)).toBeNull(); // 2000 is a leap year
  });

  it('refuses a date that does not exist with IIN_DATE_INVALID', () => {
    for (const prefix of ['8513313', '8500153', '8502303', '8904313', '8902293', '0002293' /* 1900 was not leap */, '8501323', '8501003']) {
      const n = withCheck(prefix);
      expect([prefix, idnProblem('iin', n, TODAY)]).toEqual([prefix, 'date']);
      expect(idnErrorCode('iin', n, TODAY)).toBe('IIN_DATE_INVALID');
    }
  });

  it('accepts a birth today and refuses one after today with IIN_DATE_FUTURE', () => {
    expect(idnProblem('iin', withCheck('2612015'), TODAY)).toBeNull();
    expect(idnProblem('iin', withCheck('2612025'), TODAY)).toBe('future');
    expect(idnErrorCode('iin', withCheck('2612026'), TODAY)).toBe('IIN_DATE_FUTURE');
    // The same digits in the 20th century (digit 3) were born long ago.
    expect(idnProblem('iin', withCheck('2612023'), TODAY)).toBeNull();
  });

  it("takes today from Kazakhstan's clock (UTC+5)", () => {
    expect(kazakhstanToday(new Date('2026-12-01T18:59:00Z'))).toBe('2026-12-01');
    expect(kazakhstanToday(new Date('2026-12-01T19:00:00Z'))).toBe('2026-12-02');
  });
});

describe('IIN rules: the 7th digit gives century and sex', () => {
  it('decodes 1–6 into century and sex', () => {
    const cases = [
      ['1', 19, 'male', '1885'],
      ['2', 19, 'female', '1885'],
      ['3', 20, 'male', '1985'],
      ['4', 20, 'female', '1985'],
      ['5', 21, 'male', '2085'],
      ['6', 21, 'female', '2085'],
    ] as const;
    for (const [digit, century, sex, year] of cases) {
      const n = withCheck(`850315${digit}`);
      const facts = decodeIin(n, '2090-01-01');
      expect(facts).toEqual({ birthDate: `${year}-03-15`, century, sex });
    }
    expect(decodeIin('850315300128')).toEqual({ birthDate: '1985-03-15', century: 20, sex: 'male' });
    expect(decodeIin('900702400457')).toEqual({ birthDate: '1990-07-02', century: 20, sex: 'female' });
  });

  it('refuses 0, 7, 8 and 9 with IIN_CENTURY_DIGIT', () => {
    for (const digit of ['0', '7', '8', '9']) {
      const n = withCheck(`850315${digit}`);
      expect([digit, idnProblem('iin', n, TODAY)]).toEqual([digit, 'century']);
      expect(idnErrorCode('iin', n, TODAY)).toBe('IIN_CENTURY_DIGIT');
      expect(decodeIin(n, TODAY)).toBeNull();
    }
  });

  it('reads the birth date from an IIN by its century digit', () => {
    expect(iinBirthDate('850315300128')).toBe('1985-03-15');
    expect(iinBirthDate('010203500018')).toBe('2001-02-03');
    expect(iinBirthDate('850315300129')).toBeNull();
  });
});

describe('BIN rules: registration month, entity type (5th digit), division (6th digit)', () => {
  it('decodes the entity type 4, 5, 6 and the division 0–3', () => {
    const types = { '4': 'resident', '5': 'non_resident', '6': 'joint_entrepreneur' } as const;
    const divisions = { '0': 'head_office', '1': 'branch', '2': 'representative_office', '3': 'peasant_farm' } as const;
    for (const [t, entityType] of Object.entries(types)) {
      for (const [d, division] of Object.entries(divisions)) {
        const n = withCheck(`0403${t}${d}`);
        expect(idnProblem('bin', n)).toBeNull();
        expect(decodeBin(n)).toEqual({ registeredMonth: '04-03', entityType, division });
        expect(idnKindOf(n)).toBe('bin');
      }
    }
  });

  it('refuses any other 5th digit with BIN_ENTITY_TYPE', () => {
    for (const t of ['0', '1', '2', '3', '7', '8', '9']) {
      const n = withCheck(`0403${t}0`);
      expect([t, idnProblem('bin', n)]).toEqual([t, 'entity_type']);
      expect(idnErrorCode('bin', n)).toBe('BIN_ENTITY_TYPE');
    }
  });

  it('refuses a 6th digit above 3 with BIN_DIVISION', () => {
    for (const d of ['4', '5', '6', '7', '8', '9']) {
      const n = withCheck(`04034${d}`);
      expect([d, idnProblem('bin', n)]).toEqual([d, 'division']);
      expect(idnErrorCode('bin', n)).toBe('BIN_DIVISION');
      expect(decodeBin(n)).toBeNull();
    }
  });

  it('refuses a registration month outside 01–12 with BIN_DATE_INVALID', () => {
    for (const mm of ['00', '13', '99']) {
      const n = withCheck(`04${mm}40`);
      expect([mm, idnProblem('bin', n)]).toEqual([mm, 'date']);
      expect(idnErrorCode('bin', n)).toBe('BIN_DATE_INVALID');
    }
  });
});

describe('the sandbox registry keeps to the rules', () => {
  it('has only valid IINs and BINs, whose dates and kinds match what the numbers say', () => {
    for (const p of INDIVIDUALS) {
      expect([p.iin, idnProblem('iin', p.iin)]).toEqual([p.iin, null]);
      expect(decodeIin(p.iin)?.birthDate).toBe(p.birthDate);
    }
    for (const e of ENTITIES) {
      expect([e.bin, idnProblem('bin', e.bin)]).toEqual([e.bin, null]);
      expect(decodeBin(e.bin)?.registeredMonth).toBe(`${e.registeredAt.slice(2, 4)}-${e.registeredAt.slice(5, 7)}`);
    }
    for (const n of ABSENT.iin) expect(idnProblem('iin', n)).toBeNull();
    for (const n of ABSENT.bin) expect(idnProblem('bin', n)).toBeNull();
  });
});
