import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentSlot, RequestDetail } from '../../src-main/contract/model';
import type { OpOutput } from '../../src-main/contract/operations';
import { call } from '../api/client';
import { ErrorBox } from './ErrorBox';
import { PaperButtons } from './PaperButtons';
import { SurveyOffer } from '../survey/SurveyOffer';
import { RefusalPaper } from './RefusalPaper';
import { useAction } from './useAction';

type Refusal = OpOutput<'request.refuse'>['refusal'];

/**
 * The counter's refusal to accept the documents, on a legal ground: the package is incomplete, or
 * documents presented are expired (marked on their slot). Recording it cancels the request; the
 * receipt naming the ground is then printed for the applicant (kk or ru).
 */
export function CounterRefusalCard({ request, onChange, onDone }: { request: RequestDetail; onChange: (r: RequestDetail) => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { busy, error, run } = useAction();
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const expired = request.slots.some((s) => s.presented && s.expired);
  const missing = request.slots.some((s) => s.required && (!s.presented || s.pages.length === 0));
  // Until the operator picks one, the ground follows the documents: expired ones marked, or missing ones.
  const [picked, setGround] = useState<'incomplete' | 'expired' | null>(null);
  const ground = picked ?? (expired ? 'expired' : 'incomplete');
  if (refusal) {
    return (
      <section className="card warn" data-testid="counter-refusal" data-refusal-id={refusal.id}>
        <h2>{t('refusal:refuse.heading')}</h2>
        <p>{t('refusal:refuse.recorded')}</p>
        <RefusalPaper refusalId={refusal.id} testId="refusal" first={request.applicantLanguage} />
        <SurveyOffer requestId={request.id} refusalId={refusal.id} serviceId={request.serviceId} />
        {/* Not `refusal-done`: that is the refusal notice's "printed" status (PaperButtons, kind refusal). */}
        <button type="button" onClick={onDone} data-testid="counter-refusal-done">
          {t('refusal:p4.done')}
        </button>
      </section>
    );
  }
  if (!expired && !(missing && request.slots.some((s) => s.presented))) return null;
  const submit = () =>
    run(async () => {
      const r = await call('request.refuse', { requestId: request.id, ground });
      setRefusal(r.refusal);
      onChange(r.request);
    });
  return (
    <details className="card refusal" open={expired}>
      <summary>{t('refusal:refuse.heading')}</summary>
      {missing ? <PaperButtons requestId={request.id} language={request.applicantLanguage} kind="refusal" /> : null}
      <div className="row">
        <label className="inline">
          {t('refusal:refuse.ground')}
          <select data-testid="refuse-ground" value={ground} onChange={(e) => setGround(e.target.value as 'incomplete' | 'expired')}>
            <option value="incomplete">{t('refusal:refuse.ground.incomplete')}</option>
            <option value="expired">{t('refusal:refuse.ground.expired')}</option>
          </select>
        </label>
        <button type="button" className="danger" disabled={busy} onClick={() => void submit()} data-testid="refuse-submit">
          {t('refusal:refuse.submit')}
        </button>
      </div>
      <ErrorBox error={error} />
    </details>
  );
}

/** The operator's mark that a presented document's validity has expired (it then cannot be accepted). */
export function ExpiredMark({ request, slot, disabled, onChange }: { request: RequestDetail; slot: DocumentSlot; disabled: boolean; onChange: (r: RequestDetail) => void }) {
  const { t } = useTranslation();
  const { busy, error, run } = useAction();
  const set = (expired: boolean) =>
    run(async () => onChange(await call('request.setDocument', { requestId: request.id, slotId: slot.slotId, presented: slot.presented, original: slot.original, expired })));
  return (
    <>
      <label className="check expired">
        <input type="checkbox" data-testid={`expired-${slot.slotId}`} checked={slot.expired} disabled={disabled || busy} onChange={(e) => void set(e.target.checked)} />
        {t('refusal:expired')}
      </label>
      {slot.expired ? <span className="field-error">{t('refusal:expiredHint')}</span> : null}
      <ErrorBox error={error} />
    </>
  );
}
