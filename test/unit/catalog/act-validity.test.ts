/**
 * Validity of the acts (issue 13, item 2): each catalogue entry carries its act's dates; a
 * repealed act's service is not offered for new requests in a Centre's catalogue, and the shipped
 * catalogue, whose acts are all repealed, is training data that says so.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src-main/catalog/catalog.js';
import { AppError } from '../../../src-main/contract/errors.js';
import { actValidity } from '../../../src-main/contract/rules.js';
import { appRoot } from '../../../src-main/host/paths.js';

const FILE = join(appRoot(), 'assets', 'catalog', 'services.json');
const shipped = Catalog.load(FILE);

function codeOf(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    return e instanceof AppError ? e.code : `not an AppError: ${String(e)}`;
  }
}

interface FileShape {
  training: boolean;
  seeds: Record<string, { act: Record<string, unknown> }>;
}

/** The shipped file edited, written to a temp dir; returns its path. */
function variant(edit: (file: FileShape) => void, dir = mkdtempSync(join(tmpdir(), 'qab-acts-'))): string {
  const file = JSON.parse(readFileSync(FILE, 'utf8')) as FileShape;
  edit(file);
  const path = join(dir, 'services.json');
  writeFileSync(path, JSON.stringify(file));
  return path;
}

describe('the acts of the shipped catalogue', () => {
  it('every seed act is repealed, with the date, the repealing act and the seed line saying so', () => {
    const repealed: Record<string, string> = { '000': '2013-12-28', '001': '2014-04-14', '002': '2014-06-02', '003': '2020-09-16', '004': '2020-09-16' };
    for (const s of shipped.offered('2026-12-02')) {
      expect([s.id, s.validity, s.act.repealed]).toEqual([s.id, 'repealed', repealed[s.seed]]);
      expect(s.act.repealedBy?.kk).toMatch(/қаулысы/);
      expect(s.act.statusLine?.quote).toMatch(/Күші жойылды/);
    }
    expect(shipped.training).toBe(true);
  });

  it('the day before the repeal the act was in force; an act not yet in force is said so', () => {
    expect(actValidity({ inForce: null, repealed: '2020-09-16' }, '2020-09-15')).toBe('in_force');
    expect(actValidity({ inForce: null, repealed: '2020-09-16' }, '2020-09-16')).toBe('repealed');
    expect(actValidity({ inForce: '2027-01-01', repealed: null }, '2026-12-31')).toBe('not_yet_in_force');
    expect(actValidity({ inForce: '2027-01-01', repealed: null }, '2027-01-01')).toBe('in_force');
  });

  it('training data: a repealed act\'s service can still be started for practice', () => {
    expect(shipped.acceptable('emission-permit-almaty', 'cat-3', '2026-12-02').subServiceId).toBe('cat-3');
  });
});

describe("a Centre's own catalogue (training false)", () => {
  const centre = Catalog.load(variant((f) => (f.training = false)));

  it('refuses to start a service whose act is repealed, and names the date', () => {
    expect(centre.training).toBe(false);
    expect(codeOf(() => centre.acceptable('emission-permit-almaty', 'cat-3', '2026-12-02'))).toBe('CATALOG_ACT_REPEALED');
    try {
      centre.acceptable('emission-permit-almaty', 'cat-3', '2026-12-02');
    } catch (e) {
      expect((e as AppError).params).toEqual({ repealed: '2020-09-16' });
    }
    // Before the repeal it was accepted.
    expect(centre.acceptable('emission-permit-almaty', 'cat-3', '2020-09-15').subServiceId).toBe('cat-3');
  });

  it('offers the service again once the administrator installs a file with the act in force', () => {
    const updated = Catalog.load(
      variant((f) => {
        f.training = false;
        f.seeds['003']!.act = { ...f.seeds['003']!.act, adopted: '2026-06-01', inForce: '2026-07-01', repealed: null, repealedBy: null, statusLine: null };
      }),
    );
    expect(updated.offered('2026-12-02').find((s) => s.id === 'emission-permit-almaty')!.validity).toBe('in_force');
    expect(updated.acceptable('emission-permit-almaty', 'cat-3', '2026-12-02').subServiceId).toBe('cat-3');
    expect(codeOf(() => updated.acceptable('emission-permit-almaty', 'cat-3', '2026-06-15'))).toBe('CATALOG_ACT_NOT_IN_FORCE');
  });

  it("the administrator's copy in the data folder is used before the shipped file", () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qab-data-'));
    mkdirSync(join(dataDir, 'catalog'));
    const admin = variant((f) => (f.training = false), join(dataDir, 'catalog'));
    expect(Catalog.loadFirst([admin, FILE]).training).toBe(false);
    expect(Catalog.loadFirst([join(dataDir, 'nothing.json'), FILE]).training).toBe(true);
  });

  it('refuses the start when a service rests on an act the file does not carry', () => {
    expect(() => Catalog.load(variant((f) => delete f.seeds['004']))).toThrow(/its act \(seed 004\) is not in the file/);
  });
});
