import { useTranslation } from 'react-i18next';

/**
 * A labelled password input: never echoed, at most 256 characters (the contract's limit), and
 * told to the browser as the current or a new password so a password manager does the right thing.
 */
export function PasswordField(props: {
  label: string;
  testId: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
}) {
  return (
    <label>
      {props.label}
      <input
        data-testid={props.testId}
        type="password"
        autoComplete={props.autoComplete}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        required
        maxLength={256}
      />
    </label>
  );
}

/**
 * A new password typed twice, and the mismatch message once the form found the two differ (the
 * form decides when: on submit).
 */
export function NewPasswordPair(props: {
  testIds: { next: string; repeat: string };
  next: string;
  repeat: string;
  onNext: (value: string) => void;
  onRepeat: (value: string) => void;
  mismatch: boolean;
}) {
  const { t } = useTranslation('accounts');
  return (
    <>
      <PasswordField label={t('password.next')} testId={props.testIds.next} autoComplete="new-password" value={props.next} onChange={props.onNext} />
      <PasswordField label={t('password.repeat')} testId={props.testIds.repeat} autoComplete="new-password" value={props.repeat} onChange={props.onRepeat} />
      {props.mismatch ? <p className="error">{t('password.mismatch')}</p> : null}
    </>
  );
}
