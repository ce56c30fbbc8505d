import { useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { periodWords } from '../../../src-main/contract/deadline-words';
import type { Language, OfferedService } from '../../../src-main/contract/model';
import { SEARCH_FIELD } from '../../keys/shortcuts';
import { buildIndex, searchServices, type ServiceEntry } from './search-index';

/**
 * The search field over the catalogue (a combobox): type, ↑/↓ to move, Enter to choose. The
 * operator's recent services are listed first, before anything is typed.
 */
export function ServiceSearch(props: {
  services: OfferedService[];
  recent: string[];
  offered: (s: OfferedService) => boolean;
  onChosen: (e: ServiceEntry) => void;
  onQuery: (q: string) => void;
}) {
  const { t, i18n } = useTranslation('search');
  const lang = i18n.language as Language;
  const index = useMemo(() => buildIndex(props.services), [props.services]);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const results = useMemo(() => {
    const found = searchServices(index, query, props.recent);
    return query.trim() ? found : found.filter((e) => props.recent.includes(e.key));
  }, [index, query, props.recent]);
  const current = results[Math.min(active, results.length - 1)];
  const choose = (e: ServiceEntry | undefined) => {
    if (e && props.offered(e.service as OfferedService)) props.onChosen(e);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (results.length ? (a + step + results.length) % results.length : 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(current);
    }
  };
  const optionId = (e: ServiceEntry) => `svc-${e.key.replace(/[^a-z0-9-]/gi, '_')}`;
  return (
    <div className="service-search">
      <label htmlFor="service-search-input">{t('label')}</label>
      <input
        id="service-search-input"
        data-testid="service-search"
        {...SEARCH_FIELD}
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls="service-results"
        aria-autocomplete="list"
        aria-activedescendant={current ? optionId(current) : undefined}
        autoComplete="off"
        autoFocus
        placeholder={t('placeholder')}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          props.onQuery(e.target.value);
        }}
        onKeyDown={onKey}
      />
      <p className="muted small" id="service-search-help">
        {query.trim() ? t('found', { count: results.length }) : props.recent.length ? t('recentHeading') : t('help')}
      </p>
      <ul id="service-results" role="listbox" aria-label={t('resultsLabel')} className="search-results" data-testid="service-results">
        {results.map((e) => {
          const sub = e.service.subServices.find((x) => x.id === e.subServiceId);
          return (
            <li
              key={e.key}
              id={optionId(e)}
              role="option"
              aria-selected={e === current}
              aria-disabled={!props.offered(e.service as OfferedService)}
              className={`search-result${e === current ? ' active' : ''}${props.offered(e.service as OfferedService) ? '' : ' disabled'}`}
              data-testid="service-result"
              data-key={e.key}
              onMouseDown={(ev) => ev.preventDefault()}
              onClick={() => choose(e)}
            >
              <strong>{e.service.name[lang]}</strong>
              {sub ? <span> — {sub.name[lang]} · {periodWords(lang, sub.deadline.unit, sub.deadline.count)}</span> : null}
              <br />
              <small className="muted">
                {e.service.provider[lang]} · <code>{e.key.replace(/\/$/, '')}</code>
                {props.recent.includes(e.key) ? ` · ${t('recent')}` : ''}
                {props.offered(e.service as OfferedService) ? '' : ` · ${t('notAtCentre')}`}
              </small>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
