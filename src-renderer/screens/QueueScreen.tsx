import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language, QueueStatus, RequestStatus, SendNowResult, WorklistItem } from '../../src-main/contract/model';
import { REQUEST_STATUSES } from '../../src-main/contract/statuses';
import { call } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { almatyToday } from '../i18n/format';
import { SEARCH_FIELD } from '../keys/shortcuts';
import { LastContact, useSendNowMessage } from '../components/LinkIndicator';
import { fold } from './service/search-index';
import { useWorklist } from './queue/useWorklist';
import { needsAttention, isOverdue, serviceName, sortItems } from './queue/worklist-model';
import { WorklistTable } from './queue/WorklistTable';

/** The work list: every request with its service, masked applicant, status, due date, age and next action; late and parked ones first. */
export function QueueScreen(props: { operatorId: string; queue: QueueStatus | null; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const w = useWorklist(props.operatorId);
  const [text, setText] = useState('');
  // The answer itself, worded at each render: switching the language re-words it.
  const [sendNow, setSendNow] = useState<SendNowResult | null>(null);
  const sendNowMessage = useSendNowMessage();
  const today = almatyToday();
  const act = (f: () => Promise<unknown>) => void f().then(w.load, w.setError);
  const name = (i: WorklistItem) => serviceName(w.services, i, lang);
  const { filters, setFilters } = w;
  const rows = useMemo(() => {
    const q = w.serverSearch ? '' : fold(w.text);
    const shown = (w.items ?? []).filter(
      (i) =>
        (!filters.status || i.status === filters.status) &&
        (!filters.attentionOnly || needsAttention(i) || isOverdue(i, today)) &&
        (!q || fold(`${i.localNumber} ${i.registrationNumber ?? ''} ${i.applicantNumberMasked} ${serviceName(w.services, i, lang)}`).includes(q)),
    );
    return sortItems(shown, filters.sort, today, (i) => serviceName(w.services, i, lang));
  }, [w.items, w.services, w.text, w.serverSearch, filters, today, lang]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    w.search(text);
  };
  const c = props.queue?.counts;
  return (
    <main data-testid="screen-queue">
      <h1>{t('queue.heading')}</h1>
      <div className="row">
        {c ? <span className="muted" data-testid="queue-counts">{t('queue.counts', c)}</span> : null}
        <LastContact queue={props.queue} />
        <span className="spacer" />
        <button type="button" onClick={() => {
            setSendNow(null);
            act(async () => setSendNow(await call('queue.syncNow', {})));
          }} data-testid="sync-now">
          {t('queue.syncNow')}
        </button>
      </div>
      {sendNow ? (
        <p className="notice" role="status" data-testid="sync-now-result">
          {sendNowMessage(sendNow)}
        </p>
      ) : null}
      <form className="row search" onSubmit={submit} role="search" aria-label={t('worklist:filters')}>
        <label className="sr-only" htmlFor="queue-search">
          {t('queue.searchPlaceholder')}
        </label>
        <input id="queue-search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('worklist:searchPlaceholder')} data-testid="queue-search" {...SEARCH_FIELD} />
        <label className="inline">
          {t('worklist:statusFilter')}
          <select value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value as RequestStatus | '' })} data-testid="queue-status">
            <option value="">{t('queue.allStatuses')}</option>
            {REQUEST_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.attentionOnly} onChange={(e) => setFilters({ ...filters, attentionOnly: e.target.checked })} data-testid="attention-only" />
          {t('worklist:attentionOnly')}
        </label>
        <button type="submit" data-testid="queue-search-submit">
          {t('queue.search')}
        </button>
        <button type="button" className="quiet" onClick={() => {
            setText('');
            w.search('');
          }}>
          {t('queue.clear')}
        </button>
      </form>
      <ErrorBox error={w.error} />
      {w.items && rows.length === 0 ? <p>{t('queue.empty')}</p> : null}
      {rows.length > 0 ? (
        <WorklistTable
          items={rows}
          today={today}
          sort={filters.sort}
          name={name}
          onSort={(sort) => setFilters({ ...filters, sort })}
          onOpen={(i) => props.onOpen(i.id)}
          onRequeue={(i) => act(() => call('request.requeue', { requestId: i.id }))}
          onReopen={(i) => act(async () => props.onOpen((await call('request.reopen', { requestId: i.id })).id))}
          onPrinted={w.load}
        />
      ) : null}
    </main>
  );
}
