import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestDetail } from '../../src-main/contract/model';
import type { OpOutput } from '../../src-main/contract/operations';
import { call } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { Steps } from '../components/Steps';
import { useAction } from '../components/useAction';
import { ExpectedResult } from '../components/ExpectedResult';
import { UnverifiedMark, UnverifiedNotice } from '../components/UnverifiedMark';
import { dueDateWords } from '../../src-main/contract/deadline-words';
import type { Language } from '../../src-main/contract/model';

/** P5 (end): the operator certifies the request with the operator's EDS; it is queued for sending (P6). */
export function SignScreen(props: { request: RequestDetail; onSigned: (r: RequestDetail) => void; onBack: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const r = props.request;
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const docs = r.slots.filter((s) => s.presented).length;
  const [expected, setExpected] = useState<OpOutput<'docs.expectedResult'> | null>(null);
  useEffect(() => {
    call('docs.expectedResult', { serviceId: r.serviceId, subServiceId: r.subServiceId, requestId: r.id })
      .then(setExpected)
      .catch(() => setExpected(null));
  }, [r.serviceId, r.subServiceId, r.id]);
  const pages = r.slots.reduce((n, s) => n + s.pages.length, 0);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const signed = await call('request.sign', { requestId: r.id, password });
      setPassword('');
      props.onSigned(signed);
    });
  };

  return (
    <main data-testid="screen-sign">
      <Steps current="sign" />
      <h1>{t('sign.heading')}</h1>
      <section className="card">
        <p>
          {t('sign.summary')}: <strong>{r.localNumber}</strong> · {r.applicant.name} <UnverifiedMark verified={r.applicant.verified} />
        </p>
        <UnverifiedNotice verified={r.applicant.verified} />
        <p>{t('sign.documents', { docs, pages })}</p>
        {expected ? <ExpectedResult expected={expected} lang={lang} label={t('papers.expected', { date: dueDateWords(expected.date, lang) })} /> : null}
      </section>
      <form className="card narrow" onSubmit={(e) => void submit(e)}>
        <label>
          {t('sign.password')}
          <input type="password" data-testid="key-password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} required maxLength={256} autoFocus />
        </label>
        <ErrorBox error={error} />
        <button type="submit" className="primary" disabled={busy || !password} data-testid="sign-submit">
          {busy ? t('sign.signing') : t('sign.submit')}
        </button>
      </form>
      <button type="button" className="quiet" onClick={props.onBack}>
        {t('common.back')}
      </button>
    </main>
  );
}
