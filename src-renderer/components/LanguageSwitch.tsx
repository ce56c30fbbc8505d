import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage } from '../i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="lang" role="group" aria-label="Language">
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          className={i18n.language === l ? 'active' : ''}
          aria-pressed={i18n.language === l}
          data-testid={`lang-${l}`}
          onClick={() => void setLanguage(l)}
        >
          {t(`lang.${l}`)}
        </button>
      ))}
    </div>
  );
}
