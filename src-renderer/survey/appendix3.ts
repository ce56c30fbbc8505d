/**
 * The questionnaire of Appendix 3 of the regulations ("quality" and "accessibility" indicators of
 * an e-state service): two questions, three answers each, quoted word for word. Kazakh: seed 000,
 * lines 326-336 (the same text in 001-003); Russian: seed 001's Russian version, lines 887-894.
 * The applicant reads them in Kazakh or Russian, whatever the operator's UI language.
 */
import type { SurveyAnswers, SurveyLanguage, SurveyScore } from '../../src-main/contract/customer-display';

export type { SurveyAnswers, SurveyLanguage, SurveyScore } from '../../src-main/contract/customer-display';
export type SurveyQuestion = keyof SurveyAnswers;

export const QUESTIONS: readonly SurveyQuestion[] = ['quality', 'information'];
export const SCORES: readonly SurveyScore[] = [1, 2, 3];

export const APPENDIX3: Record<SurveyLanguage, { title: string; questions: Record<SurveyQuestion, string>; answers: Record<SurveyScore, string> }> = {
  kk: {
    title: 'Электрондық мемлекеттік қызметтің «сапалылық» және «қол жетімділік» көрсеткіштерін анықтауға арналған сауалнама',
    questions: {
      quality: 'Сіз мемлекеттік электрондық қызмет көрсету үрдісінің сапасына және нәтижесіне қанағаттанасыз ба?',
      information: 'Сіз мемлекеттік электрондық қызмет көрсету тәртібі туралы ақпарат сапасына қанағаттанасыз ба?',
    },
    answers: { 1: 'қанағаттанбаймын', 2: 'ішінара қанағаттанамын', 3: 'қанағаттанамын' },
  },
  ru: {
    title: 'Анкета для определения показателей электронной государственной услуги: «качество» и «доступность»',
    questions: {
      quality: 'Удовлетворены ли Вы качеством процесса и результатом оказания электронной государственной услуги?',
      information: 'Удовлетворены ли Вы качеством информации о порядке оказания электронной государственной услуги?',
    },
    answers: { 1: 'не удовлетворен', 2: 'частично удовлетворен', 3: 'удовлетворен' },
  },
};

/** The words around the questions on the applicant's screen (not in the regulation). */
export const APPLICANT_WORDS: Record<SurveyLanguage, { send: string; thanks: string; welcome: string; language: string; choose: string }> = {
  kk: { send: 'Жіберу', thanks: 'Рақмет! Жауаптарыңыз қабылданды.', welcome: 'Қош келдіңіз!', language: 'Қазақша', choose: 'Әр сұраққа бір жауап таңдаңыз.' },
  ru: { send: 'Отправить', thanks: 'Спасибо! Ваши ответы приняты.', welcome: 'Добро пожаловать!', language: 'Русский', choose: 'Выберите один ответ на каждый вопрос.' },
};
