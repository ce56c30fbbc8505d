import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { idnProblem } from '../../src-main/contract/idn';
import { IdnFacts } from './IdnFacts';
import type { RequestDetail } from '../../src-main/contract/model';
import { call } from '../api/client';
import { ErrorBox } from './ErrorBox';
import { useAction } from './useAction';

/**
 * P3 for a representative: who acts for the applicant and under which power of attorney, checked
 * in the unified notarial system (БНАЖ). It is part of what the operator signs.
 */
export function RepresentativeCard({ request, onChange }: { request: RequestDetail; onChange: (r: RequestDetail) => void }) {
  const { t } = useTranslation();
  const rep = request.representative;
  const [editing, setEditing] = useState(false);
  const [iin, setIin] = useState(rep?.iin ?? '');
  const [name, setName] = useState(rep?.name ?? '');
  const [number, setNumber] = useState(rep?.powerOfAttorney.number ?? '');
  const [date, setDate] = useState(rep?.powerOfAttorney.date ?? '');
  const [notary, setNotary] = useState(rep?.powerOfAttorney.notary ?? '');
  const action = useAction();
  const { busy, error } = action;
  const iinProblem = iin.length === 12 ? idnProblem('iin', iin) : null;

  const run = (f: () => Promise<RequestDetail>) => action.run(async () => onChange(await f()));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(() =>
      call('request.setRepresentative', {
        requestId: request.id,
        representative: { iin, name: name.trim(), powerOfAttorney: { number: number.trim(), date, notary: notary.trim() || null } },
      }),
    );
    if (ok) setEditing(false);
  };

  return (
    <section className="card representative" data-testid="representative">
      <h2>{t('rep.heading')}</h2>
      {!rep && !editing ? (
        <div className="row">
          <span className="muted">{t('rep.none')}</span>
          <button type="button" onClick={() => setEditing(true)} data-testid="rep-add">
            {t('rep.add')}
          </button>
        </div>
      ) : null}
      {rep && !editing ? (
        <div className="row">
          <span>
            <strong>{rep.name}</strong> · {rep.iin} · № {rep.powerOfAttorney.number}, {rep.powerOfAttorney.date}
          </span>
          <span className={`tag ${rep.verified || rep.exception ? 'ok-tag' : 'warn'}`} data-testid="rep-status" data-verified={rep.verified} data-exception={rep.exception ?? ''}>
            {rep.verified ? t('rep.verified') : rep.exception ? t('rep.exceptionRecorded') : t('rep.unverified')}
          </span>
          <span className="spacer" />
          {!rep.verified && !rep.exception ? (
            <>
              <button type="button" disabled={busy} onClick={() => void run(() => call('request.verifyRepresentative', { requestId: request.id }))} data-testid="rep-verify">
                {t('rep.verify')}
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() => void run(() => call('request.representativeException', { requestId: request.id, exception: 'certified_otherwise' }))}
                data-testid="rep-exception"
              >
                {t('rep.exception')}
              </button>
            </>
          ) : null}
          {rep.exception ? (
            <button type="button" className="quiet" disabled={busy} onClick={() => void run(() => call('request.representativeException', { requestId: request.id, exception: null }))}>
              {t('rep.exceptionWithdraw')}
            </button>
          ) : null}
          <button type="button" className="quiet" disabled={busy} onClick={() => void run(() => call('request.setRepresentative', { requestId: request.id, representative: null }))}>
            {t('rep.remove')}
          </button>
        </div>
      ) : null}
      {editing ? (
        <form onSubmit={(e) => void save(e)} className="grid2">
          <label>
            {t('rep.iin')}
            <input value={iin} inputMode="numeric" maxLength={12} onChange={(e) => setIin(e.target.value.replace(/\D/g, ''))} aria-invalid={Boolean(iinProblem)} data-testid="rep-iin" required />
            <IdnFacts kind="iin" value={iin} testId="rep-iin" />
          </label>
          <label>
            {t('rep.name')}
            <input value={name} maxLength={300} onChange={(e) => setName(e.target.value)} data-testid="rep-name" required />
          </label>
          <label>
            {t('rep.poaNumber')}
            <input value={number} maxLength={64} onChange={(e) => setNumber(e.target.value)} data-testid="rep-poa-number" required />
          </label>
          <label>
            {t('rep.poaDate')}
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="rep-poa-date" required />
          </label>
          <label>
            {t('rep.notary')}
            <input value={notary} maxLength={300} onChange={(e) => setNotary(e.target.value)} />
          </label>
          <div className="row">
            <button type="submit" className="primary" disabled={busy || iin.length !== 12 || Boolean(iinProblem)} data-testid="rep-save">
              {t('rep.save')}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : null}
      <ErrorBox error={error} />
    </section>
  );
}
