import { useState } from 'react';
import { APPENDIX3, APPLICANT_WORDS, QUESTIONS, SCORES, type SurveyAnswers, type SurveyLanguage, type SurveyQuestion, type SurveyScore } from './appendix3';
import './survey.css';

/**
 * The two Appendix 3 questions as the applicant sees them (on the operator's screen turned to them
 * or on the customer display): large choices, one per question, in Kazakh or Russian.
 */
export function SurveyForm(props: {
  serviceName: Record<SurveyLanguage, string>;
  language: SurveyLanguage;
  onLanguage: (l: SurveyLanguage) => void;
  onSubmit: (answers: SurveyAnswers) => void;
  busy?: boolean;
}) {
  const [picked, setPicked] = useState<Partial<Record<SurveyQuestion, SurveyScore>>>({});
  const text = APPENDIX3[props.language];
  const words = APPLICANT_WORDS[props.language];
  const complete = QUESTIONS.every((q) => picked[q] !== undefined);
  return (
    <form
      className="survey"
      lang={props.language}
      data-testid="survey-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (complete) props.onSubmit(picked as SurveyAnswers);
      }}
    >
      <div className="survey-langs" role="group" aria-label={`${APPLICANT_WORDS.kk.language} / ${APPLICANT_WORDS.ru.language}`}>
        {(['kk', 'ru'] as const).map((l) => (
          <button key={l} type="button" className={l === props.language ? 'active' : ''} aria-pressed={l === props.language} onClick={() => props.onLanguage(l)} data-testid={`survey-lang-${l}`}>
            {APPLICANT_WORDS[l].language}
          </button>
        ))}
      </div>
      <h2 className="survey-title">{text.title}</h2>
      <p className="survey-service" data-testid="survey-service">
        {props.serviceName[props.language]}
      </p>
      <p className="muted">{words.choose}</p>
      {QUESTIONS.map((q, i) => (
        <fieldset key={q} className="survey-question" data-testid={`survey-q-${q}`}>
          <legend>
            {i + 1}. {text.questions[q]}
          </legend>
          <div className="survey-answers">
            {SCORES.map((s) => (
              <label key={s} className={`survey-answer a${s}${picked[q] === s ? ' picked' : ''}`}>
                <input type="radio" name={`survey-${q}`} value={s} checked={picked[q] === s} onChange={() => setPicked((p) => ({ ...p, [q]: s }))} data-testid={`survey-${q}-${s}`} />
                <span>
                  {s}) {text.answers[s]}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      <button type="submit" className="primary survey-send" disabled={!complete || props.busy} data-testid="survey-send">
        {words.send}
      </button>
    </form>
  );
}
