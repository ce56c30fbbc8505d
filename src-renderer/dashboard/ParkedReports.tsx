import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpOutput } from '../../src-main/contract/operations';
import { call } from '../api/client';
import { formatDateTime } from '../i18n/format';

type Parked = OpOutput<'report.parked'>['items'];

/**
 * Step events the licensing backend refused for good (set aside by the sync engine, never sent
 * again): how many, why and when, for the supervisor and the administrator. Nothing when none.
 * `refresh` changes when the dashboard is asked again.
 */
export function ParkedReports({ refresh }: { refresh: unknown }) {
  const { t, i18n } = useTranslation('clock');
  const [items, setItems] = useState<Parked>([]);
  useEffect(() => {
    let live = true;
    void call('report.parked', {})
      .then((r) => live && setItems(r.items))
      .catch(() => live && setItems([]));
    return () => {
      live = false;
    };
  }, [refresh]);
  if (items.length === 0) return null;
  return (
    <div className="card error" role="status" data-testid="parked-reports">
      {items.map((p) => (
        <p key={p.code} data-code={p.code} data-events={p.events}>
          {t('parkedReports', { count: p.events, code: p.code, from: formatDateTime(p.firstAt, i18n.language), to: formatDateTime(p.lastAt, i18n.language) })}
        </p>
      ))}
    </div>
  );
}
