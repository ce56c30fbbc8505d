import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { FormSubmit } from '../components/FormSubmit';
import { NewPasswordPair, PasswordField } from '../components/PasswordField';
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
        <PasswordField label={t('password.current')} testId="password-current" autoComplete="current-password" value={current} onChange={setCurrent} />
        <NewPasswordPair testIds={{ next: 'password-next', repeat: 'password-repeat' }} next={next} repeat={repeat} onNext={setNext} onRepeat={setRepeat} mismatch={mismatch} />
        <FormSubmit error={error} busy={busy} testId="password-submit">
          {t('password.submit')}
        </FormSubmit>
      </form>
    </main>
  );
}
