import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { SurveyOffer } from '../survey/SurveyOffer';
import { PrintInLanguage } from './PrintInLanguage';

/** Prints a recorded counter refusal (P4, or the refusal to accept documents) in the applicant's language (`first`, when the operator set it). */
export function RefusalPaper({ refusalId, testId, first, onPrinted }: { refusalId: string; testId: string; first?: 'kk' | 'ru'; onPrinted?: () => void }) {
  const { t } = useTranslation();
  return (
    <PrintInLanguage
      paper={(language) => call('refusal.paper', { refusalId, language })}
      label={(lang) => t('refusal:printIn', { lang })}
      testId={(l) => `${testId}-print-${l}`}
      doneTestId={`${testId}-printed`}
      first={first}
      onPrinted={onPrinted}
    />
  );
}

/** P4 at the counter: the registry has no such applicant; the reasoned refusal is recorded, printed here. */
export function P4RefusalCard(props: { refusalId: string; kind: 'iin' | 'bin'; serviceId: string; language?: 'kk' | 'ru'; onDone: () => void }) {
  const { refusalId, kind, serviceId, onDone } = props;
  const { t } = useTranslation();
  return (
    <section className="card warn" data-testid="p4-refusal" data-refusal-id={refusalId} role="alert">
      <h2>{t('refusal:p4.heading')}</h2>
      <p>{t('refusal:p4.text', { registry: t(`refusal:registry.${kind}`) })}</p>
      <RefusalPaper refusalId={refusalId} testId="p4" first={props.language} />
      <SurveyOffer requestId={null} refusalId={refusalId} serviceId={serviceId} />
      <button type="button" onClick={onDone} data-testid="p4-done">
        {t('refusal:p4.done')}
      </button>
    </section>
  );
}

/**
 * P4 found at sending: an applicant entered offline is not in the registry, the request was not
 * sent and the reasoned refusal is recorded against it. Shown on the work list and the request's
 * screen, with the route (the Centre or 1414, with the receipt's number) and the paper.
 */
export function SendingRefusalCard({ refusalId, kind, onPrinted }: { refusalId: string; kind: 'iin' | 'bin'; onPrinted?: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="card warn" data-testid="sending-refusal" data-refusal-id={refusalId}>
      <h2>{t('refusal:sending.heading')}</h2>
      <p>{t('refusal:sending.text', { registry: t(`refusal:registry.${kind}`) })}</p>
      <RefusalPaper refusalId={refusalId} testId="sending-refusal" onPrinted={onPrinted} />
    </section>
  );
}
