/**
 * Sample paper inputs built from the project's shared test identities (the seeded operator, the
 * Almaly Centre, a second IIN, a company BIN). Names in the catalogue style: { kk, ru, en }.
 */
import type { DocumentPdfInput, IssuanceSheetInput, ReceiptInput, RefusalNoticeInput } from '../../src-main/papers/index.js';
import { kzCalendar } from '../../src-main/calendar/index.js';

export const OPERATOR = 'Омаров Ерлан Серікұлы';

/** A scanned document's PDF metadata (a legal entity's charter in request ALM-01-2026-000123), pages apart. */
export const DOCUMENT_META: Omit<DocumentPdfInput, 'pages'> = {
  title: 'Заңды тұлғаның жарғысы',
  requestNumber: 'ALM-01-2026-000123',
  documentType: 'charter_copy',
  operator: OPERATOR,
  createdAt: new Date('2026-03-18T05:42:00Z'),
  language: 'kk',
};

export const CENTRE = {
  name: { kk: 'ХҚКО Алматы қ. Алмалы ауданы бөлімі', ru: 'ЦОН г. Алматы, отдел Алмалинского района', en: 'PSC Almaty, Almaly district office' },
  address: {
    kk: 'Алматы қ., Алмалы ауданы, Әйтеке би көшесі, 45',
    ru: 'г. Алматы, Алмалинский район, ул. Айтеке би, 45',
    en: '45 Aiteke Bi St, Almaly district, Almaty',
  },
  bin: '040340001233',
};

export const SERVICE = {
  kk: 'Түсті және қара металдардың сынықтары мен қалдықтарын жинауға (дайындауға), сақтауға, қайта өңдеуге және өткізуге лицензия беру',
  ru: 'Выдача лицензии на сбор (заготовку), хранение, переработку и реализацию лома и отходов цветных и черных металлов',
  en: 'Licence to collect, store, process and sell scrap of non-ferrous and ferrous metals',
};

export const SUB_SERVICE = { kk: 'Лицензияны қайта ресімдеу', ru: 'Переоформление лицензии', en: 'Reissue of the licence' };

export const DOCS = [
  { name: { kk: 'Лицензияны қайта ресімдеуге өтініш', ru: 'Заявление на переоформление лицензии', en: 'Application for reissue' }, form: 'original' as const, pages: 2 },
  { name: { kk: 'Заңды тұлғаның жарғысы (көшірмесі)', ru: 'Устав юридического лица', en: 'Charter of the legal entity' }, form: 'copy' as const, pages: 14 },
  { name: { kk: 'Өндірістік үй-жайға құқық белгілейтін құжат', ru: 'Правоустанавливающий документ на производственное помещение', en: 'Title document for the premises' }, form: 'copy' as const, pages: 3 },
  { name: { kk: 'Лицензиялық алымның төленгенін растайтын құжат', ru: 'Документ об уплате лицензионного сбора', en: 'Proof of the licence fee' }, form: 'original' as const, pages: 1 },
];

/** Letters that exist in Kazakh but not in Russian, lower and upper case. */
export const KAZAKH_LETTERS = 'әғқңөұүһіӘҒҚҢӨҰҮҺІ';

const acceptedAt = new Date('2026-03-18T05:42:00Z'); // 10:42 in Almaty

export function sampleReceipt(language: 'kk' | 'ru' | 'en', extra: Partial<ReceiptInput> = {}): ReceiptInput {
  return {
    language,
    centre: CENTRE,
    operatorName: OPERATOR,
    acceptedAt,
    localNumber: 'ALM-01-2026-000123',
    applicant: { kind: 'legal_entity', name: { kk: '«Қазметалл-Өңдеу» ЖШС', ru: 'ТОО «Казметалл-Өндеу»', en: 'Kazmetall-Ondeu LLP' }, iinOrBin: '150240012347' },
    representative: {
      name: 'Әбілқасымова Гүлнұр Үсенқызы',
      iin: '900702400457',
      powerOfAttorney: { number: '2026-0317-ҚҰ', issuedOn: '2026-03-02', validUntil: '2027-03-02', notary: 'Нотариус Сәрсенбаева Һ. Қ.' },
    },
    service: SERVICE,
    subService: SUB_SERVICE,
    documents: DOCS,
    expectedResult: kzCalendar().dueDate(acceptedAt, { unit: 'working_days', count: 10 }),
    printedAt: new Date('2026-03-18T05:43:00Z'),
    ...extra,
  };
}

export function sampleRefusal(language: 'kk' | 'ru' | 'en'): RefusalNoticeInput {
  return {
    language,
    centre: CENTRE,
    operatorName: OPERATOR,
    refusedAt: new Date('2026-03-18T06:05:00Z'),
    localNumber: 'ALM-01-2026-000124',
    applicant: { kind: 'individual', name: 'Жұмабеков Әділет Ғаниұлы', iinOrBin: '850315300128' },
    service: SERVICE,
    subService: { kk: 'Лицензия беру', ru: 'Выдача лицензии', en: 'Issue of a licence' },
    missingDocuments: [
      { kk: 'Өндірістік үй-жайға құқық белгілейтін құжат', ru: 'Правоустанавливающий документ на производственное помещение', en: 'Title document for the premises' },
      { kk: 'Лицензиялық алымның төленгенін растайтын құжат', ru: 'Документ об уплате лицензионного сбора', en: 'Proof of the licence fee' },
    ],
    presentedDocuments: [DOCS[0]!],
    printedAt: new Date('2026-03-18T06:05:30Z'),
  };
}

export function sampleIssuance(language: 'kk' | 'ru' | 'en'): IssuanceSheetInput {
  return {
    language,
    centre: CENTRE,
    operatorName: OPERATOR,
    issuedAt: new Date('2026-04-02T09:15:00Z'),
    localNumber: 'ALM-01-2026-000123',
    registrationNumber: 'KZ72VEL00012345',
    applicant: { kind: 'legal_entity', name: { kk: '«Қазметалл-Өңдеу» ЖШС', ru: 'ТОО «Казметалл-Өндеу»', en: 'Kazmetall-Ondeu LLP' }, iinOrBin: '150240012347' },
    representative: sampleReceipt(language).representative!,
    recipient: 'representative',
    service: SERVICE,
    subService: SUB_SERVICE,
    items: [
      { name: { kk: 'Қайта ресімделген лицензия', ru: 'Переоформленная лицензия', en: 'Reissued licence' }, form: 'electronic', pages: 2 },
      { name: { kk: 'Лицензияға қосымша', ru: 'Приложение к лицензии', en: 'Annex to the licence' }, form: 'copy', copies: 1, pages: 1 },
    ],
    printedAt: new Date('2026-04-02T09:16:00Z'),
  };
}
