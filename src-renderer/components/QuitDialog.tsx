import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { ErrorBox } from './ErrorBox';

/** Kiosk mode: closing the application needs an administrator's login and password. */
export function QuitDialog({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await call('admin.quit', { login, password });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div className="modal" role="dialog" aria-modal="true" data-testid="quit-dialog">
      <form className="card narrow" onSubmit={(e) => void submit(e)}>
        <h2>{t('quit.heading')}</h2>
        <label>
          {t('login.login')}
          <input value={login} onChange={(e) => setLogin(e.target.value)} required autoFocus />
        </label>
        <label>
          {t('login.password')}
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <ErrorBox error={error} />
        <div className="row">
          <button type="submit" className="primary">
            {t('quit.submit')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
