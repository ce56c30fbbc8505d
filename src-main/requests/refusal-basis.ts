/**
 * The legal basis a counter refusal names on its paper: the act the service rests on and the
 * paragraph of it that gives the ground (the catalogue's `counterGrounds`, each a seed citation
 * checked at load), in the paper's languages.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { LocalizedText, SeedCitation, Service } from '../contract/model.js';
import type { RefusalGround } from '../contract/ops/refusal.js';

/** "Appendix 1, para 10" / "R1 para 8" / "Table 1" in words. */
export function paragraphWords(paragraph: string): LocalizedText {
  const app = /^Appendix (\d+), para (\d+)$/.exec(paragraph);
  if (app) return { kk: `${app[1]}-қосымшаның ${app[2]}-тармағы`, ru: `пункт ${app[2]} приложения ${app[1]}`, en: `Appendix ${app[1]}, para ${app[2]}` };
  const reg = /^R(\d+) para (\d+)$/.exec(paragraph);
  if (reg) return { kk: `${reg[1]}-регламенттің ${reg[2]}-тармағы`, ru: `пункт ${reg[2]} регламента ${reg[1]}`, en: `Regulation ${reg[1]}, para ${reg[2]}` };
  const table = /^(?:R(\d+) )?Table (\d+)$/.exec(paragraph);
  if (table) {
    const r = table[1];
    return {
      kk: `${r ? `${r}-регламенттің ` : ''}${table[2]}-кестесі`,
      ru: `таблица ${table[2]}${r ? ` регламента ${r}` : ''}`,
      en: `${r ? `Regulation ${r}, ` : ''}Table ${table[2]}`,
    };
  }
  return { kk: paragraph, ru: paragraph, en: paragraph };
}

/** The act and the paragraph giving the ground, with the seed's own words (in Kazakh, as the act). */
function citationLine(act: LocalizedText, c: SeedCitation): LocalizedText {
  const p = paragraphWords(c.paragraph);
  const quote = c.quote.replace(/\s+/g, ' ').trim();
  return {
    kk: `${act.kk}, ${p.kk}: «${quote}»`,
    ru: `${act.ru}, ${p.ru}`,
    en: `${act.en}, ${p.en}`,
  };
}

export function refusalBasis(catalog: Catalog, service: Service, ground: RefusalGround): LocalizedText[] {
  const grounds = service.counterGrounds;
  const c = ground === 'data_unavailable' ? grounds?.dataUnavailable : grounds?.documents;
  return c ? [citationLine(catalog.actOf(service).title, c)] : [];
}
