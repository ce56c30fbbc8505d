/** The service search over the real catalogue: folding, every word, ranking, recent first. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../../src-main/contract/model.js';
import { appRoot } from '../../../src-main/host/paths.js';
import { buildIndex, fold, searchServices } from '../../../src-renderer/screens/service/search-index.js';

const services = (JSON.parse(readFileSync(join(appRoot(), 'assets', 'catalog', 'services.json'), 'utf8')) as { services: Service[] }).services;
const index = buildIndex(services);
const keys = (q: string, recent: string[] = []) => searchServices(index, q, recent).map((e) => e.key);

describe('service search', () => {
  it('folds case and the Kazakh letters a Russian keyboard lacks', () => {
    expect(fold('ҚАЗАҚСТАН Әкімдігі ҢҒҮҰӨҺІ')).toBe('казакстан акимдиги нгууохи');
  });

  it('finds a kind of service by Kazakh words typed without Kazakh letters, its own words first', () => {
    expect(keys('алматы эмиссияга III санатты')[0]).toBe('emission-permit-almaty/cat-3');
    expect(keys('АЛМАТЫ ЭМИССИЯҒА iii САНАТТЫ')[0]).toBe('emission-permit-almaty/cat-3');
  });

  it('finds by Russian and English names, by provider and by code', () => {
    expect(keys('переоформление разрешения алматы')[0]).toBe('emission-permit-almaty/reissue');
    expect(keys('category IV object emission almaty')[0]).toBe('emission-permit-almaty/cat-4');
    expect(keys('актюбинская')).toContain('emission-permit-aktobe/issue');
    expect(keys('eco-expertise-almaty/preliminary')).toEqual(['eco-expertise-almaty/preliminary']);
  });

  it('needs every word: a word found nowhere finds nothing', () => {
    expect(keys('эмиссия жоқсөз')).toEqual([]);
  });

  it('lists the recent services first, in the order they were used', () => {
    const recent = ['eco-expertise-almaty/cat-2', 'emission-permit-almaty/cat-4'];
    expect(keys('алматы', recent).slice(0, 2)).toEqual(recent);
    expect(keys('', recent).slice(0, 2)).toEqual(recent);
  });
});
