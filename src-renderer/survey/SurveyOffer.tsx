import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, failedWith } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import type { SurveyAnswers, SurveyLanguage } from './appendix3';
import { openChannel, openCustomerDisplay, type Offer } from './channel';
import { SurveyForm } from './SurveyForm';
import './survey.css';

type State = 'idle' | 'here' | 'display' | 'saved' | 'declined';

/**
 * After P9 (handing over) or a counter refusal (a P4 has no request: its refusal id keeps the
 * answers to one questionnaire): the operator offers the applicant the Appendix 3
 * questionnaire, on this screen (turned to the applicant) or on the customer display. The answers
 * are stored against the service only (questionnaire.submit keeps no applicant and no request).
 */
export function SurveyOffer({ requestId, refusalId = null, serviceId }: { requestId: string | null; refusalId?: string | null; serviceId: string }) {
  const { t } = useTranslation('clock');
  const [state, setState] = useState<State>('idle');
  const [language, setLanguage] = useState<SurveyLanguage>('kk');
  const [serviceName, setServiceName] = useState<Record<SurveyLanguage, string>>({ kk: '', ru: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const channel = useRef<ReturnType<typeof openChannel> | null>(null);
  const offer = useRef<Offer | null>(null);

  useEffect(() => {
    call('catalog.services', {})
      .then((c) => {
        const s = c.services.find((x) => x.id === serviceId);
        if (s) setServiceName({ kk: s.name.kk, ru: s.name.ru });
      })
      .catch(() => {});
  }, [serviceId]);

  const submit = async (answers: SurveyAnswers): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await call('questionnaire.submit', { requestId, refusalId, quality: answers.quality, information: answers.information });
      setState('saved');
      return true;
    } catch (e) {
      // Answered already (another window, a second click): it counts once, and that is done.
      if (failedWith('questionnaire.submit', e, 'QUESTIONNAIRE_ALREADY_ANSWERED')) {
        setState('saved');
        return true;
      }
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  // The customer display's answers come back over the channel; this window stores them.
  useEffect(() => {
    const c = openChannel((m) => {
      const current = offer.current;
      if (m.type === 'hello' && current) c.post({ type: 'offer', offer: current });
      if (m.type === 'answers' && current && m.id === current.id) {
        void submit(m.answers).then((ok) => {
          if (ok) c.post({ type: 'stored', id: m.id });
          offer.current = null;
        });
      }
    });
    channel.current = c;
    return () => {
      if (offer.current) c.post({ type: 'withdraw', id: offer.current.id });
      c.close();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requestId, refusalId]);

  const toDisplay = () => {
    const o: Offer = { id: `${requestId ?? refusalId ?? serviceId}-${Date.now()}`.slice(-64), serviceName, language };
    offer.current = o;
    setState('display');
    openCustomerDisplay();
    channel.current?.post({ type: 'offer', offer: o });
  };
  const withdraw = () => {
    if (offer.current) channel.current?.post({ type: 'withdraw', id: offer.current.id });
    offer.current = null;
    setState('declined');
  };

  return (
    <section className="card" data-testid="survey-offer" data-state={state}>
      <h2>{t('surveyTitle')}</h2>
      {state === 'saved' ? (
        <p className="ok" role="status" data-testid="survey-saved">
          {t('surveySaved')}
        </p>
      ) : state === 'declined' ? (
        <p className="muted">{t('surveyDeclined')}</p>
      ) : state === 'display' ? (
        <div className="survey-offer">
          <span role="status">{t('surveyOnDisplay')}</span>
          <button type="button" onClick={withdraw} data-testid="survey-withdraw">
            {t('surveyWithdraw')}
          </button>
        </div>
      ) : (
        <div className="survey-offer">
          <span className="muted">{t('surveyHint')}</span>
          <button type="button" onClick={() => setState('here')} data-testid="survey-here">
            {t('surveyHere')}
          </button>
          <button type="button" onClick={toDisplay} data-testid="survey-display">
            {t('surveyDisplay')}
          </button>
          <button type="button" className="quiet" onClick={withdraw} data-testid="survey-decline">
            {t('surveyDecline')}
          </button>
        </div>
      )}
      {state === 'here' ? (
        <div className="modal survey-modal" role="dialog" aria-modal="true" aria-label={t('surveyTitle')}>
          <div className="card">
            <SurveyForm serviceName={serviceName} language={language} onLanguage={setLanguage} busy={busy} onSubmit={(a) => void submit(a)} />
            <div className="row">
              <span className="spacer" />
              <button type="button" className="quiet" onClick={withdraw} data-testid="survey-close">
                {t('surveyDecline')}
              </button>
            </div>
            <ErrorBox error={error} />
          </div>
        </div>
      ) : (
        <ErrorBox error={error} />
      )}
    </section>
  );
}
