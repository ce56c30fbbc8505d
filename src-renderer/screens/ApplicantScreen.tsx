import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { idnProblem } from '../../src-main/contract/idn';
import { IdnFacts } from '../components/IdnFacts';
import type { Applicant, Language, RequestDetail, Service } from '../../src-main/contract/model';
import { ApiError, call, failedWith } from '../api/client';
import type { OpInput, OpOutput } from '../../src-main/contract/operations';
import { ErrorBox } from '../components/ErrorBox';
import { Steps } from '../components/Steps';
import { useAction } from '../components/useAction';
import { P4RefusalCard } from '../components/RefusalPaper';
import { ApplicantFound } from './applicant/ApplicantFound';
import { ManualEntry } from './applicant/ManualEntry';
import { ApplicantLanguage } from './applicant/ApplicantLanguage';

/**
 * The look-up; P4 (the registry has no such applicant) comes back as its recorded refusal's id.
 * The registry down: `onOffline` (the operator may go on with the name the applicant gives), and the error.
 */
async function lookupOrRefusal(input: OpInput<'applicant.lookup'>, onOffline: () => void): Promise<OpOutput<'applicant.lookup'> | { refusalId: string }> {
  try {
    return await call('applicant.lookup', input);
  } catch (err) {
    if (failedWith('applicant.lookup', err, 'REGISTRY_UNAVAILABLE')) onOffline();
    if (failedWith('applicant.lookup', err, 'APPLICANT_NOT_FOUND') && err instanceof ApiError && typeof err.wire.params.refusalId === 'string') return { refusalId: err.wire.params.refusalId };
    throw err;
  }
}

/** P3/C1: identify the applicant by IIN/BIN in the state registry; offline, by hand (unverified). */
export function ApplicantScreen(props: { service: Service; subServiceId: string | null; onCreated: (r: RequestDetail) => void; onBack: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const kinds = props.service.applicantKinds;
  const [kind, setKind] = useState<'iin' | 'bin'>(kinds[0] ?? 'iin');
  const [number, setNumber] = useState('');
  const [applicant, setApplicant] = useState<Applicant | null>(null);
  const [offline, setOffline] = useState(false);
  const [refusalId, setRefusalId] = useState<string | null>(null); // P4: the recorded reasoned refusal
  const [paperLanguage, setPaperLanguage] = useState<'kk' | 'ru'>(lang === 'ru' ? 'ru' : 'kk'); // the UI's by default
  const { busy, error, setError, run } = useAction();
  /** A new number or look-up: nothing found yet, no P4 refusal, no error. */
  const reset = () => void [setApplicant(null), setOffline(false), setRefusalId(null), setError(null)];
  const problem = number.length === 0 ? null : idnProblem(kind, number);

  const lookup = async (e: FormEvent) => {
    e.preventDefault();
    if (problem) return;
    reset();
    await run(async () => {
      const r = await lookupOrRefusal({ kind, number, serviceId: props.service.id, subServiceId: props.subServiceId }, () => setOffline(true));
      if ('refusalId' in r) setRefusalId(r.refusalId);
      else setApplicant(r.applicant);
    });
  };

  /** Opens the request: `manualName` when the registry could not be asked (the request is unverified). */
  const create = async (manualName: string | null) => {
    await run(async () => {
      const r = await call('request.create', {
        serviceId: props.service.id,
        subServiceId: props.subServiceId,
        applicant: { kind, number, manualName },
        applicantLanguage: paperLanguage,
      });
      props.onCreated(r);
    });
  };

  return (
    <main data-testid="screen-applicant">
      <Steps current="applicant" />
      <h1>{t('applicant.heading')}</h1>
      <p className="meta">{props.service.name[lang]}</p>
      <form className="card" onSubmit={(e) => void lookup(e)}>
        <fieldset className="row plain">
          <legend className="sr-only">{t('a11y:applicantKind')}</legend>
          {kinds.map((k) => (
            <label key={k} className="radio">
              <input
                type="radio"
                name="kind"
                data-testid={`kind-${k}`}
                checked={kind === k}
                onChange={() => {
                  setKind(k);
                  setApplicant(null);
                }}
              />
              {t(`applicant.kind.${k}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t(`a11y:applicantNumber.${kind}`)}
          <input
            data-testid="idn"
            inputMode="numeric"
            autoFocus
            maxLength={12}
            value={number}
            aria-invalid={Boolean(problem) && number.length === 12}
            onChange={(e) => {
              setNumber(e.target.value.replace(/\D/g, '').slice(0, 12));
              reset();
            }}
          />
        </label>
        <IdnFacts kind={kind} value={number} testId="idn" />
        <ApplicantLanguage value={paperLanguage} onChange={setPaperLanguage} />
        <button type="submit" className="primary" disabled={busy || Boolean(problem) || number.length !== 12} data-testid="lookup">
          {t('applicant.lookup')}
        </button>
      </form>
      <ErrorBox error={error} />
      {refusalId ? <P4RefusalCard refusalId={refusalId} kind={kind} serviceId={props.service.id} language={paperLanguage} onDone={props.onBack} /> : null}
      {applicant ? <ApplicantFound applicant={applicant} busy={busy} onContinue={() => void create(null)} /> : null}
      {offline ? <ManualEntry busy={busy} onContinue={(name) => void create(name)} /> : null}
      <button type="button" className="quiet" onClick={props.onBack}>
        {t('common.back')}
      </button>
    </main>
  );
}
