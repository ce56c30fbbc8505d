import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpOutput } from '../../../src-main/contract/operations';
import { call } from '../../api/client';
import { ErrorBox } from '../../components/ErrorBox';
import { FormSubmit } from '../../components/FormSubmit';
import { PasswordField } from '../../components/PasswordField';
import { useAction } from '../../components/useAction';

type Account = OpOutput<'accounts.list'>['accounts'][number];
type Role = Account['role'];
const ROLES: Role[] = ['operator', 'supervisor', 'administrator'];

function RoleSelect({ value, onChange, testId }: { value: Role; onChange: (r: Role) => void; testId: string }) {
  const { t } = useTranslation('accounts');
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as Role)} data-testid={testId}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {t(`role.${r}`)}
        </option>
      ))}
    </select>
  );
}

/** One account: edit name, role and IIN; disable or enable; reset the password. */
function AccountRow({ account, onChanged }: { account: Account; onChanged: () => void }) {
  const { t } = useTranslation('accounts');
  const [edit, setEdit] = useState<{ fullName: string; role: Role; iin: string } | null>(null);
  const [reset, setReset] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const act = (fn: () => Promise<unknown>) => void run(fn).then((ok) => ok && onChanged());
  const status = account.disabled ? t('status.disabled') : account.lockedUntil && new Date(account.lockedUntil) > new Date() ? t('status.locked') : t('status.active');
  return (
    <tr data-testid={`account-${account.login}`}>
      <td>{account.login}</td>
      <td>
        {edit ? <input value={edit.fullName} onChange={(e) => setEdit({ ...edit, fullName: e.target.value })} data-testid="edit-name" /> : account.fullName}
      </td>
      <td>{edit ? <RoleSelect value={edit.role} onChange={(role) => setEdit({ ...edit, role })} testId="edit-role" /> : t(`role.${account.role}`)}</td>
      <td>{edit ? <input value={edit.iin} inputMode="numeric" maxLength={12} onChange={(e) => setEdit({ ...edit, iin: e.target.value })} data-testid="edit-iin" /> : (account.iin ?? '—')}</td>
      <td data-testid="account-status">
        {status}
        {account.mustChangePassword ? <small className="muted"> · {t('status.mustChange')}</small> : null}
      </td>
      <td className="actions">
        {edit ? (
          <>
            <button type="button" disabled={busy} data-testid="edit-save" onClick={() => act(() => call('accounts.update', { id: account.id, fullName: edit.fullName, role: edit.role, iin: edit.iin || null }).then(() => setEdit(null)))}>
              {t('action.save')}
            </button>
            <button type="button" onClick={() => setEdit(null)}>
              {t('action.cancel')}
            </button>
          </>
        ) : (
          <button type="button" data-testid="account-edit" onClick={() => setEdit({ fullName: account.fullName, role: account.role, iin: account.iin ?? '' })}>
            {t('action.edit')}
          </button>
        )}
        <button type="button" disabled={busy} data-testid="account-toggle" onClick={() => act(() => call('accounts.setDisabled', { id: account.id, disabled: !account.disabled }))}>
          {account.disabled ? t('action.enable') : t('action.disable')}
        </button>
        {reset === null ? (
          <button type="button" data-testid="account-reset" onClick={() => setReset('')}>
            {t('action.resetPassword')}
          </button>
        ) : (
          <form className="inline" onSubmit={(e) => { e.preventDefault(); act(() => call('accounts.resetPassword', { id: account.id, password: reset }).then(() => setReset(null))); }}>
            <input type="password" autoComplete="new-password" placeholder={t('account.temporaryPassword')} value={reset} onChange={(e) => setReset(e.target.value)} data-testid="reset-password" required />
            <button type="submit" disabled={busy} data-testid="reset-submit">
              {t('action.save')}
            </button>
          </form>
        )}
        <ErrorBox error={error} />
      </td>
    </tr>
  );
}

/** The administrator's accounts section of the settings screen. */
export function AccountsPanel() {
  const { t } = useTranslation('accounts');
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [form, setForm] = useState({ login: '', fullName: '', role: 'operator' as Role, iin: '', password: '' });
  const { busy, error, run, setError } = useAction();
  const load = useCallback(() => {
    call('accounts.list', {}).then((r) => setAccounts(r.accounts), setError);
  }, [setError]);
  useEffect(load, [load]);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(() => call('accounts.create', { ...form, iin: form.iin || null }));
    if (ok) {
      setForm({ login: '', fullName: '', role: 'operator', iin: '', password: '' });
      load();
    }
  };
  return (
    <section className="card" data-testid="accounts">
      <h2>{t('heading')}</h2>
      <table className="accounts">
        <thead>
          <tr>
            <th>{t('account.login')}</th>
            <th>{t('account.fullName')}</th>
            <th>{t('account.role')}</th>
            <th>{t('account.iin')}</th>
            <th>{t('account.status')}</th>
            <th />
          </tr>
        </thead>
        <tbody>{accounts?.map((a) => <AccountRow key={a.id} account={a} onChanged={load} />)}</tbody>
      </table>
      <h3>{t('create.heading')}</h3>
      <form className="grid" onSubmit={(e) => void create(e)}>
        <label>
          {t('account.login')}
          <input value={form.login} onChange={(e) => setForm({ ...form, login: e.target.value })} required maxLength={64} autoComplete="off" data-testid="new-login" />
        </label>
        <label>
          {t('account.fullName')}
          <input value={form.fullName} onChange={(e) => setForm({ ...form, fullName: e.target.value })} required maxLength={200} data-testid="new-name" />
        </label>
        <label>
          {t('account.role')}
          <RoleSelect value={form.role} onChange={(role) => setForm({ ...form, role })} testId="new-role" />
        </label>
        <label>
          {form.role === 'operator' ? t('account.iinRequired') : t('account.iinOptional')}
          <input value={form.iin} inputMode="numeric" maxLength={12} onChange={(e) => setForm({ ...form, iin: e.target.value })} data-testid="new-iin" />
        </label>
        <PasswordField label={t('account.temporaryPassword')} testId="new-password" autoComplete="new-password" value={form.password} onChange={(password) => setForm({ ...form, password })} />
        <p className="hint">{t('create.hint')}</p>
        <FormSubmit error={error} busy={busy} testId="new-submit">
          {t('create.submit')}
        </FormSubmit>
      </form>
    </section>
  );
}
