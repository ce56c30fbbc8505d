import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** Shows a contract error as a sentence in the operator's language (never a stack or a code alone). */
export function ErrorBox({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const wire = error instanceof ApiError ? error.wire : { code: 'INTERNAL', params: {}, retryable: false, callId: undefined };
  const text = t(`errors:${wire.code}`, { ...wire.params, defaultValue: t('errors:INTERNAL') });
  return (
    <div className="error" role="alert" data-testid="error" data-code={wire.code}>
      <span>{text}</span>
      {wire.code === 'INTERNAL' && wire.callId ? <small> {t('common.errorRef', { id: wire.callId })}</small> : null}
    </div>
  );
}
