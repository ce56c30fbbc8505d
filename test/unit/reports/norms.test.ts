/**
 * The norms file beside the catalogue: the shipped one loads and says where each norm comes from;
 * a broken one (unknown service, negative time, missing unit, a service neither normed nor saying
 * why, a quote its seed's text does not say at the cited lines) is refused with the file and the
 * entry named, and the host does not start with it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src-main/catalog/catalog.js';
import { Regulations } from '../../../src-main/catalog/regulations.js';
import { assetPath } from '../../../src-main/host/paths.js';
import { Norms } from '../../../src-main/reports/norms.js';

const FILE = assetPath('catalog', 'norms.json');
const SERVICES = Catalog.load(assetPath('catalog', 'services.json')).services.map((s) => s.id);
const shipped = () => JSON.parse(readFileSync(FILE, 'utf8')) as { services: { serviceId: string; steps: Record<string, unknown>[]; noNorms: unknown }[] };

const REGULATIONS = [assetPath('regulations')];

function refusal(edit: (f: ReturnType<typeof shipped>) => void, regulations?: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'qab-norms-'));
  const file = join(dir, 'norms.json');
  try {
    const f = shipped();
    edit(f);
    writeFileSync(file, JSON.stringify(f));
    Norms.load(file, SERVICES, regulations ? { regulations: new Regulations(regulations) } : {});
    return 'loaded';
  } catch (e) {
    return (e as Error).message.replace(file, '<file>');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('norms file', () => {
  it('loads the shipped file: Table 3 of seed 000 and para 10 of seed 003, in milliseconds, with their source', () => {
    const norms = Norms.load(FILE, SERVICES);
    expect(norms.norm('emission-permit-aktobe', 'P1')).toMatchObject({ maxMs: 60_000, minMs: 30_000, source: { seed: '000', row: 'action 1', quote: '30 сек – 1 минут' } });
    expect(norms.norm('emission-permit-aktobe', 'P3')?.maxMs).toBe(90_000);
    expect(norms.norm('emission-permit-almaty', 'P5')).toMatchObject({ maxMs: 30 * 60_000, printed: { max: 30, unit: 'minutes' }, source: { seed: '003', row: '6)' } });
    // A service whose regulation has no step times says so, and borrows no other's.
    expect(norms.of('eco-expertise-aktobe')?.steps).toEqual([]);
    expect(norms.of('eco-expertise-aktobe')?.noNorms?.en).toContain('no Table 3');
    expect(norms.norm('eco-expertise-aktobe', 'P1')).toBeNull();
    expect(norms.all().map((s) => s.serviceId).sort()).toEqual([...SERVICES].sort());
  });

  it('refuses a bad file, naming the file and the entry', () => {
    expect(refusal((f) => (f.services[0]!.serviceId = 'no-such-service'))).toBe('norms file <file>: services[0] (no-such-service): no such service in the catalogue');
    expect(refusal((f) => (f.services[0]!.steps[1]!.max = -30))).toBe('norms file <file>: services[0] (emission-permit-aktobe).steps[1].max: must be a positive time');
    expect(refusal((f) => delete f.services[2]!.steps[0]!.unit)).toBe('norms file <file>: services[2] (emission-permit-almaty).steps[0].unit: must be "seconds" or "minutes"');
    expect(refusal((f) => (f.services[1]!.noNorms = null))).toBe(
      'norms file <file>: services[1] (eco-expertise-aktobe): no step norms and no noNorms saying why: a service without norms must say so',
    );
    expect(refusal((f) => f.services.pop())).toMatch(/^norms file <file>: service construction-on-minerals-permit-almaty of the catalogue has no entry/);
    expect(refusal((f) => f.services[0]!.steps.push({ ...f.services[0]!.steps[0]! }))).toBe('norms file <file>: services[0] (emission-permit-aktobe): step P1 is given twice');
    expect(refusal(() => undefined)).toBe('loaded');
  });

  it("checks each norm's quote against its seed's text at the cited lines, as the catalogue is checked", () => {
    const norms = Norms.load(FILE, SERVICES, { regulations: new Regulations(REGULATIONS) });
    expect(norms.norm('emission-permit-almaty', 'P3')?.source.quote).toBe('2 (екі) минут ішінде; … 1 (бір) минут ішінде');
    expect(refusal(() => undefined, REGULATIONS)).toBe('loaded');
    // A time the regulation does not give.
    expect(refusal((f) => ((f.services[0]!.steps[1]!.source as { quote: string }).quote = '40 сек'), REGULATIONS)).toBe(
      'norms file <file>: services[0] (emission-permit-aktobe): step P2: quotes "40 сек" at lines 258–278, which seed 000 does not say',
    );
    // Said by the seed, but not at the lines the norm cites.
    expect(refusal((f) => ((f.services[2]!.steps[0]!.source as { lines: string }).lines = 'L600–602'), REGULATIONS)).toMatch(
      /^norms file <file>: services\[2\] \(emission-permit-almaty\): step P1: quotes "1 \(бір\) минут ішінде" at lines 600–602, but seed 003 has it at line \d+/,
    );
    // The same check is skipped only when no texts are given (the unit tests of other parts).
    expect(refusal((f) => ((f.services[0]!.steps[1]!.source as { quote: string }).quote = '40 сек'))).toBe('loaded');
  });

  it('refuses a norm whose lines cannot be read, and a seed whose text is nowhere', () => {
    expect(refusal((f) => ((f.services[0]!.steps[0]!.source as { lines: string }).lines = 'somewhere'))).toBe(
      'norms file <file>: services[0] (emission-permit-aktobe).steps[0].source.lines: lines such as "L258–278" or "L258"',
    );
    const empty = mkdtempSync(join(tmpdir(), 'qab-texts-'));
    try {
      expect(refusal(() => undefined, [empty])).toBe(`norms file <file>: the text of seed 000 (000.txt) is in none of: ${empty}`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
