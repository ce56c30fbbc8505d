import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { FormSubmit } from '../components/FormSubmit';
import { NewPasswordPair } from '../components/PasswordField';
import { useAction } from '../components/useAction';

/**
 * First start of a real installation (no account yet): the first administrator, with the
 * one-time token printed on this machine (or created with `admin users create` instead).
 */
export function FirstRunScreen({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation('accounts');
  const [f, setF] = useState({ token: '', login: '', fullName: '', iin: '', password: '', repeat: '' });
  const [mismatch, setMismatch] = useState(false);
  const { busy, error, run } = useAction();
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMismatch(f.password !== f.repeat);
    if (f.password !== f.repeat) return;
    await run(async () => {
      await call('auth.bootstrap', { token: f.token, login: f.login, fullName: f.fullName, iin: f.iin || null, password: f.password });
      onCreated();
    });
  };
  return (
    <main className="card narrow" data-testid="screen-first-run">
      <h1>{t('firstRun.heading')}</h1>
      <p>{t('firstRun.explain')}</p>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          {t('firstRun.token')}
          <input data-testid="bootstrap-token" autoComplete="off" value={f.token} onChange={set('token')} required maxLength={64} />
        </label>
        <label>
          {t('account.login')}
          <input data-testid="bootstrap-login" autoComplete="off" value={f.login} onChange={set('login')} required maxLength={64} />
        </label>
        <label>
          {t('account.fullName')}
          <input data-testid="bootstrap-name" value={f.fullName} onChange={set('fullName')} required maxLength={200} />
        </label>
        <label>
          {t('account.iinOptional')}
          <input data-testid="bootstrap-iin" inputMode="numeric" value={f.iin} onChange={set('iin')} maxLength={12} />
        </label>
        <p className="hint">{t('password.rules')}</p>
        <NewPasswordPair
          testIds={{ next: 'bootstrap-password', repeat: 'bootstrap-repeat' }}
          next={f.password}
          repeat={f.repeat}
          onNext={(password) => setF({ ...f, password })}
          onRepeat={(repeat) => setF({ ...f, repeat })}
          mismatch={mismatch}
        />
        <FormSubmit error={error} busy={busy} testId="bootstrap-submit">
          {t('firstRun.submit')}
        </FormSubmit>
      </form>
    </main>
  );
}
