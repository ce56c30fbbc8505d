import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language, WorklistItem } from '../../../src-main/contract/model';
import { offersSendAgain, refusedAtSending } from '../../../src-main/contract/rules';
import { RefusalPaper, SendingRefusalCard } from '../../components/RefusalPaper';
import { UnverifiedMark } from '../../components/UnverifiedMark';
import { formatDateTime } from '../../i18n/format';
import { ageWords, isOverdue, needsAttention, nextAction, type Sort, type SortKey } from './worklist-model';

const COLUMNS: { key: SortKey | null; label: string }[] = [
  { key: 'local', label: 'local' },
  { key: 'service', label: 'service' },
  { key: null, label: 'applicant' },
  { key: 'status', label: 'status' },
  { key: 'due', label: 'due' },
  { key: 'age', label: 'age' },
  { key: null, label: 'next' },
];

/** The rows, sortable by their column headers (buttons; aria-sort says the order). */
export function WorklistTable(props: {
  items: WorklistItem[];
  today: string;
  sort: Sort;
  name: (i: WorklistItem) => string;
  onSort: (s: Sort) => void;
  onOpen: (i: WorklistItem) => void;
  onRequeue: (i: WorklistItem) => void;
  onReopen: (i: WorklistItem) => void;
  /** A recorded refusal's paper printed from a row (a refusal at sending is then settled). */
  onPrinted: () => void;
}) {
  const { t, i18n } = useTranslation('worklist');
  const lang = i18n.language as Language;
  // The row whose recorded refusal (P4 at sending, documents refused) is open, with its paper.
  const [refusalOf, setRefusalOf] = useState<string | null>(null);
  const sortBy = (key: SortKey) => props.onSort({ key, dir: props.sort.key === key ? (-props.sort.dir as 1 | -1) : 1 });
  return (
    <table className="table worklist" data-testid="worklist" aria-label={t('tableLabel')}>
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th key={c.label} scope="col" aria-sort={c.key && props.sort.key === c.key ? (props.sort.dir === 1 ? 'ascending' : 'descending') : undefined}>
              {c.key ? (
                <button type="button" className="sort" onClick={() => sortBy(c.key!)} data-testid={`sort-${c.key}`}>
                  {t(`col.${c.label}`)}
                  {props.sort.key === c.key ? (props.sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                </button>
              ) : (
                t(`col.${c.label}`)
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.items.map((i) => {
          const late = isOverdue(i, props.today);
          const attn = needsAttention(i);
          const reason = i.attention ?? i.lastError;
          const next = nextAction(i);
          return (
            <Fragment key={i.id}>
              <tr data-testid="queue-row" data-status={i.status} data-overdue={late} className={late ? 'late' : attn ? 'attn' : ''}>
                <td>
                  {i.localNumber}
                  {i.registrationNumber ? <small className="muted block">{i.registrationNumber}</small> : null}
                </td>
                <td>{props.name(i)}</td>
                <td>
                  {i.applicantNumberMasked} <UnverifiedMark verified={i.applicantVerified} />
                </td>
                <td>
                  <span className={`status s-${i.status}`} data-testid="row-status">
                    {refusedAtSending(i) ? t('refusal:sending.statusShort') : t(`status.${i.status}`, { ns: 'common' })}
                  </span>
                  {reason ? <small className="error-inline block">{t(`errors:${reason}`, { defaultValue: reason })}</small> : null}
                </td>
                <td data-testid="due">
                  {i.due ? i.due.date.split('-').reverse().join('.') : '—'}
                  {i.due?.estimated ? <small className="muted"> ({t('estimated')})</small> : null}
                  {late ? <strong className="tag late-tag"> {t('overdue')}</strong> : null}
                </td>
                <td title={formatDateTime(i.createdAt, lang)}>{ageWords(i.createdAt, lang)}</td>
                <td className="actions">
                  {next === 'fix' && offersSendAgain(i) ? (
                    <button type="button" onClick={() => props.onRequeue(i)} data-testid="requeue">
                      {t('queue.requeue', { ns: 'common' })}
                    </button>
                  ) : null}
                  {next === 'fix' ? (
                    <button type="button" onClick={() => props.onReopen(i)} data-testid="reopen">
                      {t('queue.reopen', { ns: 'common' })}
                    </button>
                  ) : null}
                  <button type="button" onClick={() => props.onOpen(i)} aria-label={`${t(`next.${next}`)}: ${i.localNumber}`} data-testid="row-open">
                    {t(`next.${next}`)}
                  </button>
                  {next === 'refused-at-sending' ? (
                    <small className="muted block hint" data-testid="row-mistyped">
                      {t('refusal:sending.mistyped')}
                    </small>
                  ) : null}
                  {i.refusal ? (
                    <button type="button" aria-expanded={refusalOf === i.id} onClick={() => setRefusalOf(refusalOf === i.id ? null : i.id)} data-testid="row-refusal">
                      {t(refusalOf === i.id ? 'refusal:sending.hide' : 'refusal:sending.show')}
                    </button>
                  ) : null}
                </td>
              </tr>
              {i.refusal && refusalOf === i.id ? (
                <tr data-testid="queue-row-refusal">
                  <td colSpan={COLUMNS.length}>
                    {i.refusal.ground === 'data_unavailable' ? (
                      <SendingRefusalCard refusalId={i.refusal.id} kind={i.applicantKind} onPrinted={props.onPrinted} />
                    ) : (
                      <RefusalPaper refusalId={i.refusal.id} testId="row-refusal" onPrinted={props.onPrinted} />
                    )}
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
