/**
 * The words of the supervisor's report in Kazakh, Russian and English: the dashboard's tables, the
 * CSV, the XLSX and the PDF say them (report-sheets.ts lays them out). Pure data, importable by the
 * renderer.
 */
import type { Dashboard } from './report.js';

export type SheetLanguage = 'kk' | 'ru' | 'en';
export type SheetId = 'summary' | 'operatorsToday' | 'operatorsPeriod' | 'servicesToday' | 'servicesPeriod' | 'steps' | 'deadlines' | 'queue' | 'indicators' | 'requests';
export type OutcomeKey = keyof Dashboard['counts']['today'];
export const STEP_ORDER = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'C2', 'P9'] as const;
export type StepKey = (typeof STEP_ORDER)[number];
type Outcome = Dashboard['requests'][number]['outcome'];

export interface Words {
  title: string;
  scope: string;
  scopes: Record<Dashboard['scope'], string>;
  centreUnreachable: string;
  period: string;
  asOf: string;
  workstations: string;
  sheets: Record<SheetId, string>;
  outcomes: Record<OutcomeKey, string>;
  requestOutcomes: Record<Outcome, string>;
  steps: Record<StepKey, string>;
  today: string;
  inPeriod: string;
  figure: string;
  operator: string;
  service: string;
  allServices: string;
  step: string;
  count: string;
  medianS: string;
  p95S: string;
  normS: string;
  overNormPct: string;
  latencyS: string;
  localNumber: string;
  status: string;
  dueDate: string;
  unit: string;
  units: Record<Dashboard['deadlines'][number]['unit'], string>;
  state: string;
  states: Record<Dashboard['deadlines'][number]['state'], string>;
  daysLeft: string;
  queuedAt: string;
  waitMin: string;
  question: string;
  questions: Record<Dashboard['indicators'][number]['question'], string>;
  answers: [string, string, string];
  total: string;
  satisfiedPct: string;
  at: string;
  outcome: string;
  marks: string;
  markWords: Record<'cancelled' | 'reopened', string>;
  /** A request's status, as the operator's screens name it (i18n common.json status.*). */
  statuses: Record<string, string>;
  minutes: string;
}

