import { useEffect, useRef, useState } from 'react';
import { APPLICANT_WORDS, type SurveyLanguage } from './appendix3';
import { openChannel, type Offer } from './channel';
import { SurveyForm } from './SurveyForm';

/**
 * The customer-facing display (a second window on a screen turned to the applicant): idle until the
 * operator's window offers the questionnaire, then the two questions, then thanks. It calls no
 * operation: answers go back to the operator's window, which stores them.
 */
export function CustomerDisplay() {
  const [offer, setOffer] = useState<Offer | null>(null);
  const [language, setLanguage] = useState<SurveyLanguage>('kk');
  const [state, setState] = useState<'idle' | 'asking' | 'sent' | 'thanks'>('idle');
  const channel = useRef<ReturnType<typeof openChannel> | null>(null);
  useEffect(() => {
    const c = openChannel((m) => {
      if (m.type === 'offer') {
        setOffer(m.offer);
        setLanguage(m.offer.language);
        setState('asking');
      } else if (m.type === 'withdraw') {
        setOffer((o) => (o?.id === m.id ? null : o));
        setState('idle');
      } else if (m.type === 'stored') {
        setState('thanks');
      }
    });
    channel.current = c;
    c.post({ type: 'hello' });
    return () => c.close();
  }, []);
  useEffect(() => {
    if (state !== 'thanks') return;
    const t = setTimeout(() => {
      setOffer(null);
      setState('idle');
    }, 6000);
    return () => clearTimeout(t);
  }, [state]);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const words = APPLICANT_WORDS[language];
  return (
    <div className="customer-display" data-testid="customer-display" data-state={state}>
      <header>
        <h1>Qabyldau</h1>
      </header>
      <main>
        {state === 'idle' || !offer ? (
          <p className="idle">
            {APPLICANT_WORDS.kk.welcome} · {APPLICANT_WORDS.ru.welcome}
          </p>
        ) : state === 'thanks' ? (
          <p className="survey-thanks" role="status" data-testid="survey-thanks">
            {words.thanks}
          </p>
        ) : (
          <SurveyForm
            key={offer.id}
            serviceName={offer.serviceName}
            language={language}
            onLanguage={setLanguage}
            busy={state === 'sent'}
            onSubmit={(answers) => {
              setState('sent');
              channel.current?.post({ type: 'answers', id: offer.id, answers });
            }}
          />
        )}
      </main>
    </div>
  );
}
