import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { useAction } from '../components/useAction';

/** After a reset (or a new account): the operator chooses their own password before anything else. */
export function ChangePasswordScreen({ onChanged, forced }: { onChanged: () => void; forced: boolean }) {
  const { t } = useTranslation('accounts');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMismatch(next !== repeat);
    if (next !== repeat) return;
    await run(async () => {
      await call('auth.changePassword', { current, next });
      setCurrent('');
      setNext('');
      setRepeat('');
      onChanged();
    });
  };
  return (
    <main className="card narrow" data-testid="screen-change-password">
      <h1>{t('password.heading')}</h1>
      {forced ? <p>{t('password.forced')}</p> : null}
      <p className="hint">{t('password.rules')}</p>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          {t('password.current')}
          <input data-testid="password-current" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required maxLength={256} />
        </label>
        <label>
          {t('password.next')}
          <input data-testid="password-next" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required maxLength={256} />
        </label>
        <label>
          {t('password.repeat')}
          <input data-testid="password-repeat" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required maxLength={256} />
        </label>
        {mismatch ? <p className="error">{t('password.mismatch')}</p> : null}
        <ErrorBox error={error} />
        <button type="submit" className="primary" disabled={busy} data-testid="password-submit">
          {t('password.submit')}
        </button>
      </form>
    </main>
  );
}
