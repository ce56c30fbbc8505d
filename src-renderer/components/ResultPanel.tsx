import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language, RequestDetail } from '../../src-main/contract/model';
import type { OpOutput } from '../../src-main/contract/operations';
import { offersSendAgain } from '../../src-main/contract/rules';
import { call, onEvent } from '../api/client';
import { printPaper } from '../api/print';
import { formatDateTime } from '../i18n/format';
import { ErrorBox } from './ErrorBox';
import { useAction } from './useAction';

type ResultView = OpOutput<'result.get'>;

/** Statuses in which there is something to show: a decision, a result, or its handing over. */
export const OUTCOME_STATUSES: ReadonlySet<RequestDetail['status']> = new Set<RequestDetail['status']>(['result_ready', 'refused', 'issued', 'needs_attention']);

/**
 * P8/P9 for the operator: the provider's refusal with its reasons, or the result with its signature
 * check (opened only when the provider's signature is valid), and handing it over (the issuance
 * sheet is printed). Shown on the request's screen for decided requests.
 */
export function ResultPanel({ request }: { request: RequestDetail }) {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<ResultView | null>(null);
  const { busy, error, setError, run } = useAction();
  const [language, setLanguage] = useState<Language>('kk');
  const load = useCallback(() => {
    call('result.get', { requestId: request.id }).then(setView).catch(setError);
  }, [request.id, setError]);
  useEffect(() => {
    if (!OUTCOME_STATUSES.has(request.status)) return;
    load();
    return onEvent('request.changed', (e) => {
      if (e.id === request.id) load();
    });
  }, [request.id, request.status, load]);
  if (!OUTCOME_STATUSES.has(request.status) || !view || (!view.refusal && !view.result && !view.issued)) return <ErrorBox error={error} />;

  const lang = (i18n.language as Language) || 'kk';
  const act = async (fn: () => Promise<unknown>) => {
    if (await run(fn)) load();
  };
  const issue = (recipient: 'applicant' | 'representative') => act(async () => printPaper(await call('request.issue', { requestId: request.id, recipient, language })));
  const issuable = view.status === 'result_ready' || view.status === 'refused';
  return (
    <section className="card" data-testid="result-panel">
      <h2>{t('sync:heading')}</h2>
      {view.refusal ? (
        <>
          <p>{t('sync:refused')}</p>
          <ul data-testid="refusal-reasons">
            {view.refusal.reasons.map((r) => (
              <li key={r.code}>{r.text[lang] ?? r.text.kk}</li>
            ))}
          </ul>
        </>
      ) : null}
      {view.result ? (
        <dl>
          <dt>{t('sync:signature')}</dt>
          <dd data-testid="result-verification" data-verification={view.result.verification}>
            {t(`sync:verification.${view.result.verification}`)}
          </dd>
          {view.result.signerCn ? (
            <>
              <dt>{t('sync:signer')}</dt>
              <dd>{view.result.signerCn}</dd>
            </>
          ) : null}
          {view.result.signedAt ? (
            <>
              <dt>{t('sync:signedAt')}</dt>
              <dd>{formatDateTime(view.result.signedAt, i18n.language)}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {view.result?.verification === 'invalid' && view.result.verificationCode?.startsWith('SIGN_') ? (
        <p className="error" role="alert" data-testid="result-verification-reason" data-code={view.result.verificationCode}>
          {t(`errors:${view.result.verificationCode}`)}
        </p>
      ) : null}
      {view.pdf ? (
        <button type="button" disabled={busy} onClick={() => void act(() => printPaper(view.pdf!))} data-testid="result-open">
          {t('sync:open')}
        </button>
      ) : null}
      {issuable ? (
        <div className="row">
          <label className="inline">
            <span className="muted">{t('papers.applicantLanguage')}:</span>
            <select style={{ width: 'auto' }} value={language} onChange={(e) => setLanguage(e.target.value as Language)} data-testid="issue-language">
              {(['kk', 'ru'] as const).map((l) => (
                <option key={l} value={l}>
                  {t(`lang.${l}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="primary" disabled={busy} onClick={() => void issue('applicant')} data-testid="issue-applicant">
            {t('sync:issueApplicant')}
          </button>
          {request.representative ? (
            <button type="button" disabled={busy} onClick={() => void issue('representative')} data-testid="issue-representative">
              {t('sync:issueRepresentative')}
            </button>
          ) : null}
        </div>
      ) : null}
      {view.issued ? <p data-testid="issued">{t(`sync:issued.${view.issued.recipient}`, { at: formatDateTime(view.issued.at, i18n.language) })}</p> : null}
      <ErrorBox error={error} />
    </section>
  );
}

/** "Send again" (same submission, same key) for a request that needs attention for such a problem. */
export function SendAgain({ request }: { request: RequestDetail }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  if (!offersSendAgain(request)) return null;
  return (
    <div className="row">
      <button type="button" onClick={() => void call('request.requeue', { requestId: request.id }).catch(setError)} data-testid="send-again">
        {t('sync:sendAgain')}
      </button>
      <ErrorBox error={error} />
    </div>
  );
}
