/**
 * The wording of the counter's refusals by ground (kk, ru, en): P4 "data cannot be obtained"
 * (seed 000 Table 3: a reasoned refusal, дәлелді бас тарту), and the refusal to accept documents
 * (an incomplete package; documents whose validity has expired). The registries are named as the
 * glossary names them (ЖТ МДБ / ЗТ МДБ; ГБД ФЛ / ГБД ЮЛ).
 */
import type { PaperLanguage } from './texts.js';

export type RefusalGroundName = 'incomplete' | 'expired' | 'data_unavailable';
export type RegistryName = 'individuals' | 'entities';

export interface RefusalTexts {
  title: Record<RefusalGroundName, string>;
  subtitle: Record<RefusalGroundName, string>;
  ground: string;
  groundText: Record<RefusalGroundName, string>;
  registry: Record<RegistryName, string>;
  /** The body by ground: the service, and for P4 the registry in which the data are absent. */
  body: Record<RefusalGroundName, (service: string, registry: string) => string>;
  documents: Record<'incomplete' | 'expired', string>;
  basis: string;
  number: string;
  nameUnknown: string;
  /** Where the applicant turns after a P4 (the contact route). */
  contactP4: string;
  /** Said when the P4 came at sending (an applicant entered offline). */
  atSending: string;
  refusalId: string;
}

const kk: RefusalTexts = {
  title: { incomplete: 'ҚОЛХАТ', expired: 'ҚОЛХАТ', data_unavailable: 'ДӘЛЕЛДІ БАС ТАРТУ' },
  subtitle: {
    incomplete: 'құжаттарды қабылдаудан бас тарту туралы',
    expired: 'құжаттарды қабылдаудан бас тарту туралы',
    data_unavailable: 'деректерді алу мүмкін еместігіне байланысты',
  },
  ground: 'Бас тарту негізі',
  groundText: {
    incomplete: 'мемлекеттік көрсетілетін қызмет стандартында көзделген құжаттар топтамасы толық ұсынылмаған',
    expired: 'қолданылу мерзімі өткен құжаттар ұсынылған',
    data_unavailable: 'көрсетілетін қызметті алушының деректері мемлекеттік деректер базасында жоқ, деректерді алу мүмкін емес',
  },
  registry: { individuals: 'жеке тұлғалардың мемлекеттік деректер базасында (ЖТ МДБ)', entities: 'заңды тұлғалардың мемлекеттік деректер базасында (ЗТ МДБ)' },
  body: {
    incomplete: (service) =>
      `«${service}» мемлекеттік көрсетілетін қызмет стандартында көзделген құжаттар топтамасы толық ұсынылмағандықтан, құжаттарды қабылдаудан бас тартылады.`,
    expired: (service) =>
      `Қолданылу мерзімі өткен құжаттар ұсынылғандықтан, «${service}» мемлекеттік көрсетілетін қызметіне құжаттарды қабылдаудан бас тартылады.`,
    data_unavailable: (service, registry) =>
      `Көрсетілетін қызметті алушының деректері ${registry} болмағандықтан, деректерді алу мүмкін емес. «${service}» мемлекеттік көрсетілетін қызметіне өтініш қабылданбайды.`,
  },
  documents: { incomplete: 'Ұсынылмаған құжаттар', expired: 'Қолданылу мерзімі өткен құжаттар' },
  basis: 'Құқықтық негіз',
  number: 'Өтініштің нөмірі (Орталықта)',
  nameUnknown: 'деректер жоқ',
  contactP4:
    'Деректерді нақтылау үшін тұрғылықты жері бойынша халыққа қызмет көрсету орталығына немесе 1414 бірыңғай байланыс орталығына хабарласыңыз. Деректер түзетілгеннен кейін өтініш жалпы тәртіппен қайта қабылданады.',
  atSending: 'Өтініш берушінің деректері байланыс жоқ кезде қабылданып, жіберу алдында тексерілді: осы тексеру деректерді таппады.',
  refusalId: 'Бас тартудың тіркеу нөмірі',
};

const ru: RefusalTexts = {
  title: { incomplete: 'РАСПИСКА', expired: 'РАСПИСКА', data_unavailable: 'МОТИВИРОВАННЫЙ ОТКАЗ' },
  subtitle: {
    incomplete: 'об отказе в приёме документов',
    expired: 'об отказе в приёме документов',
    data_unavailable: 'в связи с невозможностью получения данных',
  },
  ground: 'Основание отказа',
  groundText: {
    incomplete: 'представлен неполный пакет документов, предусмотренный стандартом государственной услуги',
    expired: 'представлены документы с истекшим сроком действия',
    data_unavailable: 'сведения об услугополучателе отсутствуют в государственной базе данных, получить данные невозможно',
  },
  registry: { individuals: 'в государственной базе данных «Физические лица» (ГБД ФЛ)', entities: 'в государственной базе данных «Юридические лица» (ГБД ЮЛ)' },
  body: {
    incomplete: (service) =>
      `В связи с представлением неполного пакета документов, предусмотренного стандартом государственной услуги «${service}», в приёме документов отказано.`,
    expired: (service) =>
      `В связи с представлением документов с истекшим сроком действия в приёме документов на оказание государственной услуги «${service}» отказано.`,
    data_unavailable: (service, registry) =>
      `В связи с отсутствием сведений об услугополучателе ${registry} получить данные невозможно. Заявление на оказание государственной услуги «${service}» не принимается.`,
  },
  documents: { incomplete: 'Не представлены документы', expired: 'Документы с истекшим сроком действия' },
  basis: 'Правовое основание',
  number: 'Номер заявления (в Центре)',
  nameUnknown: 'сведения отсутствуют',
  contactP4:
    'Для уточнения сведений обратитесь в ЦОН по месту жительства или в Единый контакт-центр 1414. После исправления сведений заявление принимается в общем порядке.',
  atSending: 'Данные заявителя были приняты без связи и проверены перед отправкой: проверка не нашла сведений.',
  refusalId: 'Регистрационный номер отказа',
};

const en: RefusalTexts = {
  title: { incomplete: 'RECEIPT', expired: 'RECEIPT', data_unavailable: 'REASONED REFUSAL' },
  subtitle: { incomplete: 'of refusal to accept documents', expired: 'of refusal to accept documents', data_unavailable: 'data cannot be obtained' },
  ground: 'Ground',
  groundText: {
    incomplete: 'the package required by the standard of the state service is incomplete',
    expired: 'documents whose validity has expired were presented',
    data_unavailable: "the applicant's data are absent from the state database; the data cannot be obtained",
  },
  registry: { individuals: 'in the state database of individuals', entities: 'in the state database of legal entities' },
  body: {
    incomplete: (service) =>
      `The documents are not accepted because the package required by the standard of the state service "${service}" is incomplete.`,
    expired: (service) =>
      `The documents for the state service "${service}" are not accepted because documents whose validity has expired were presented.`,
    data_unavailable: (service, registry) =>
      `The applicant's data are absent ${registry}, so the data cannot be obtained. The request for the state service "${service}" is not accepted.`,
  },
  documents: { incomplete: 'Documents missing', expired: 'Documents expired' },
  basis: 'Legal basis',
  number: 'Request number (at the Centre)',
  nameUnknown: 'no data',
  contactP4: 'To have the data checked, contact a Public Service Centre or the contact centre 1414. Once the data are corrected, the application is accepted in the usual way.',
  atSending: "The applicant's data were taken offline and checked before sending: the check found no data.",
  refusalId: 'Refusal record number',
};

export const REFUSAL_TEXTS: Record<PaperLanguage, RefusalTexts> = { kk, ru, en };
