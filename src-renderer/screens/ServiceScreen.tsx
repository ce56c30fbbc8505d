import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfferedService, Service } from '../../src-main/contract/model';
import { call } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { Steps } from '../components/Steps';
import { recentServices, rememberService } from './service/recent';
import { isOffered, ServiceCards } from './service/ServiceCards';
import { ServiceSearch } from './service/ServiceSearch';

/** P2: the operator picks the service (and the kind of service): by search, or from the catalogue's cards. */
export function ServiceScreen({ operatorId, onChosen }: { operatorId: string; onChosen: (s: Service, subServiceId: string | null) => void }) {
  const { t } = useTranslation();
  const [services, setServices] = useState<OfferedService[] | null>(null);
  const [training, setTraining] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [searching, setSearching] = useState(false);
  const [recent] = useState(() => recentServices(operatorId));

  useEffect(() => {
    call('catalog.services', {})
      .then((r) => {
        setServices(r.services);
        setTraining(r.training);
      })
      .catch(setError);
  }, []);
  const chosen = useCallback(
    (s: Service, subServiceId: string | null) => {
      rememberService(operatorId, `${s.id}/${subServiceId ?? ''}`);
      onChosen(s, subServiceId);
    },
    [operatorId, onChosen],
  );

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
      {services ? (
        <ServiceSearch
          services={services}
          recent={recent}
          offered={(s) => isOffered(s, training)}
          onQuery={(q) => setSearching(q.trim().length > 0)}
          onChosen={(e) => chosen(e.service, e.subServiceId)}
        />
      ) : null}
      {services && !searching ? <ServiceCards services={services} training={training} onChosen={chosen} /> : null}
    </main>
  );
}
