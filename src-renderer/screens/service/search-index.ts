/**
 * Type-ahead over the service catalogue: every (service, kind of service) pair is one entry,
 * searchable by its names and its provider in Kazakh, Russian and English, and by its code (the
 * catalogue id and the sub-service id, e.g. "emission-permit-almaty/cat-3"; the catalogue holds no
 * other code). Matching ignores case and the Kazakh letters a Russian keyboard lacks: і/и, ү/у,
 * ұ/у, қ/к, ғ/г, ң/н, ө/о, ә/а, һ/х (and ё/е), so "казак" finds "қазақ". Every word typed must occur; a word that starts a
 * word of the entry ranks higher (more so in the sub-service's own name); the operator's recent choices come first.
 */
import type { Language, Service } from '../../../src-main/contract/model.js';

const FOLD: Record<string, string> = { і: 'и', ү: 'у', ұ: 'у', қ: 'к', ғ: 'г', ң: 'н', ө: 'о', ә: 'а', һ: 'х', ё: 'е', ї: 'и' };

/** Lower case, Kazakh-only letters folded to their Russian neighbours, punctuation to spaces. */
export function fold(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[іүұқғңөәһёї]/g, (c) => FOLD[c] ?? c)
    .replace(/[^\p{L}\p{N}/-]+/gu, ' ')
    .trim();
}

export interface ServiceEntry {
  key: string;
  service: Service;
  subServiceId: string | null;
  /** Everything searchable, folded, with a leading space so " word" finds word starts. */
  haystack: string;
  /** The sub-service's own words (a match there ranks the entry above its sibling kinds). */
  own: string;
}

const LANGS: Language[] = ['kk', 'ru', 'en'];

export function buildIndex(services: readonly Service[]): ServiceEntry[] {
  const entries: ServiceEntry[] = [];
  for (const s of services) {
    const base = [s.id, ...LANGS.flatMap((l) => [s.name[l], s.provider[l], s.resultType[l]])];
    const subs = s.subServices.length > 0 ? s.subServices : [null];
    for (const sub of subs) {
      const own = sub ? [`${s.id}/${sub.id}`, sub.id, ...LANGS.flatMap((l) => [sub.name[l], sub.resultType[l]])] : [];
      entries.push({ key: `${s.id}/${sub?.id ?? ''}`, service: s, subServiceId: sub?.id ?? null, haystack: ` ${fold([...base, ...own].join(' '))}`, own: ` ${fold(own.join(' '))}` });
    }
  }
  return entries;
}

/** The entries matching `query`, best first; with an empty query, the recent ones then the rest. */
export function searchServices(index: readonly ServiceEntry[], query: string, recent: readonly string[], limit = 30): ServiceEntry[] {
  const words = fold(query).split(' ').filter(Boolean);
  const recentRank = (e: ServiceEntry) => {
    const i = recent.indexOf(e.key);
    return i < 0 ? recent.length : i;
  };
  const scored: { e: ServiceEntry; score: number }[] = [];
  for (const e of index) {
    let score = 0;
    let all = true;
    for (const w of words) {
      if (e.own.includes(` ${w}`)) score += 3;
      else if (e.haystack.includes(` ${w}`)) score += 2;
      else if (e.haystack.includes(w)) score += 1;
      else {
        all = false;
        break;
      }
    }
    if (all) scored.push({ e, score: score + (e.service.centreChannel ? 1 : 0) });
  }
  scored.sort((a, b) => recentRank(a.e) - recentRank(b.e) || b.score - a.score);
  return scored.slice(0, limit).map((x) => x.e);
}
