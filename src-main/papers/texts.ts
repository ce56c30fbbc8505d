/**
 * The fixed wording of the papers, in Kazakh, Russian and English. The paper's language is the
 * applicant's choice and does not follow the operator's UI language, so these strings live here
 * and not in the renderer's i18n files.
 */
import type { DeadlineRule } from '../calendar/working-calendar.js';
import { deadlineWords, estimateWords, provisionalWords, type DeadlineBasis } from '../contract/deadline-words.js';

/** A deadline as the papers get it: what it counts from is the sub-service's (registration when not said). */
export type PaperDeadline = DeadlineRule & { countsFrom?: DeadlineBasis };

export type PaperLanguage = 'kk' | 'ru' | 'en';
export const PAPER_LANGUAGES: readonly PaperLanguage[] = ['kk', 'ru', 'en'];

export interface PaperTexts {
  stateCorporation: string;
  bin: string;
  iin: string;
  receiptTitle: string;
  receiptSubtitle: string;
  issuanceTitle: string;
  issuanceSubtitle: string;
  localNumber: string;
  registrationNumber: string;
  registrationPending: string;
  acceptedAt: string;
  refusedAt: string;
  issuedAt: string;
  operator: string;
  applicant: string;
  applicantIndividual: string;
  applicantLegalEntity: string;
  representative: string;
  powerOfAttorney: string;
  poaNumber: string;
  poaIssued: string;
  poaValidUntil: string;
  poaNotary: string;
  service: string;
  subService: string;
  documentsAccepted: string;
  colNo: string;
  colDocument: string;
  colForm: string;
  colPages: string;
  colCopies: string;
  original: string;
  copy: string;
  electronic: string;
  total: (documents: number, pages: number) => string;
  expectedResult: string;
  /** The deadline sentence, the same words as the screens (contract/deadline-words.ts). */
  deadlineRule: (rule: PaperDeadline) => string;
  /** Said when what the period counts from has not happened yet. */
  estimate: (countsFrom: DeadlineBasis) => string;
  provisional: string;
  statusCheck: string;
  statusCheckDefault: string;
  qrCaption: string;
  presentedDocuments: string;
  refusalReturn: string;
  handedOver: string;
  recipient: string;
  recipientApplicant: string;
  recipientRepresentative: string;
  signOperator: string;
  signApplicantReceipt: string;
  signApplicantRefusal: string;
  signRecipient: string;
  signature: string;
  printedAt: string;
  page: (n: number, of: number) => string;
  weekdays: readonly string[];
}

/** Russian plural: 1 документ, 2 документа, 5 документов. */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

