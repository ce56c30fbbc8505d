import { useCallback, useEffect, useMemo, useState } from 'react';
import { idnKindOf } from '../../../src-main/contract/idn';
import type { RequestStatus, Service, WorklistItem } from '../../../src-main/contract/model';
import { call, onEvent } from '../../api/client';
import type { Sort } from './worklist-model';

/**
 * What the work list shows and how. Its status filter, "needs my attention only" and its order are
 * kept per operator in this workstation's local storage (they survive a restart). The search text
 * is not kept: it may hold an IIN.
 */
export interface Filters {
  status: RequestStatus | '';
  attentionOnly: boolean;
  sort: Sort;
}
const DEFAULTS: Filters = { status: '', attentionOnly: false, sort: { key: 'priority', dir: 1 } };
const keyOf = (operatorId: string) => `qabyldau.worklist.${operatorId}`;

function savedFilters(operatorId: string): Filters {
  try {
    const v = JSON.parse(localStorage.getItem(keyOf(operatorId)) ?? 'null') as Partial<Filters> | null;
    return { ...DEFAULTS, ...(v ?? {}) };
  } catch {
    return DEFAULTS;
  }
}

/** The numbers the server finds by themselves: a full IIN/BIN (by its keyed hash), a local or registration number. */
function serverQuery(text: string) {
  const q = text.trim().toUpperCase();
  if (/^\d{12}$/.test(q)) return { applicant: { kind: idnKindOf(q), number: q } };
  if (/^KZ[0-9A-Z]{4,}$/.test(q)) return { registrationNumber: q };
  if (/^[A-Z]{2,}-[A-Z0-9-]*$/.test(q)) return { localNumber: q };
  return null;
}

export function useWorklist(operatorId: string) {
  const [items, setItems] = useState<WorklistItem[] | null>(null);
  const [services, setServices] = useState<Map<string, Service>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [filters, setFiltersState] = useState<Filters>(() => savedFilters(operatorId));
  const [text, setText] = useState('');
  const [found, setFound] = useState<Set<string> | null>(null);
  const setFilters = useCallback(
    (f: Filters) => {
      setFiltersState(f);
      localStorage.setItem(keyOf(operatorId), JSON.stringify(f));
    },
    [operatorId],
  );
  const load = useCallback(() => {
    call('request.worklist', { limit: 500 })
      .then((r) => {
        setError(null);
        setItems(r.items);
      })
      .catch(setError);
  }, []);
  useEffect(() => {
    load();
    call('catalog.services', {})
      .then((r) => setServices(new Map(r.services.map((s) => [s.id, s]))))
      .catch(() => {});
    return onEvent('request.changed', load);
  }, [load]);
  const search = useCallback((q: string) => {
    setText(q);
    const server = serverQuery(q);
    if (!server) return setFound(null);
    call('request.search', { limit: 500, ...server })
      .then((r) => setFound(new Set(r.items.map((i) => i.id))))
      .catch(setError);
  }, []);
  const visible = useMemo(() => (items ?? []).filter((i) => !found || found.has(i.id)), [items, found]);
  return { items: items ? visible : null, services, error, setError, load, filters, setFilters, text, search, serverSearch: found !== null };
}