export const WORDS: Record<SheetLanguage, Words> = {
  kk: {
    title: 'Регламент уақыты: басшының есебі',
    scope: 'Қамту',
    scopes: { workstation: 'Осы жұмыс орны', centre: 'Бүкіл Орталық (лицензиялау жүйесінен)' },
    centreUnreachable: 'Орталықтың деректері алынбады: тек осы жұмыс орны',
    period: 'Кезең',
    asOf: 'Жағдай бойынша',
    workstations: 'Жұмыс орындары',
    sheets: {
      summary: 'Қорытынды',
      operatorsToday: 'Операторлар бойынша — бүгін',
      operatorsPeriod: 'Операторлар бойынша — кезең',
      servicesToday: 'Қызметтер бойынша — бүгін',
      servicesPeriod: 'Қызметтер бойынша — кезең',
      steps: 'Қадам уақыты және норма',
      deadlines: 'Нәтиже мерзімі жақын не өткен өтініштер',
      queue: 'Кезекте ұзақ күткен өтініштер',
      indicators: '3-қосымша: сапа және қолжетімділік көрсеткіштері',
      requests: 'Өтініштер және қадам уақыты',
    },
    outcomes: {
      accepted: 'Қабылданды',
      refusedIncomplete: 'Бас тартылды: құжаттар толық емес',
      refusedP4: 'Бас тартылды: деректер алынбады (П4)',
      registered: 'Тіркелді',
      decided: 'Шешім шықты',
      issued: 'Берілді',
    },
    requestOutcomes: {
      in_progress: 'Жұмыста',
      accepted: 'Қабылданды',
      refused_p4: 'Бас тарту (П4)',
      refused_incomplete: 'Бас тарту: құжаттар толық емес',
      cancelled: 'Болдырылмады',
      registered: 'Тіркелді',
      decided: 'Шешім шықты',
      issued: 'Берілді',
    },
    steps: {
      P1: 'П1 Жүйеге кіру',
      P2: 'П2 Қызметті таңдау',
      P3: 'П3 Деректерді сұрау',
      P4: 'П4 Деректер алынбады',
      P5: 'П5 Құжаттар, сканерлеу, ЭЦҚ',
      P6: 'П6 ЭҮШ арқылы жіберу',
      P7: 'П7 Тіркеу',
      C2: 'Ш2 Қызмет берушінің шешімі',
      P9: 'П9 Нәтижені беру',
    },
    today: 'Бүгін',
    inPeriod: 'Кезеңде',
    figure: 'Көрсеткіш',
    operator: 'Оператор',
    service: 'Қызмет',
    allServices: 'Барлық қызметтер',
    step: 'Қадам',
    count: 'Саны',
    medianS: 'Медиана, с',
    p95S: '95-процентиль, с',
    normS: 'Норма, с',
    overNormPct: 'Нормадан асқаны, %',
    latencyS: 'Бағдарлама кідірісі (медиана), с',
    localNumber: 'Жергілікті нөмір',
    status: 'Мәртебе',
    dueDate: 'Мерзімі',
    unit: 'Өлшем',
    units: { calendar_days: 'күнтізбелік күн', working_days: 'жұмыс күні', months: 'ай' },
    state: 'Жағдайы',
    states: { near: 'Жақын', past: 'Өтіп кетті' },
    daysLeft: 'Қалған күн',
    queuedAt: 'Кезекке қойылды',
    waitMin: 'Күту, мин',
    question: 'Сұрақ',
    questions: { quality: 'Қызмет көрсету сапасы мен нәтижесі', information: 'Тәртібі туралы ақпарат сапасы' },
    answers: ['1 — қанағаттанбаймын', '2 — ішінара', '3 — қанағаттанамын'],
    total: 'Барлығы',
    satisfiedPct: 'Қанағаттанғандар, %',
    at: 'Уақыты',
    outcome: 'Нәтижесі',
    marks: 'Белгілер',
    markWords: { cancelled: 'болдырылмады', reopened: 'қайта ашылды' },
    statuses: {
      draft: 'Жоба',
      applicant_verified: 'Өтініш беруші тексерілді',
      applicant_unverified: 'Өтініш беруші тексерілмеген',
      documents_complete: 'Құжаттар толық',
      signed: 'Қол қойылды',
      queued: 'Жіберу кезегінде',
      sent: 'Жіберілді',
      registered: 'Тіркелді',
      under_review: 'Қаралуда',
      refused: 'Бас тартылды',
      result_ready: 'Нәтиже дайын',
      issued: 'Берілді',
      needs_attention: 'Назар аударуды қажет етеді',
      cancelled: 'Жойылды',
    },
    minutes: 'мин',
  },
  ru: {
    title: 'Время по регламенту: отчёт руководителя',
    scope: 'Охват',
    scopes: { workstation: 'Это рабочее место', centre: 'Весь Центр (из системы лицензирования)' },
    centreUnreachable: 'Данные Центра не получены: только это рабочее место',
    period: 'Период',
    asOf: 'По состоянию на',
    workstations: 'Рабочих мест',
    sheets: {
      summary: 'Итоги',
      operatorsToday: 'По операторам — сегодня',
      operatorsPeriod: 'По операторам — за период',
      servicesToday: 'По услугам — сегодня',
      servicesPeriod: 'По услугам — за период',
      steps: 'Время шагов и норма',
      deadlines: 'Заявления с близким или истёкшим сроком результата',
      queue: 'Заявления, долго ждущие в очереди',
      indicators: 'Приложение 3: показатели качества и доступности',
      requests: 'Заявления и время шагов',
    },
    outcomes: {
      accepted: 'Принято',
      refusedIncomplete: 'Отказ: неполный пакет документов',
      refusedP4: 'Отказ: данные не получены (П4)',
      registered: 'Зарегистрировано',
      decided: 'Принято решение',
      issued: 'Выдано',
    },
    requestOutcomes: {
      in_progress: 'В работе',
      accepted: 'Принято',
      refused_p4: 'Отказ (П4)',
      refused_incomplete: 'Отказ: неполный пакет',
      cancelled: 'Отменено',
      registered: 'Зарегистрировано',
      decided: 'Решение принято',
      issued: 'Выдано',
    },
    steps: {
      P1: 'П1 Вход в систему',
      P2: 'П2 Выбор услуги',
      P3: 'П3 Запрос данных',
      P4: 'П4 Данные не получены',
      P5: 'П5 Документы, сканирование, ЭЦП',
      P6: 'П6 Отправка через ШЭП',
      P7: 'П7 Регистрация',
      C2: 'У2 Решение услугодателя',
      P9: 'П9 Выдача результата',
    },
    today: 'Сегодня',
    inPeriod: 'За период',
    figure: 'Показатель',
    operator: 'Оператор',
    service: 'Услуга',
    allServices: 'Все услуги',
    step: 'Шаг',
    count: 'Количество',
    medianS: 'Медиана, с',
    p95S: '95-й процентиль, с',
    normS: 'Норма, с',
    overNormPct: 'Сверх нормы, %',
    latencyS: 'Задержка программы (медиана), с',
    localNumber: 'Локальный номер',
    status: 'Статус',
    dueDate: 'Срок',
    unit: 'Единица',
    units: { calendar_days: 'календарные дни', working_days: 'рабочие дни', months: 'месяцы' },
    state: 'Состояние',
    states: { near: 'Скоро', past: 'Просрочено' },
    daysLeft: 'Осталось дней',
    queuedAt: 'Поставлена в очередь',
    waitMin: 'Ожидание, мин',
    question: 'Вопрос',
    questions: { quality: 'Качество процесса и результат услуги', information: 'Качество информации о порядке' },
    answers: ['1 — не удовлетворен', '2 — частично', '3 — удовлетворен'],
    total: 'Всего',
    satisfiedPct: 'Удовлетворены, %',
    at: 'Время',
    outcome: 'Итог',
    marks: 'Отметки',
    markWords: { cancelled: 'отменено', reopened: 'открыто повторно' },
    statuses: {
      draft: 'Черновик',
      applicant_verified: 'Заявитель проверен',
      applicant_unverified: 'Заявитель не проверен',
      documents_complete: 'Документы собраны',
      signed: 'Подписано',
      queued: 'В очереди на отправку',
      sent: 'Отправлено',
      registered: 'Зарегистрировано',
      under_review: 'На рассмотрении',
      refused: 'Отказано',
      result_ready: 'Результат готов',
      issued: 'Выдано',
      needs_attention: 'Требует внимания',
      cancelled: 'Отменено',
    },
    minutes: 'мин',
  },
  en: {
    title: "The regulation's clock: supervisor's report",
    scope: 'Scope',
    scopes: { workstation: 'This workstation', centre: 'Whole Centre (from the licensing system)' },
    centreUnreachable: "The Centre's figures could not be fetched: this workstation only",
    period: 'Period',
    asOf: 'As of',
    workstations: 'Workstations',
    sheets: {
      summary: 'Summary',
      operatorsToday: 'By operator — today',
      operatorsPeriod: 'By operator — period',
      servicesToday: 'By service — today',
      servicesPeriod: 'By service — period',
      steps: 'Step times against the norm',
      deadlines: 'Requests whose result deadline is near or past',
      queue: 'Requests waiting long in the queue',
      indicators: 'Appendix 3: quality and accessibility indicators',
      requests: 'Requests and their step times',
    },
    outcomes: {
      accepted: 'Accepted',
      refusedIncomplete: 'Refused: documents incomplete',
      refusedP4: 'Refused: data unavailable (P4)',
      registered: 'Registered',
      decided: 'Decided',
      issued: 'Issued',
    },
    requestOutcomes: {
      in_progress: 'In progress',
      accepted: 'Accepted',
      refused_p4: 'Refused (P4)',
      refused_incomplete: 'Refused: incomplete',
      cancelled: 'Cancelled',
      registered: 'Registered',
      decided: 'Decided',
      issued: 'Issued',
    },
    steps: {
      P1: 'P1 Log-in',
      P2: 'P2 Service chosen',
      P3: 'P3 Data look-up',
      P4: 'P4 Data unavailable',
      P5: 'P5 Documents, scans, signature',
      P6: 'P6 Sent through the gateway',
      P7: 'P7 Registration',
      C2: "C2 Provider's decision",
      P9: 'P9 Result handed over',
    },
    today: 'Today',
    inPeriod: 'Period',
    figure: 'Figure',
    operator: 'Operator',
    service: 'Service',
    allServices: 'All services',
    step: 'Step',
    count: 'Count',
    medianS: 'Median, s',
    p95S: '95th percentile, s',
    normS: 'Norm, s',
    overNormPct: 'Over norm, %',
    latencyS: 'App latency (median), s',
    localNumber: 'Local number',
    status: 'Status',
    dueDate: 'Due',
    unit: 'Unit',
    units: { calendar_days: 'calendar days', working_days: 'working days', months: 'months' },
    state: 'State',
    states: { near: 'Near', past: 'Past' },
    daysLeft: 'Days left',
    queuedAt: 'Queued at',
    waitMin: 'Waiting, min',
    question: 'Question',
    questions: { quality: 'Quality and result of the service', information: 'Quality of information on the procedure' },
    answers: ['1 — not satisfied', '2 — partially', '3 — satisfied'],
    total: 'Total',
    satisfiedPct: 'Satisfied, %',
    at: 'At',
    outcome: 'Outcome',
    marks: 'Marks',
    markWords: { cancelled: 'cancelled', reopened: 're-opened' },
    statuses: {
      draft: 'Draft',
      applicant_verified: 'Applicant verified',
      applicant_unverified: 'Applicant unverified',
      documents_complete: 'Documents complete',
      signed: 'Signed',
      queued: 'Queued for sending',
      sent: 'Sent',
      registered: 'Registered',
      under_review: 'Under review',
      refused: 'Refused',
      result_ready: 'Result ready',
      issued: 'Issued',
      needs_attention: 'Needs attention',
      cancelled: 'Cancelled',
    },
    minutes: 'min',
  },
};
