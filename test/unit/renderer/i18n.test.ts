/**
 * Every UI string exists in Kazakh, Russian and English, and every error code the code can raise
 * has a sentence in all three.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMON_ERROR_CODES } from '../../../src-main/contract/errors.js';
import { OP_NAMES, operations } from '../../../src-main/contract/operations.js';
import { appRoot } from '../../../src-main/host/paths.js';

const root = appRoot();
const i18nDir = join(root, 'src-renderer', 'i18n');
const LANGS = ['kk', 'ru', 'en'] as const;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function load(lang: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const file of walk(join(i18nDir, lang)).filter((f) => f.endsWith('.json'))) {
    out[relative(join(i18nDir, lang), file)] = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  }
  return out;
}

const dicts = Object.fromEntries(LANGS.map((l) => [l, load(l)])) as Record<(typeof LANGS)[number], Record<string, Record<string, string>>>;
const errors = (lang: (typeof LANGS)[number]) =>
  Object.assign({}, ...Object.entries(dicts[lang]).filter(([f]) => f.startsWith('errors')).map(([, d]) => d)) as Record<string, string>;

describe('translations', () => {
  it('have the same files and keys in kk, ru and en, none empty', () => {
    for (const lang of ['ru', 'en'] as const) {
      expect(Object.keys(dicts[lang]).sort()).toEqual(Object.keys(dicts.kk).sort());
      for (const [file, dict] of Object.entries(dicts.kk)) {
        expect(Object.keys(dicts[lang][file]!).sort(), `${lang}/${file}`).toEqual(Object.keys(dict).sort());
      }
    }
    for (const lang of LANGS) {
      for (const [file, dict] of Object.entries(dicts[lang])) {
        for (const [k, v] of Object.entries(dict)) expect(v.trim(), `${lang}/${file}: ${k}`).not.toBe('');
      }
    }
  });

  it('use the same {{placeholders}} in every language', () => {
    const ph = (s: string) => [...s.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();
    for (const [file, dict] of Object.entries(dicts.kk)) {
      for (const [k, v] of Object.entries(dict)) {
        for (const lang of ['ru', 'en'] as const) expect(ph(dicts[lang][file]![k]!), `${lang}/${file}: ${k}`).toEqual(ph(v));
      }
    }
  });

  it('define no error code twice across the errors files', () => {
    const seen = new Map<string, string>();
    for (const [file, dict] of Object.entries(dicts.kk).filter(([f]) => f.startsWith('errors'))) {
      for (const k of Object.keys(dict)) {
        expect(seen.get(k), `${k} in ${file} and ${seen.get(k)}`).toBeUndefined();
        seen.set(k, file);
      }
    }
  });

  it('say something in Kazakh for every error an operation declares, and every common error', () => {
    const declared = new Set<string>([...COMMON_ERROR_CODES, ...OP_NAMES.flatMap((op) => operations[op].errors)]);
    for (const lang of LANGS) {
      const e = errors(lang);
      for (const code of declared) expect(e[code], `${lang}: ${code}`).toBeTruthy();
    }
  });

  it('cover every AppError code raised anywhere in src-main', () => {
    const raised = new Set<string>();
    for (const f of walk(join(root, 'src-main')).filter((p) => p.endsWith('.ts'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/new AppError\(\s*'([A-Z0-9_]+)'/g)) raised.add(m[1]!);
    }
    expect(raised.size).toBeGreaterThan(20);
    for (const lang of LANGS) {
      const e = errors(lang);
      for (const code of raised) expect(e[code], `${lang}: ${code}`).toBeTruthy();
    }
  });

  it('write Kazakh with its own letters (not only Russian Cyrillic)', () => {
    const all = Object.values(dicts.kk).flatMap((d) => Object.values(d)).join(' ');
    for (const ch of ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'і']) expect(all, ch).toContain(ch);
  });
});
