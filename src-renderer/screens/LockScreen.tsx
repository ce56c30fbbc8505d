import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Operator } from '../../src-main/contract/model';
import type { OpOutput } from '../../src-main/contract/operations';
import { call } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { useAction } from '../components/useAction';

/**
 * The idle lock: an opaque cover over the whole window (the screen under it is hidden and kept as
 * it was). The same operator's password unlocks it and returns to the same step; anyone else
 * logs that operator out.
 */
export function LockScreen({ operator, onUnlocked, onLogout }: { operator: Operator; onUnlocked: (s: OpOutput<'auth.unlock'>) => void; onLogout: () => void }) {
  const { t } = useTranslation('accounts');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const s = await call('auth.unlock', { password }).finally(() => setPassword(''));
      onUnlocked(s);
    });
  };
  return (
    <div className="lock-cover" data-testid="screen-locked" role="dialog" aria-modal="true" aria-labelledby="lock-heading">
      <main className="card narrow">
        <h1 id="lock-heading">{t('lock.heading')}</h1>
        <p>{t('lock.who', { name: operator.fullName })}</p>
        <form onSubmit={(e) => void submit(e)}>
          <label>
            {t('lock.password')}
            <input data-testid="unlock-password" type="password" autoFocus autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required maxLength={256} />
          </label>
          <ErrorBox error={error} />
          <div className="row">
            <button type="submit" className="primary" disabled={busy} data-testid="unlock-submit">
              {t('lock.unlock')}
            </button>
            <button type="button" onClick={onLogout} data-testid="unlock-logout">
              {t('lock.otherOperator')}
            </button>
          </div>
        </form>
      </main>
    </div>
  );
}
