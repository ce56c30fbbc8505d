import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatLocalDate } from '../../../src-main/contract/date-words';
import { periodWords } from '../../../src-main/contract/deadline-words';
import type { Language, OfferedService, Service } from '../../../src-main/contract/model';

/** Whether the Centre accepts this service now (its act in force, or the training catalogue). */
export const isOffered = (s: OfferedService, training: boolean) => s.centreChannel && (s.validity === 'in_force' || training);

/** The whole catalogue as cards (browsing instead of searching), each with its kind of service and its act. */
export function ServiceCards({ services, training, onChosen }: { services: OfferedService[]; training: boolean; onChosen: (s: Service, subServiceId: string | null) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const [sub, setSub] = useState<Record<string, string>>({});
  return (
    <ul className="services">
      {services.map((s) => {
        const chosenSub = sub[s.id] ?? s.subServices[0]?.id ?? null;
        const chosen = s.subServices.find((x) => x.id === chosenSub);
        const offered = isOffered(s, training);
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
