/**
 * One glossary (docs/glossary.json, issue 13 item 8): every UI string (src-renderer/i18n, every
 * language and namespace) and every paper's fixed wording (src-main/papers texts, the deadline
 * words) uses one term per concept. A variant the glossary lists fails the test with the file,
 * the key, the variant found and the term to use.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deadlineWords, estimateWords, provisionalWords } from '../../../src-main/contract/deadline-words.js';
import { appRoot } from '../../../src-main/host/paths.js';
import { REFUSAL_TEXTS } from '../../../src-main/papers/refusal-texts.js';
import { PAPER_TEXTS } from '../../../src-main/papers/texts.js';

type Lang = 'kk' | 'ru' | 'en';
const LANGS: Lang[] = ['kk', 'ru', 'en'];
interface Concept {
  id: string;
  kk: { term: string; variants: string[] };
  ru: { term: string; variants: string[] };
  en: { term: string; variants: string[] };
  allow: string[];
}

const root = appRoot();
const glossary = JSON.parse(readFileSync(join(root, 'docs', 'glossary.json'), 'utf8')) as { concepts: Concept[] };

/** Every string of the UI in a language: "file:key" → text. */
function uiStrings(lang: Lang): Map<string, string> {
  const out = new Map<string, string>();
  const dir = join(root, 'src-renderer', 'i18n', lang);
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json')) for (const [k, v] of Object.entries(JSON.parse(readFileSync(p, 'utf8')) as Record<string, string>)) out.set(`${relative(dir, p)}:${k}`, v);
    }
  };
  walk(dir);
  return out;
}

/** The papers' fixed wording in a language, functions called with sample arguments. */
function paperStrings(lang: Lang): Map<string, string> {
  const out = new Map<string, string>();
  const add = (prefix: string, obj: object) => {
    for (const [k, v] of Object.entries(obj)) {
      if (typeof v === 'string') out.set(`${prefix}:${k}`, v);
      else if (Array.isArray(v)) v.forEach((x, i) => typeof x === 'string' && out.set(`${prefix}:${k}.${i}`, x));
      else if (typeof v === 'function') {
        try {
          const r: unknown = (v as (...a: unknown[]) => unknown)('X', 'X', 'X');
          if (typeof r === 'string') out.set(`${prefix}:${k}()`, r);
        } catch {
          // a function needing structured arguments: covered below (deadline words)
        }
      } else if (v && typeof v === 'object') add(`${prefix}:${k}`, v as object);
    }
  };
  add('papers/texts.ts', PAPER_TEXTS[lang]);
  add('papers/refusal-texts.ts', REFUSAL_TEXTS[lang]);
  for (const countsFrom of ['registration', 'handover'] as const) {
    out.set(`deadline-words.ts:${countsFrom}`, deadlineWords(lang, { unit: 'working_days', count: 10, countsFrom }));
    out.set(`deadline-words.ts:estimate.${countsFrom}`, estimateWords(lang, countsFrom));
  }
  out.set('deadline-words.ts:provisional', provisionalWords(lang));
  return out;
}

/** Where a concept is spelled with a variant the glossary forbids. */
function conflicts(lang: Lang, strings: Map<string, string>): string[] {
  const found: string[] = [];
  for (const c of glossary.concepts) {
    for (const v of c[lang].variants) {
      const re = new RegExp(v, 'iu');
      for (const [where, text] of strings) {
        const m = re.exec(text);
        if (m && !c.allow.includes(`${lang}:${where}`)) found.push(`${c.id} [${lang}] ${where}: "${m[0]}" where the glossary says "${c[lang].term}"`);
      }
    }
  }
  return found;
}

describe('one glossary in kk, ru and en', () => {
  it('names each concept once per language, with variants that are not its own term', () => {
    for (const c of glossary.concepts)
      for (const l of LANGS) for (const v of c[l].variants) expect([c.id, l, new RegExp(v, 'iu').test(c[l].term)]).toEqual([c.id, l, false]);
  });

  for (const lang of LANGS) {
    it(`the ${lang} screens and papers use the glossary's terms`, () => {
      expect(conflicts(lang, new Map([...uiStrings(lang), ...paperStrings(lang)]))).toEqual([]);
    });
  }

  it('the check itself fails on a concept spelled two ways', () => {
    const planted = new Map([
      ['common.json:x', 'Сұрау салудың нөмірі'],
      ['common.json:y', 'Жеке тұлғалардың ЖТ МДҚ'],
    ]);
    expect(conflicts('kk', planted)).toEqual(
      expect.arrayContaining([
        'request [kk] common.json:x: "Сұрау сал" where the glossary says "өтініш"',
        'registry-individuals [kk] common.json:y: "МДҚ" where the glossary says "ЖТ МДБ"',
      ]),
    );
    expect(conflicts('kk', new Map([['common.json:z', 'Бас тарту']]))).toEqual(['cancel-action [kk] common.json:z: "Бас тарту" where the glossary says "Болдырмау"']);
    expect(conflicts('ru', new Map([['a.json:k', 'Номер запроса']]))).toHaveLength(1);
    expect(conflicts('ru', new Map([['a.json:k', 'Запросите результат повторно']]))).toEqual([]);
  });
});
