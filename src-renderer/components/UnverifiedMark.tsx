import { useTranslation } from 'react-i18next';

/**
 * Issue 13 item 3: an applicant entered by hand offline is marked at every step until the
 * registry confirms them at sending. The tag is short on screen; a screen reader hears the whole
 * sentence (what is unverified and when it is checked).
 */
export function UnverifiedMark({ verified }: { verified: boolean }) {
  const { t } = useTranslation();
  if (verified) return null;
  return (
    <span className="tag warn" data-testid="unverified-mark" title={t('refusal:unverified.sr')}>
      <span aria-hidden="true">{t('applicant.unverified')}</span>
      <span className="sr-only">{t('refusal:unverified.sr')}</span>
    </span>
  );
}

/** The same, as a sentence: what happens at sending, and the route after a refusal (1414, the receipt). */
export function UnverifiedNotice({ verified }: { verified: boolean }) {
  const { t } = useTranslation();
  if (verified) return null;
  return (
    <p className="hint warn" role="note" data-testid="unverified-notice">
      {t('refusal:unverified.notice')}
    </p>
  );
}
