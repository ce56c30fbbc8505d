import { useTranslation } from 'react-i18next';
import type { ApplicantLanguage as Lang } from '../../../src-main/contract/model';

/** The applicant's language (Kazakh or Russian): the receipt and the other papers print in it. */
export function ApplicantLanguage({ value, onChange }: { value: Lang; onChange: (l: Lang) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="row plain" data-testid="applicant-language" aria-describedby="applicant-language-note">
      <legend>{t('papers.applicantLanguage')}</legend>
      {(['kk', 'ru'] as const).map((l) => (
        <label key={l} className="radio">
          <input type="radio" name="applicant-language" checked={value === l} onChange={() => onChange(l)} data-testid={`applicant-lang-${l}`} />
          {t(`lang.${l}`)}
        </label>
      ))}
      <span className="muted small" id="applicant-language-note">
        {t('papers.applicantLanguageNote')}
      </span>
    </fieldset>
  );
}
