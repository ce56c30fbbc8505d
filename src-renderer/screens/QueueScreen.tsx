import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueStatus, RequestSummary } from '../../src-main/contract/model';
import { call, onEvent } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { formatDateTime } from '../i18n/format';

/** The outbox as the operator sees it: every request, its state and registration number. */
export function QueueScreen(props: { queue: QueueStatus | null; onOpen: (id: string, status: RequestSummary['status']) => void }) {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<RequestSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    call('request.list', { status: null, limit: 100 })
      .then((r) => setItems(r.items))
      .catch(setError);
  }, []);
  useEffect(() => {
    load();
    return onEvent('request.changed', load);
  }, [load]);
  const c = props.queue?.counts;
  return (
    <main data-testid="screen-queue">
      <h1>{t('queue.heading')}</h1>
      <div className="row">
        {c ? <span className="muted">{t('queue.counts', c)}</span> : null}
        <span className="spacer" />
        <button type="button" onClick={() => void call('queue.syncNow', {}).then(load)} data-testid="sync-now">
          {t('queue.syncNow')}
        </button>
      </div>
      <ErrorBox error={error} />
      {items && items.length === 0 ? <p>{t('queue.empty')}</p> : null}
      {items && items.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th>{t('queue.local')}</th>
              <th>{t('queue.applicant')}</th>
              <th>{t('queue.status')}</th>
              <th>{t('queue.registration')}</th>
              <th>{t('queue.created')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} data-testid="queue-row">
                <td>{i.localNumber}</td>
                <td>{i.applicantNumberMasked}</td>
                <td>
                  <span className={`status s-${i.status}`}>{t(`status.${i.status}`)}</span>
                  {i.lastError ? <small className="error-inline"> {t(`errors:${i.lastError}`, { defaultValue: i.lastError })}</small> : null}
                </td>
                <td>{i.registrationNumber ?? '—'}</td>
                <td>{formatDateTime(i.createdAt, i18n.language)}</td>
                <td>
                  <button type="button" onClick={() => props.onOpen(i.id, i.status)}>
                    {t('queue.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </main>
  );
}
