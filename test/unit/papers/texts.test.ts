import { describe, expect, it } from 'vitest';
import { PAPER_LANGUAGES, PAPER_TEXTS } from '../../../src-main/papers/index.js';
import { ruPlural } from '../../../src-main/papers/texts.js';
import { qrMatrix } from '../../../src-main/papers/qr.js';

describe('paper wording', () => {
  it('every language has every text, and none is empty', () => {
    const keys = Object.keys(PAPER_TEXTS.kk).sort();
    for (const lang of PAPER_LANGUAGES) {
      expect(Object.keys(PAPER_TEXTS[lang]).sort()).toEqual(keys);
      for (const [k, v] of Object.entries(PAPER_TEXTS[lang])) {
        if (typeof v === 'string') expect(v.trim(), `${lang}.${k}`).not.toBe('');
      }
      expect(PAPER_TEXTS[lang].weekdays).toHaveLength(7);
    }
  });

  it('Russian plurals after numbers', () => {
    const doc = (n: number) => `${n} ${ruPlural(n, 'документ', 'документа', 'документов')}`;
    expect([1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111].map(doc)).toEqual([
      '1 документ', '2 документа', '4 документа', '5 документов', '11 документов', '12 документов',
      '14 документов', '21 документ', '22 документа', '25 документов', '101 документ', '111 документов',
    ]);
    expect(PAPER_TEXTS.ru.total(1, 21)).toBe('Итого: 1 документ, 21 лист');
    expect(PAPER_TEXTS.ru.deadlineRule({ unit: 'months', count: 1 })).toMatch(/^срок оказания услуги: 1 месяц,/);
    expect(PAPER_TEXTS.ru.deadlineRule({ unit: 'calendar_days', count: 30 })).toMatch(/30 календарных дней/);
    expect(PAPER_TEXTS.kk.deadlineRule({ unit: 'calendar_days', count: 30 })).toMatch(/30 күнтізбелік күн/);
    expect(PAPER_TEXTS.kk.total(3, 12)).toBe('Барлығы: 3 құжат, 12 парақ');
  });

  it('the QR matrix of a request number is a version-1 or -2 code with finder patterns', () => {
    const m = qrMatrix('ALM-01-2026-000123');
    expect([21, 25]).toContain(m.size);
    // the three finder patterns: dark corners at (0,0), (0,size-1), (size-1,0)
    expect(m.dark(0, 0) && m.dark(0, m.size - 1) && m.dark(m.size - 1, 0)).toBe(true);
    expect(m.dark(7, 7)).toBe(false); // the separator around the top-left finder is always light
  });
});
