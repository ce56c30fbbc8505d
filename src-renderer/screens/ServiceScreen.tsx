import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { periodWords } from '../../src-main/contract/deadline-words';
import type { Language, OfferedService, Service } from '../../src-main/contract/model';
import { formatLocalDate } from '../../src-main/contract/date-words';
import { call } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { Steps } from '../components/Steps';

/** P2: the operator picks the service (and the kind of service). */
export function ServiceScreen({ onChosen }: { onChosen: (s: Service, subServiceId: string | null) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const [services, setServices] = useState<OfferedService[] | null>(null);
  const [training, setTraining] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sub, setSub] = useState<Record<string, string>>({});

  useEffect(() => {
    call('catalog.services', {})
      .then((r) => {
        setServices(r.services);
        setTraining(r.training);
      })
      .catch(setError);
  }, []);

  return (
    <main data-testid="screen-service">
      <Steps current="service" />
      <h1>{t('service.heading')}</h1>
      <ErrorBox error={error} />
      {!services && !error ? <p>{t('common.loading')}</p> : null}
      {training ? (
        <p className="banner warning" role="note" data-testid="catalog-training">
          {t('catalog:training')}
        </p>
      ) : null}
      <ul className="services">
        {services?.map((s) => {
          const chosenSub = sub[s.id] ?? s.subServices[0]?.id ?? null;
          const chosen = s.subServices.find((x) => x.id === chosenSub);
          const offered = s.centreChannel && (s.validity === 'in_force' || training);
          return (
            <li key={s.id} className={`service card ${offered ? '' : 'disabled'}`} data-testid={`service-${s.id}`} data-validity={s.validity}>
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
              <ActLine service={s} training={training} lang={lang} />
              {offered ? (
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
                <p className="muted" data-testid={`not-offered-${s.id}`}>
                  {s.centreChannel ? t('catalog:notOffered') : t('service.notAtCentre')}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </main>
  );
}

/** The act the service rests on, and whether it is in force today (a repealed act: not offered, or training only). */
function ActLine({ service, training, lang }: { service: OfferedService; training: boolean; lang: Language }) {
  const { t } = useTranslation();
  const act = service.act;
  const status =
    service.validity === 'repealed'
      ? training
        ? t('catalog:repealedTraining', { date: formatLocalDate(act.repealed ?? '', lang) })
        : t('catalog:repealed', { date: formatLocalDate(act.repealed ?? '', lang), by: act.repealedBy?.[lang] ?? '' })
      : service.validity === 'not_yet_in_force'
        ? t('catalog:notYetInForce', { date: formatLocalDate(act.inForce ?? '', lang) })
        : t('catalog:inForce');
  return (
    <p className={`meta act ${service.validity}`} data-testid={`act-${service.id}`}>
      {t('catalog:act', { title: act.title[lang] })} · <strong>{status}</strong>
    </p>
  );
}
