import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIGN_ERROR_CODES } from '../../../src-main/sign/index.js';
import { REPO } from '../../support/sign-pki.js';

const load = (lang: string) =>
  JSON.parse(readFileSync(join(REPO, 'src-renderer/i18n', lang, 'errors/sign.json'), 'utf8')) as Record<string, string>;

describe('signing error messages', () => {
  it.each(['kk', 'ru', 'en'])('%s has a sentence for every SIGN_* code and nothing else', (lang) => {
    const m = load(lang);
    expect(Object.keys(m).sort()).toEqual([...SIGN_ERROR_CODES].sort());
    for (const code of SIGN_ERROR_CODES) expect(m[code]!.length).toBeGreaterThan(20);
  });

  it('uses the same {{params}} in every language', () => {
    const [kk, ru, en] = ['kk', 'ru', 'en'].map(load);
    const params = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((x) => x[1]).sort();
    for (const code of SIGN_ERROR_CODES) {
      expect(params(kk![code]!), code).toEqual(params(en![code]!));
      expect(params(ru![code]!), code).toEqual(params(en![code]!));
    }
  });

  it('writes Kazakh in Kazakh Cyrillic', () => {
    const all = Object.values(load('kk')).join(' ');
    expect(all).toMatch(/[әғқңөұүһі]/);
    expect(load('kk').SIGN_NCALAYER_NOT_RUNNING).toContain('NCALayer');
  });
});
