import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Operator } from '../../src-main/contract/model';
import { call } from '../api/client';
import { FormSubmit } from '../components/FormSubmit';
import { PasswordField } from '../components/PasswordField';
import { useAction } from '../components/useAction';

/** P1: the operator logs in (login + password). It never shows any credentials. */
export function LoginScreen({ onLoggedIn }: { onLoggedIn: (o: Operator, mustChangePassword: boolean) => void }) {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const { operator, mustChangePassword } = await call('auth.login', { login, password });
      setPassword('');
      onLoggedIn(operator, mustChangePassword);
    });
  };

  return (
    <main className="card narrow" data-testid="screen-login">
      <h1>{t('login.heading')}</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          {t('login.login')}
          <input data-testid="login" autoFocus autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required maxLength={64} />
        </label>
        <PasswordField label={t('login.password')} testId="password" autoComplete="current-password" value={password} onChange={setPassword} />
        <FormSubmit error={error} busy={busy} testId="login-submit">
          {t('login.submit')}
        </FormSubmit>
      </form>
    </main>
  );
}
