import { describe, expect, it } from 'vitest';
import { iinBirthDate, idnCheckDigit, idnProblem, isValidIdn } from '../../src-main/contract/idn.js';

describe('IIN/BIN check digit', () => {
  it('accepts real-format numbers whose check digit is right', () => {
    expect(isValidIdn('iin', '850315300128')).toBe(true);
    expect(isValidIdn('iin', '900702400457')).toBe(true);
    expect(isValidIdn('bin', '040340001233')).toBe(true);
    expect(isValidIdn('bin', '181141000016')).toBe(true); // a branch (division 1)
  });

  it('rejects a number with one digit mistyped', () => {
    expect(idnProblem('iin', '850315300129')).toBe('checksum');
    expect(idnProblem('iin', '850315300218')).toBe('checksum');
    expect(idnProblem('bin', '040340001234')).toBe('checksum');
  });

  it('uses the second weight set when the first sum is 10', () => {
    // 11 digits whose first weighted sum mod 11 is 10: the check digit comes from weights 3..11,1,2.
    const first11 = '00000000010';
    const s1 = [...first11].reduce((a, c, i) => a + Number(c) * (i + 1), 0) % 11;
    expect(s1).toBe(10);
    const s2 = [...first11].reduce((a, c, i) => a + Number(c) * [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2][i]!, 0) % 11;
    expect(idnCheckDigit(first11)).toBe(s2);
  });

  it('says what is wrong: format, date, century digit, entity type', () => {
    expect(idnProblem('iin', '12345')).toBe('format');
    expect(idnProblem('iin', '85031530012a')).toBe('format');
    const withCheck = (p: string) => p + String(idnCheckDigit(p));
    expect(idnProblem('iin', withCheck('85133130012'))).toBe('date'); // month 13
    expect(idnProblem('iin', withCheck('85023030012'))).toBe('date'); // 30 February
    expect(idnProblem('iin', withCheck('85031570012'))).toBe('century');
    expect(idnProblem('bin', withCheck('04037000123'))).toBe('entity_type');
  });

  it('reads the birth date from an IIN by its century digit', () => {
    expect(iinBirthDate('850315300128')).toBe('1985-03-15');
    expect(iinBirthDate('010203500018')).toBe('2001-02-03');
    expect(iinBirthDate('850315300129')).toBeNull();
  });
});
