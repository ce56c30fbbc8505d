/**
 * The catalogue by sub-service (seeds 000–004): each sub-service has its own checklist, result,
 * application form and deadline, and says which seed paragraph and line it comes from. A file
 * whose sub-service lacks documents, whose deadline lacks its unit, or whose note cites a
 * paragraph its seed does not have is refused when loaded (the start).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src-main/catalog/catalog.js';
import { checklistOf, resultTypeOf } from '../../../src-main/contract/rules.js';
import { appRoot } from '../../../src-main/host/paths.js';

const FILE = join(appRoot(), 'assets', 'catalog', 'services.json');
const catalog = Catalog.load(FILE);
const ids = (serviceId: string, sub: string) => checklistOf(catalog.get(serviceId), sub).map((d) => `${d.id}${d.required ? '*' : ''}`);

describe('the shipped catalogue, by sub-service', () => {
  it('seed 003, emission permit: its own checklist, form and refusal deadline per category and for reissue', () => {
    const s = catalog.get('emission-permit-almaty');
    const full = ['application*', 'identity*', 'power-of-attorney', 'emission-standards-draft*', 'eco-expertise-conclusion*', 'environmental-plan*'];
    for (const sub of ['cat-2', 'cat-3', 'cat-4']) expect([sub, ids(s.id, sub)]).toEqual([sub, full]);
    expect(ids(s.id, 'reissue')).toEqual(['application*', 'identity*', 'power-of-attorney', 'current-permit*', 'reissue-grounds*']);
    const form = (sub: string) => s.subServices.find((x) => x.id === sub)!.applicationForm?.en;
    expect(['cat-2', 'cat-3', 'cat-4', 'reissue'].map(form)).toEqual([
      'Form of Appendix 1 to the Standard',
      'Form of Appendix 1 to the Standard',
      'Form of Appendix 2 to the Standard',
      'Form of Appendix 3 to the Standard',
    ]);
    const refusal = (sub: string) => s.subServices.find((x) => x.id === sub)!.refusalDeadline;
    expect(refusal('cat-2')).toMatchObject({ unit: 'calendar_days', count: 15, source: { seed: '003', line: 167 } });
    expect(refusal('cat-3')).toMatchObject({ unit: 'calendar_days', count: 5 });
    expect(refusal('cat-4')).toMatchObject({ unit: 'calendar_days', count: 5 });
    expect(refusal('reissue')).toBeUndefined();
    expect(resultTypeOf(s, 'reissue').ru).toBe('Переоформленное разрешение');
    expect(s.subServices.find((x) => x.id === 'reissue')!.source).toEqual({ seed: '003', paragraph: 'Appendix 1, para 4', line: 117, quote: 'рұқсатты қайта ресімдеу - 1 ай ішінде' });
  });

  it('seed 003, ecological expertise: a repeat conclusion needs the earlier one; a preliminary expertise needs less', () => {
    expect(ids('eco-expertise-almaty', 'repeat-cat-2')).toContain('previous-conclusion*');
    expect(ids('eco-expertise-almaty', 'cat-2')).not.toContain('previous-conclusion*');
    expect(ids('eco-expertise-almaty', 'preliminary')).toEqual(['application*', 'identity*', 'power-of-attorney', 'project-documentation*']);
  });

  it("seed 002's results differ: licence, re-issued licence, duplicate, each with its own deadline", () => {
    const s = catalog.get('cotton-warehouse-licence-almaty-oblast');
    expect(s.subServices.map((x) => [x.id, x.resultType.en, x.deadline.count, x.source.line])).toEqual([
      ['issue', 'Electronic licence', 15, 376],
      ['reissue', 'Reissued licence', 10, 378],
      ['duplicate', 'Duplicate of the licence', 2, 380],
    ]);
    expect(ids(s.id, 'duplicate')).toEqual(['application*', 'identity*', 'power-of-attorney']);
  });

  it("seed 004's G1 result has the notification-letter (хабарлама-хат) variant", () => {
    expect(resultTypeOf(catalog.get('minerals-absence-conclusion-almaty'), 'issue').kk).toContain('хабарлама-хат');
  });

  it('every sub-service cites its own seed; the note "documents per para. 9 of the Standard" only where the seed says it (003)', () => {
    for (const s of catalog.services) {
      for (const sub of s.subServices) expect([s.id, sub.id, sub.source.seed]).toEqual([s.id, sub.id, s.seed]);
      if (s.seed === '003') expect(s.documentsNoteSource?.quote).toContain('9 тармағына');
      else {
        expect(s.documentsNoteSource).toBeNull();
        expect(s.documentsNote.en).not.toMatch(/para\. 9/);
      }
    }
  });
});

describe('a broken catalogue file refuses the start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qab-catalog-'));
  const broken = (name: string, edit: (f: { seeds: Record<string, { paragraphs: Record<string, string> }>; services: Record<string, unknown>[] }) => void) => {
    const f = JSON.parse(readFileSync(FILE, 'utf8')) as Parameters<typeof edit>[0];
    edit(f);
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(f));
    return () => Catalog.load(path);
  };
  type Sub = { documents: unknown[]; deadline: Record<string, unknown>; source: Record<string, unknown> };
  const sub = (f: Parameters<Parameters<typeof broken>[1]>[0], s: number, x: number) => (f.services[s]!.subServices as Sub[])[x]!;

  it('a sub-service without documents', () => {
    expect(broken('no-docs', (f) => (sub(f, 0, 3).documents = []))).toThrow(/services\.0\.subServices\.3\.documents: a sub-service lists its documents/);
  });

  it('a sub-service listing a document the service does not have', () => {
    expect(broken('unknown-doc', (f) => sub(f, 0, 3).documents.push({ id: 'passport-photo', required: true }))).toThrow(
      /service emission-permit-almaty, sub-service reissue: document passport-photo is not in the service's list/,
    );
  });

  it('a deadline without its unit', () => {
    expect(broken('no-unit', (f) => delete sub(f, 1, 0).deadline.unit)).toThrow(/services\.1\.subServices\.0\.deadline\.unit/);
  });

  it('a note citing a paragraph its seed does not have', () => {
    expect(
      broken('note-para-9', (f) => {
        f.services[2]!.documentsNoteSource = { seed: '000', paragraph: 'para 9', line: 171, quote: 'Стандарттың 9 тармағына' };
      }),
    ).toThrow(/service emission-permit-aktobe: the documents note cites "para 9" of seed 000, which the file does not carry/);
  });

  it("a note true for another seed only", () => {
    expect(
      broken('note-other-seed', (f) => {
        f.services[2]!.documentsNoteSource = { seed: '003', paragraph: 'Appendix 1, para 6', line: 149, quote: '9 тармағына' };
      }),
    ).toThrow(/cites seed 003, but the service comes from seed 000/);
  });

  it('a paragraph whose carried heading is not that paragraph', () => {
    expect(broken('heading', (f) => (f.seeds['003']!.paragraphs['Appendix 1, para 4'] = '5. Мемлекеттік қызметті көрсету бойынша рәсімді'))).toThrow(
      /cites "Appendix 1, para 4", but its heading line is "5\./,
    );
  });
});