const kk: PaperTexts = {
  stateCorporation: '«"Азаматтарға арналған үкімет" мемлекеттік корпорациясы» КЕАҚ',
  bin: 'БСН',
  iin: 'ЖСН',
  receiptTitle: 'ҚОЛХАТ',
  receiptSubtitle: 'мемлекеттік көрсетілетін қызметке құжаттардың қабылданғаны туралы',
  issuanceTitle: 'НӘТИЖЕНІ БЕРУ ПАРАҒЫ',
  issuanceSubtitle: 'мемлекеттік көрсетілетін қызмет нәтижесінің берілгені туралы',
  localNumber: 'Өтініштің нөмірі (Орталықта)',
  registrationNumber: 'Тіркеу нөмірі («Е-лицензиялау»)',
  registrationPending: 'тіркелгеннен кейін беріледі',
  acceptedAt: 'Қабылданған күні мен уақыты',
  refusedAt: 'Күні мен уақыты',
  issuedAt: 'Берілген күні мен уақыты',
  operator: 'Оператор',
  applicant: 'Көрсетілетін қызметті алушы',
  applicantIndividual: 'жеке тұлға',
  applicantLegalEntity: 'заңды тұлға',
  representative: 'Өкіл',
  powerOfAttorney: 'Сенімхат',
  poaNumber: '№',
  poaIssued: 'берілген күні',
  poaValidUntil: 'жарамдылық мерзімі',
  poaNotary: 'куәландырған',
  service: 'Мемлекеттік көрсетілетін қызмет',
  subService: 'Қызмет түрі',
  documentsAccepted: 'Қабылданған құжаттар',
  colNo: '№',
  colDocument: 'Құжаттың атауы',
  colForm: 'Түпнұсқа / көшірме',
  colPages: 'Парақ саны',
  colCopies: 'Данасы',
  original: 'түпнұсқа',
  copy: 'көшірме',
  electronic: 'электрондық құжат',
  total: (d, p) => `Барлығы: ${d} құжат, ${p} парақ`,
  expectedResult: 'Нәтижені алудың болжамды күні',
  deadlineRule: (r) => deadlineWords('kk', { countsFrom: 'registration', ...r }),
  estimate: (from) => estimateWords('kk', from),
  provisional: provisionalWords('kk'),
  statusCheck: 'Өтініштің мәртебесін қалай білуге болады',
  statusCheckDefault:
    'egov.kz порталындағы «Қызмет алу тарихы» бөлімінде, ХҚКО-да немесе 1414 бірыңғай байланыс орталығына қоңырау шалу арқылы.',
  qrCaption: 'Өтініштің нөмірі',
  presentedDocuments: 'Ұсынылған құжаттар (қайтарылды)',
  refusalReturn: 'Құжаттардың толық топтамасын ұсынған кезде өтініш жалпы тәртіппен қайта қабылданады.',
  handedOver: 'Берілген нәтиже',
  recipient: 'Алушы',
  recipientApplicant: 'көрсетілетін қызметті алушының өзі',
  recipientRepresentative: 'сенімхат бойынша өкіл',
  signOperator: 'Оператор',
  signApplicantReceipt: 'Қолхатты алдым',
  signApplicantRefusal: 'Қолхатты алдым',
  signRecipient: 'Нәтижені алдым',
  signature: 'қолы',
  printedAt: 'Басып шығарылды',
  page: (n, of) => `${of} беттің ${n}-беті`,
  weekdays: ['дүйсенбі', 'сейсенбі', 'сәрсенбі', 'бейсенбі', 'жұма', 'сенбі', 'жексенбі'],
};

const ru: PaperTexts = {
  stateCorporation: 'НАО «Государственная корпорация «Правительство для граждан»»',
  bin: 'БИН',
  iin: 'ИИН',
  receiptTitle: 'РАСПИСКА',
  receiptSubtitle: 'о приёме документов на оказание государственной услуги',
  issuanceTitle: 'ЛИСТ ВЫДАЧИ РЕЗУЛЬТАТА',
  issuanceSubtitle: 'о выдаче результата оказания государственной услуги',
  localNumber: 'Номер заявления (в Центре)',
  registrationNumber: 'Регистрационный номер («Е-лицензирование»)',
  registrationPending: 'присваивается после регистрации',
  acceptedAt: 'Дата и время приёма',
  refusedAt: 'Дата и время',
  issuedAt: 'Дата и время выдачи',
  operator: 'Оператор',
  applicant: 'Услугополучатель',
  applicantIndividual: 'физическое лицо',
  applicantLegalEntity: 'юридическое лицо',
  representative: 'Представитель',
  powerOfAttorney: 'Доверенность',
  poaNumber: '№',
  poaIssued: 'от',
  poaValidUntil: 'действительна до',
  poaNotary: 'удостоверил',
  service: 'Государственная услуга',
  subService: 'Вид услуги',
  documentsAccepted: 'Принятые документы',
  colNo: '№',
  colDocument: 'Наименование документа',
  colForm: 'Оригинал / копия',
  colPages: 'Кол-во листов',
  colCopies: 'Кол-во экз.',
  original: 'оригинал',
  copy: 'копия',
  electronic: 'электронный документ',
  total: (d, p) =>
    `Итого: ${d} ${ruPlural(d, 'документ', 'документа', 'документов')}, ${p} ${ruPlural(p, 'лист', 'листа', 'листов')}`,
  expectedResult: 'Ожидаемая дата получения результата',
  deadlineRule: (r) => deadlineWords('ru', { countsFrom: 'registration', ...r }),
  estimate: (from) => estimateWords('ru', from),
  provisional: provisionalWords('ru'),
  statusCheck: 'Как узнать статус заявления',
  statusCheckDefault:
    'На портале egov.kz в разделе «История получения услуг», в ЦОН или по телефону Единого контакт-центра 1414.',
  qrCaption: 'Номер заявления',
  presentedDocuments: 'Представленные документы (возвращены)',
  refusalReturn: 'После представления полного пакета документов заявление принимается в общем порядке.',
  handedOver: 'Выданный результат',
  recipient: 'Получатель',
  recipientApplicant: 'лично услугополучатель',
  recipientRepresentative: 'представитель по доверенности',
  signOperator: 'Оператор',
  signApplicantReceipt: 'Расписку получил(а)',
  signApplicantRefusal: 'Расписку получил(а)',
  signRecipient: 'Результат получил(а)',
  signature: 'подпись',
  printedAt: 'Напечатано',
  page: (n, of) => `Страница ${n} из ${of}`,
  weekdays: ['понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота', 'воскресенье'],
};

