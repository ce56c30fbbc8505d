/**
 * The catalogue's and the step norms' citations against the regulations' own text (the seed acts
 * vendored in assets/regulations/): every quote verbatim (whitespace aside: the texts wrap lines
 * anywhere) at the line it cites, give or take WINDOW lines; every cited paragraph's heading in
 * its seed, before the cited line, in the right appendix. The start checks the catalogue the same
 * way (Catalog.loadFirst with the regulations' folders), so a wrong citation refuses it.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src-main/catalog/catalog.js';
import { Regulations, RegulationText, WINDOW } from '../../../src-main/catalog/regulations.js';
import { assetPath } from '../../../src-main/host/paths.js';

const SERVICES = assetPath('catalog', 'services.json');
const NORMS = assetPath('catalog', 'norms.json');
const SHIPPED = assetPath('regulations');
const SEEDS = ['000', '001', '002', '003', '004'];
const texts = new Regulations([SHIPPED]).texts(SEEDS);

interface Citation {
  seed: string;
  paragraph: string;
  line: number;
  quote: string;
}
interface CatalogJson {
  seeds: Record<string, { paragraphs: Record<string, string>; act: { statusLine: { line: number; quote: string } | null } }>;
  services: { id: string; documentsNoteSource: Citation | null; counterGrounds?: Record<string, Citation>; subServices: { id: string; source: Citation; refusalDeadline?: { source: Citation } }[] }[];
}
const catalogJson = (): CatalogJson => JSON.parse(readFileSync(SERVICES, 'utf8')) as CatalogJson;

/** Every citation of the catalogue file, named. */
function citations(f: CatalogJson): [string, Citation][] {
  return f.services.flatMap((s) => [
    ...(s.documentsNoteSource ? [[`${s.id} note`, s.documentsNoteSource] as [string, Citation]] : []),
    ...Object.entries(s.counterGrounds ?? {}).map(([k, c]): [string, Citation] => [`${s.id} ground ${k}`, c]),
    ...s.subServices.flatMap((sub): [string, Citation][] => [
      [`${s.id}/${sub.id}`, sub.source],
      ...(sub.refusalDeadline ? [[`${s.id}/${sub.id} refusal`, sub.refusalDeadline.source] as [string, Citation]] : []),
    ]),
  ]);
}

describe('the regulations shipped with the app', () => {
  it('are the five seed acts, each naming its own act and repeal', () => {
    for (const seed of SEEDS) {
      const text = texts.get(seed)!;
      expect(text.lines.length).toBeGreaterThan(300);
      expect(text.lines.some((l) => l.includes('Күші жойылды'))).toBe(true);
    }
    expect(texts.get('003')!.lines[10]).toContain('16.09.2020 № 3/372');
  });

  it('reads each text once: the step norms are checked against the texts the catalogue was', () => {
    const regulations = new Regulations([SHIPPED]);
    const forCatalog = regulations.texts(SEEDS);
    const forNorms = regulations.texts(['003', '000']);
    expect(forNorms.get('003')).toBe(forCatalog.get('003'));
    expect(forNorms.get('000')).toBe(forCatalog.get('000'));
  });
});

describe('the catalogue against the text', () => {
  const f = catalogJson();
  it('every quote is in its seed at the cited line', () => {
    const all = citations(f);
    expect(all.length).toBeGreaterThan(25);
    for (const [name, c] of all) expect([name, texts.get(c.seed)!.quoteProblem(c.quote, c.line)]).toEqual([name, null]);
    for (const [seed, e] of Object.entries(f.seeds)) expect([seed, e.act.statusLine && texts.get(seed)!.quoteProblem(e.act.statusLine.quote, e.act.statusLine.line)]).toEqual([seed, null]);
  });

  it('every cited paragraph is in its seed, heading before the cited line, in its own appendix', () => {
    for (const [name, c] of citations(f)) expect([name, texts.get(c.seed)!.paragraphProblem(c.paragraph, f.seeds[c.seed]!.paragraphs[c.paragraph]!, c.line)]).toEqual([name, null]);
    // Seed 003 carries the same regulation text twice (Appendix 1: the permit, Appendix 2: the expertise).
    const t = texts.get('003')!;
    const heading = f.seeds['003']!.paragraphs['Appendix 1, para 4']!;
    expect(t.startLines(heading)).toEqual([108, 478]);
    expect(t.paragraphProblem('Appendix 2, para 4', heading, 112)).toMatch(/heading in seed 003 is at line 108, 478/);
    expect(t.paragraphProblem('Appendix 1, para 4', heading, 482)).toMatch(/at line 482, but line 119 starts another paragraph/);
  });

  it('the whole file loads with the check, as the start loads it', () => {
    expect(Catalog.loadFirst([join(tmpdir(), 'no-admin-copy.json'), SERVICES], { regulations: new Regulations([join(tmpdir(), 'no-admin-texts'), SHIPPED]) }).services.length).toBe(8);
  });
});

