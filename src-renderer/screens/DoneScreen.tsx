import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueStatus, RequestDetail } from '../../src-main/contract/model';
import { call, onEvent } from '../api/client';
import { PaperButtons } from '../components/PaperButtons';
import { SendingRefusalCard } from '../components/RefusalPaper';
import { UnverifiedMark, UnverifiedNotice } from '../components/UnverifiedMark';
import { refusedAtSending } from '../../src-main/contract/rules';
import { OUTCOME_STATUSES, ResultPanel, SendAgain } from '../components/ResultPanel';
import { Steps } from '../components/Steps';
import { SurveyOffer } from '../survey/SurveyOffer';
import { ResultMark } from '../clock/ScreenMark';

/** P6/P7: the request waits in the queue; the registration number appears when E-licensing assigns it. */
export function DoneScreen(props: { request: RequestDetail; queue: QueueStatus | null; onNew: () => void }) {
  const { t } = useTranslation();
  const [r, setR] = useState(props.request);
  useEffect(
    () =>
      onEvent('request.changed', (e) => {
        if (e.id === props.request.id) void call('request.get', { id: e.id }).then(setR).catch(() => {});
      }),
    [props.request.id],
  );
  const refused = refusedAtSending(r);
  // Waiting for registration only while it is on its way: not parked for the operator, not ended.
  const waiting = !r.registrationNumber && r.status !== 'needs_attention' && r.status !== 'cancelled';
  // The heading says where the request is now: the same screen shows the result and its issue.
  const heading = refused ? t('refusal:sending.statusShort') : OUTCOME_STATUSES.has(r.status) ? t(`done.title.${r.status}`) : t('done.heading');
  return (
    <main data-testid="screen-done">
      <Steps current="done" />
      <h1 data-testid="done-heading">{heading}</h1>
      <section className="card big">
        <dl>
          <dt>{t('done.localNumber')}</dt>
          <dd data-testid="done-local-number">{r.localNumber}</dd>
          <dt>{t('worklist:col.applicant')}</dt>
          <dd>
            {r.applicant.name} <UnverifiedMark verified={r.applicant.verified} />
          </dd>
          <dt>{t('done.status')}</dt>
          <dd data-testid="done-status" data-status={r.status}>
            {refused ? t('refusal:sending.status', { registry: t(`refusal:registry.${r.applicant.kind}`) }) : t(`status.${r.status}`)}
          </dd>
          <dt>{t('done.registrationNumber')}</dt>
          <dd data-testid="registration-number" className="regno">
            {r.registrationNumber ?? '—'}
          </dd>
        </dl>
        {waiting ? <p className="muted">{props.queue && !props.queue.online ? t('done.offline') : t('done.waiting')}</p> : null}
        {r.lastError && r.status === 'needs_attention' && !refused ? <p className="error">{t(`errors:${r.lastError}`, { defaultValue: r.lastError })}</p> : null}
        {refused ? (
          <p className="muted" data-testid="sending-mistyped">
            {t('refusal:sending.mistyped')}
          </p>
        ) : null}
        {r.status !== 'needs_attention' ? <UnverifiedNotice verified={r.applicant.verified} /> : null}
        <SendAgain request={r} />
        <p className="muted">{t('common.callCentre')}</p>
      </section>
      <SendingRefusal request={r} />
      <ResultPanel request={r} />
      <ResultMark request={r} />
      {r.status === 'issued' ? <SurveyOffer requestId={r.id} serviceId={r.serviceId} /> : null}
      {r.status !== 'needs_attention' ? (
        <section className="card">
          <h2>{t('papers.receipt')}</h2>
          <PaperButtons requestId={r.id} language={r.applicantLanguage} kind="receipt" autoFocus />
        </section>
      ) : null}
      <button type="button" className="primary" onClick={props.onNew} data-testid="new-request">
        {t('done.new')}
      </button>
    </main>
  );
}

/** P4 found at sending (the applicant entered offline is not in the registry): the refusal and its paper. */
function SendingRefusal({ request: r }: { request: RequestDetail }) {
  const [refusalId, setRefusalId] = useState<string | null>(null);
  const refused = refusedAtSending(r);
  useEffect(() => {
    if (!refused) return;
    call('refusal.ofRequest', { requestId: r.id })
      .then((x) => setRefusalId(x.refusal?.id ?? null))
      .catch(() => setRefusalId(null));
  }, [refused, r.id]);
  return refused && refusalId ? <SendingRefusalCard refusalId={refusalId} kind={r.applicant.kind} /> : null;
}
