import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Applicant } from '../../../src-main/contract/model';
import { formatDate } from '../../i18n/format';

/** The registry's answer; focus lands on "Open the request" so Enter moves on. */
export function ApplicantFound({ applicant, busy, onContinue }: { applicant: Applicant; busy: boolean; onContinue: () => void }) {
  const { t, i18n } = useTranslation();
  const next = useRef<HTMLButtonElement>(null);
  const inactive = applicant.registryStatus === 'deceased' || applicant.registryStatus === 'liquidated';
  useEffect(() => next.current?.focus(), [applicant]);
  const row = (label: string, value: string | null | undefined) =>
    value ? (
      <>
        <dt>{label}</dt>
        <dd>{value}</dd>
      </>
    ) : null;
  return (
    <section className="card applicant" data-testid="applicant-found" aria-labelledby="applicant-found-title">
      <h2 id="applicant-found-title">{t('applicant.found')}</h2>
      <dl>
        <dt>{t('applicant.name')}</dt>
        <dd data-testid="applicant-name">{applicant.name}</dd>
        {row(t(`applicant.date.${applicant.kind}`), applicant.date ? formatDate(applicant.date, i18n.language) : null)}
        {row(t('applicant.head'), applicant.head)}
        {row(t('applicant.address'), applicant.address)}
      </dl>
      {inactive ? <p className="error">{t(`applicant.status.${applicant.registryStatus}`)}</p> : null}
      <button ref={next} type="button" className="primary" disabled={busy || inactive} onClick={onContinue} data-testid="create-request">
        {t('applicant.continue')}
      </button>
    </section>
  );
}
