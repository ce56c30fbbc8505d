import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { periodWords } from '../../src-main/contract/deadline-words';
import type { Language, Service } from '../../src-main/contract/model';
import { call } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { Steps } from '../components/Steps';

/** P2: the operator picks the service (and the kind of service). */
export function ServiceScreen({ onChosen }: { onChosen: (s: Service, subServiceId: string | null) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const [services, setServices] = useState<Service[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [sub, setSub] = useState<Record<string, string>>({});

  useEffect(() => {
    call('catalog.services', {})
      .then((r) => setServices(r.services))
      .catch(setError);
  }, []);

  return (
    <main data-testid="screen-service">
      <Steps current="service" />
      <h1>{t('service.heading')}</h1>
      <ErrorBox error={error} />
      {!services && !error ? <p>{t('common.loading')}</p> : null}
      <ul className="services">
        {services?.map((s) => {
          const chosenSub = sub[s.id] ?? s.subServices[0]?.id ?? null;
          const chosen = s.subServices.find((x) => x.id === chosenSub);
          return (
            <li key={s.id} className={`service card ${s.centreChannel ? '' : 'disabled'}`} data-testid={`service-${s.id}`}>
              <h2>{s.name[lang]}</h2>
              <p className="meta">
                {t('service.provider')}: {s.provider[lang]} · {t('service.result')}: {(chosen?.resultType ?? s.resultType)[lang]}
              </p>
              {chosen ? (
                <p className="meta" data-testid={`basis-${s.id}`}>
                  {chosen.applicationForm ? `${t('service.form')}: ${chosen.applicationForm[lang]} · ` : ''}
                  {t('service.source', { seed: chosen.source.seed, paragraph: chosen.source.paragraph, line: chosen.source.line })} · {s.legalBasis}
                </p>
              ) : null}
              {s.centreChannel ? (
                <div className="row">
                  {s.subServices.length > 0 ? (
                    <label className="inline">
                      {t('service.subService')}
                      <select
                        data-testid={`sub-${s.id}`}
                        value={chosenSub ?? ''}
                        onChange={(e) => setSub({ ...sub, [s.id]: e.target.value })}
                      >
                        {s.subServices.map((x) => (
                          <option key={x.id} value={x.id}>
                            {x.name[lang]} — {periodWords(lang, x.deadline.unit, x.deadline.count)}
                          </option>
                        ))}
                      </select>
                    </label>
                  ) : null}
                  <button type="button" className="primary" data-testid={`choose-${s.id}`} onClick={() => onChosen(s, chosenSub)}>
                    {t('service.choose')}
                  </button>
                </div>
              ) : (
                <p className="muted">{t('service.notAtCentre')}</p>
              )}
            </li>
          );
        })}
      </ul>
    </main>
  );
}
