import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpOutput } from '../../../src-main/contract/operations';
import { call } from '../../api/client';
import { ErrorBox } from '../../components/ErrorBox';
import { formatDateTime } from '../../i18n/format';

type Reads = OpOutput<'audit.reads'>;

/**
 * For a supervisor or an administrator: who read one applicant's data (look-ups, searches, scanned
 * pages, papers, results) and when, from the audit trail. The IIN/BIN is typed here and sent to
 * the main process; it is not kept by the screen after the answer.
 */
export function ReadsPanel() {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<'iin' | 'bin'>('iin');
  const [number, setNumber] = useState('');
  const [reads, setReads] = useState<Reads | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setReads(null);
    call('audit.reads', { kind, number })
      .then(setReads)
      .catch(setError)
      .finally(() => setBusy(false));
  };
  return (
    <section className="card" data-testid="reads-panel">
      <h2>{t('trust:reads.heading')}</h2>
      <p className="hint">{t('trust:reads.hint')}</p>
      <form className="row" onSubmit={submit}>
        <select style={{ width: 'auto' }} value={kind} onChange={(e) => setKind(e.target.value as 'iin' | 'bin')} aria-label={t('trust:reads.kind')}>
          <option value="iin">{t('trust:reads.iin')}</option>
          <option value="bin">{t('trust:reads.bin')}</option>
        </select>
        <input inputMode="numeric" pattern="\d{12}" maxLength={12} value={number} onChange={(e) => setNumber(e.target.value.replace(/\D/g, ''))} data-testid="reads-number" aria-label={t('trust:reads.number')} required />
        <button type="submit" disabled={busy || number.length !== 12} data-testid="reads-submit">
          {t('trust:reads.show')}
        </button>
      </form>
      <ErrorBox error={error} />
      {reads && !reads.known ? <p data-testid="reads-unknown">{t('trust:reads.unknown')}</p> : null}
      {reads?.known && reads.entries.length === 0 ? <p data-testid="reads-none">{t('trust:reads.none')}</p> : null}
      {reads?.entries.length ? (
        <table data-testid="reads-table">
          <thead>
            <tr>
              <th>{t('trust:reads.when')}</th>
              <th>{t('trust:reads.who')}</th>
              <th>{t('trust:reads.what')}</th>
              <th>{t('trust:reads.request')}</th>
            </tr>
          </thead>
          <tbody>
            {reads.entries.map((e, i) => (
              <tr key={i} data-testid="reads-row" data-action={e.action}>
                <td>{formatDateTime(e.at, i18n.language)}</td>
                <td>{e.operator.name ?? e.operator.login ?? e.operator.id}</td>
                <td>
                  {t(`trust:reads.action.${e.action}`)}
                  {e.detail ? ` (${t(`trust:reads.paper.${e.detail}`)})` : ''}
                </td>
                <td className="regno">{e.localNumber ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