const en: PaperTexts = {
  stateCorporation: 'NJSC "State Corporation \'Government for Citizens\'"',
  bin: 'BIN',
  iin: 'IIN',
  receiptTitle: 'RECEIPT',
  receiptSubtitle: 'for documents accepted for a state service',
  issuanceTitle: 'RESULT ISSUANCE SHEET',
  issuanceSubtitle: 'on handing over the result of a state service',
  localNumber: 'Request number (at the Centre)',
  registrationNumber: 'Registration number (E-licensing)',
  registrationPending: 'assigned on registration',
  acceptedAt: 'Accepted on',
  refusedAt: 'Date and time',
  issuedAt: 'Handed over on',
  operator: 'Operator',
  applicant: 'Applicant',
  applicantIndividual: 'individual',
  applicantLegalEntity: 'legal entity',
  representative: 'Representative',
  powerOfAttorney: 'Power of attorney',
  poaNumber: 'No.',
  poaIssued: 'of',
  poaValidUntil: 'valid until',
  poaNotary: 'certified by',
  service: 'State service',
  subService: 'Sub-service',
  documentsAccepted: 'Documents accepted',
  colNo: 'No.',
  colDocument: 'Document',
  colForm: 'Original / copy',
  colPages: 'Pages',
  colCopies: 'Copies',
  original: 'original',
  copy: 'copy',
  electronic: 'electronic document',
  total: (d, p) => `Total: ${d} document${d === 1 ? '' : 's'}, ${p} page${p === 1 ? '' : 's'}`,
  expectedResult: 'Expected result date',
  deadlineRule: (r) => deadlineWords('en', { countsFrom: 'registration', ...r }),
  estimate: (from) => estimateWords('en', from),
  provisional: provisionalWords('en'),
  statusCheck: 'How to check the status',
  statusCheckDefault: 'On egov.kz under "History of receiving services", at the Centre, or by calling the contact centre 1414.',
  qrCaption: 'Request number',
  presentedDocuments: 'Documents presented (returned)',
  refusalReturn: 'Once the package is complete, the application is accepted in the usual way.',
  handedOver: 'Result handed over',
  recipient: 'Received by',
  recipientApplicant: 'the applicant in person',
  recipientRepresentative: 'a representative with a power of attorney',
  signOperator: 'Operator',
  signApplicantReceipt: 'Receipt received by',
  signApplicantRefusal: 'Receipt received by',
  signRecipient: 'Result received by',
  signature: 'signature',
  printedAt: 'Printed',
  page: (n, of) => `Page ${n} of ${of}`,
  weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};

export const PAPER_TEXTS: Record<PaperLanguage, PaperTexts> = { kk, ru, en };
