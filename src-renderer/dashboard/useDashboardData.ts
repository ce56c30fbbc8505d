import { useCallback, useEffect, useState } from 'react';
import type { Dashboard, DashboardFigures, DashboardLists } from '../../src-main/contract/report';
import { call } from '../api/client';
import { useAction } from '../components/useAction';

/** Deadlines and queue waits listed at first, and added by "show more". */
export const PAGE = 50;

type Query = { from: string; to: string; scope: Dashboard['scope'] };

/**
 * The dashboard's two answers: report.figures (counts, step statistics: the charts are drawn from
 * it) and report.lists (deadlines and queue waits, the first `limit` of each, and the latest
 * requests), asked apart so the first chart never waits for the lists. Lists of an older query
 * are not shown for a new one.
 */
export function useDashboardData(query: Query) {
  const key = `${query.from}|${query.to}|${query.scope}`;
  const [figures, setFigures] = useState<DashboardFigures | null>(null);
  const [lists, setLists] = useState<{ key: string; value: DashboardLists; limit: number } | null>(null);
  const load = useAction();
  const loadLists = useAction();
  const fetchLists = useCallback(
    (limit: number) => {
      void loadLists.run(async () => {
        const value = await call('report.lists', { from: query.from, to: query.to, limit });
        setLists({ key, value, limit });
      });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
  const refresh = useCallback(() => {
    void load.run(async () => setFigures(await call('report.figures', query)));
    fetchLists(PAGE);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  useEffect(refresh, [refresh]);
  const current = lists?.key === key ? lists : null;
  return {
    figures,
    lists: current?.value ?? null,
    refresh,
    showMore: () => fetchLists((current?.limit ?? PAGE) + PAGE),
    busy: load.busy,
    listsBusy: loadLists.busy,
    error: load.error ?? loadLists.error,
  };
}

/** The whole report the tables are made of: the figures, and the lists once they came. */
export function mergedReport(figures: DashboardFigures, lists: DashboardLists | null, queueMinutes = 60): Dashboard {
  return {
    ...figures,
    deadlines: lists?.deadlines ?? [],
    queueWaits: { thresholdMinutes: lists?.queueWaits.thresholdMinutes ?? queueMinutes, requests: lists?.queueWaits.requests ?? [] },
    requests: lists?.requests ?? [],
  };
}
