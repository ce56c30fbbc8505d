import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The registry is unreachable: the operator types the name the applicant gives and goes on
 * (the request is marked unverified). A form like the others: the name field takes the focus when
 * the card appears and Enter continues.
 */
export function ManualEntry({ busy, onContinue }: { busy: boolean; onContinue: (name: string) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  const ready = !busy && name.trim().length >= 2;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) onContinue(name.trim());
  };
  return (
    <form className="card warn" data-testid="applicant-offline" onSubmit={submit} aria-labelledby="applicant-offline-title">
      <h2 id="applicant-offline-title">{t('applicant.offline.heading')}</h2>
      <p>{t('applicant.offline.text')}</p>
      <label>
        {t('applicant.manualName')}
        <input ref={field} data-testid="manual-name" value={name} maxLength={300} onChange={(e) => setName(e.target.value)} />
      </label>
      <button type="submit" disabled={!ready} data-testid="create-manual">
        {t('applicant.continueManual')}
      </button>
    </form>
  );
}
