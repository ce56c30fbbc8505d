import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { idnKindOf } from '../../src-main/contract/idn';
import type { QueueStatus, RequestStatus, RequestSummary } from '../../src-main/contract/model';
import { REQUEST_STATUSES } from '../../src-main/contract/statuses';
import type { OpInput } from '../../src-main/contract/operations';
import { offersSendAgain } from '../../src-main/contract/rules';
import { call, onEvent } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { LastContact, useSendNowMessage } from '../components/LinkIndicator';
import { formatDateTime } from '../i18n/format';

/** What the search box holds, read as the contract's filter (numbers are recognised by their shape). */
function filterOf(text: string, status: RequestStatus | ''): OpInput<'request.search'> {
  const q = text.trim().toUpperCase();
  return {
    status: status || null,
    localNumber: /^[A-Z]{2,}-[A-Z0-9-]*$/.test(q) ? q : null,
    registrationNumber: /^KZ[0-9A-Z]{4,}$/.test(q) ? q : null,
    applicant: /^\d{12}$/.test(q) ? { kind: idnKindOf(q), number: q } : null,
    limit: 100,
  };
}

/** The outbox as the operator sees it: every request, its state and registration number, searchable. */
export function QueueScreen(props: { queue: QueueStatus | null; onOpen: (id: string, status: RequestSummary['status']) => void }) {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<RequestSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [text, setText] = useState('');
  const [status, setStatus] = useState<RequestStatus | ''>('');
  const [filter, setFilter] = useState<OpInput<'request.search'>>(filterOf('', ''));
  const [sendNow, setSendNow] = useState<string | null>(null);
  const sendNowMessage = useSendNowMessage();
  const load = useCallback(() => {
    call('request.search', filter)
      .then((r) => {
        setError(null);
        setItems(r.items);
      })
      .catch(setError);
  }, [filter]);
  useEffect(() => {
    load();
    return onEvent('request.changed', load);
  }, [load]);
  const act = (f: () => Promise<unknown>) => void f().then(load, setError);
  const search = (e: FormEvent) => {
    e.preventDefault();
    setFilter(filterOf(text, status));
  };
  const c = props.queue?.counts;
  return (
    <main data-testid="screen-queue">
      <h1>{t('queue.heading')}</h1>
      <div className="row">
        {c ? <span className="muted">{t('queue.counts', c)}</span> : null}
        <LastContact queue={props.queue} />
        <span className="spacer" />
        <button
          type="button"
          onClick={() => {
            setSendNow(null);
            act(async () => setSendNow(sendNowMessage(await call('queue.syncNow', {}))));
          }}
          data-testid="sync-now"
        >
          {t('queue.syncNow')}
        </button>
      </div>
      {sendNow ? (
        <p className="notice" role="status" data-testid="sync-now-result">
          {sendNow}
        </p>
      ) : null}
      <form className="row search" onSubmit={search}>
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder={t('queue.searchPlaceholder')} data-testid="queue-search" />
        <select value={status} onChange={(e) => setStatus(e.target.value as RequestStatus | '')} data-testid="queue-status">
          <option value="">{t('queue.allStatuses')}</option>
          {REQUEST_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        <button type="submit" data-testid="queue-search-submit">
          {t('queue.search')}
        </button>
        <button
          type="button"
          className="quiet"
          onClick={() => {
            setText('');
            setStatus('');
            setFilter(filterOf('', ''));
          }}
        >
          {t('queue.clear')}
        </button>
      </form>
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
            {items.map((i) => {
              const reason = i.attention ?? i.lastError;
              return (
                <tr key={i.id} data-testid="queue-row" data-status={i.status}>
                  <td>{i.localNumber}</td>
                  <td>{i.applicantNumberMasked}</td>
                  <td>
                    <span className={`status s-${i.status}`}>{t(`status.${i.status}`)}</span>
                    {reason ? <small className="error-inline"> {t(`errors:${reason}`, { defaultValue: reason })}</small> : null}
                  </td>
                  <td>{i.registrationNumber ?? '—'}</td>
                  <td>{formatDateTime(i.createdAt, i18n.language)}</td>
                  <td className="actions">
                    {i.status === 'needs_attention' ? (
                      <>
                        {offersSendAgain(i) ? (
                          <button type="button" onClick={() => act(() => call('request.requeue', { requestId: i.id }))} data-testid="requeue">
                            {t('queue.requeue')}
                          </button>
                        ) : null}
                        <button
                          type="button"
                          onClick={() => act(async () => props.onOpen((await call('request.reopen', { requestId: i.id })).id, 'draft'))}
                          data-testid="reopen"
                        >
                          {t('queue.reopen')}
                        </button>
                      </>
                    ) : null}
                    <button type="button" onClick={() => props.onOpen(i.id, i.status)}>
                      {t('queue.open')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </main>
  );
}