describe('the step norms against the text', () => {
  const norms = JSON.parse(readFileSync(NORMS, 'utf8')) as { services: { serviceId: string; steps: { step: string; source: { seed: string; lines: string; quote: string } }[] }[] };
  it('every quote is in its seed within the cited lines', () => {
    let n = 0;
    for (const s of norms.services) {
      for (const st of s.steps) {
        const m = /^L(\d+)(?:[–-]L?(\d+))?$/.exec(st.source.lines);
        expect([s.serviceId, st.step, st.source.lines, m !== null]).toEqual([s.serviceId, st.step, st.source.lines, true]);
        const from = Number(m![1]);
        const to = Number(m![2] ?? m![1]);
        expect([s.serviceId, st.step, texts.get(st.source.seed)!.quoteProblem(st.source.quote, from, to)]).toEqual([s.serviceId, st.step, null]);
        n += 1;
      }
    }
    expect(n).toBeGreaterThan(15);
  });
});

describe('a citation the text does not bear out refuses the start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qab-regulations-'));
  const load = (name: string, edit: (f: CatalogJson) => void, folders: string[] = [SHIPPED]) => {
    const f = catalogJson();
    edit(f);
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(f));
    return () => Catalog.load(path, { regulations: new Regulations(folders) });
  };
  const reissue = (f: CatalogJson) => f.services[0]!.subServices[3]!.source;

  it('a quote cited at a line too far from where the seed has it', () => {
    expect(load('moved', (f) => (reissue(f).line = 117 + WINDOW + 1))).toThrow(
      /sub-service reissue: the source quotes "рұқсатты қайта ресімдеу - 1 ай ішінде" at line 120, but seed 003 has it at line 117/,
    );
  });

  it('a quote the seed does not say', () => {
    expect(load('unsaid', (f) => (reissue(f).quote = 'рұқсатты қайта ресімдеу - 2 ай ішінде'))).toThrow(/which seed 003 does not say/);
  });

  it("a paragraph whose heading is not in the seed (the file's own heading edited)", () => {
    expect(load('heading', (f) => (f.seeds['003']!.paragraphs['Appendix 1, para 4'] = '4. Мемлекеттік қызметті көрсету мерзімдері:'))).toThrow(
      /cites "Appendix 1, para 4", whose heading "4\. Мемлекеттік қызметті көрсету мерзімдері:" seed 003 does not have/,
    );
  });

  it("an act's status line that is not the seed's", () => {
    expect(load('status', (f) => (f.seeds['001']!.act.statusLine!.line = 40))).toThrow(/seed 001: the act's status line quotes/);
  });

  it("a seed whose text is not there; an administrator's text is used before the shipped one", () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    expect(load('no-text', () => {}, [empty])).toThrow(/the text of seed 000 \(000\.txt\) is in none of/);
    const admin = join(dir, 'admin');
    mkdirSync(admin, { recursive: true });
    writeFileSync(join(admin, '003.txt'), readFileSync(join(SHIPPED, '003.txt'), 'utf8').replace('рұқсатты қайта ресімдеу - 1 ай ішінде', 'рұқсатты қайта ресімдеу - 20 жұмыс күні ішінде'));
    expect(load('admin-text', () => {}, [admin, SHIPPED])).toThrow(/sub-service reissue: the source quotes .* which seed 003 does not say/);
  });

  it('compares whitespace-insensitively only', () => {
    const t = new RegulationText('999', 'бірінші жол 2 (\nекі) минут ішінде;\nүшінші');
    expect(t.startLines('2 (екі) минут ішінде')).toEqual([1]);
    expect(t.quoteProblem('2 (екі) минут', 1)).toBeNull();
    expect(t.quoteProblem('2 (үш) минут', 1)).toMatch(/does not say/);
    // Words left out with " … ": each part verbatim, in order.
    expect(t.quoteProblem('бірінші жол … минут ішінде', 1, 2)).toBeNull();
    expect(t.quoteProblem('минут ішінде … бірінші жол', 1, 2)).toMatch(/"бірінші жол" at lines 1–2, but seed 999 has it at line 1/);
  });
});
