import { useState } from 'react';
import type { RequestDetail } from '../../../src-main/contract/model';
import { startScan } from '../../components/scan-starters';
import { useShortcut } from '../../keys/shortcuts';
import { pageOps } from '../../pages/page-ops';
import type { Spot } from '../../pages/useViewerKeys';

/**
 * The documents screen's shortcuts. The current document is the one holding the focus (the
 * first one until then). Alt+D moves to the next document's checkbox; Alt+S scans into the current
 * one; Alt+R deletes its last page and scans one sheet in its place; Alt+V opens its pages; Alt+P
 * goes on to signing once the documents are complete.
 */
export function useDocumentKeys(o: {
  request: RequestDetail;
  enabled: boolean;
  run: (slotId: string, f: () => Promise<RequestDetail>) => Promise<void>;
  onNext: () => void;
  onView: (s: Spot) => void;
}) {
  const slots = o.request.slots;
  const [current, setCurrent] = useState<string | null>(null);
  const cur = slots.find((s) => s.slotId === current) ?? slots[0];
  const scan = (maxPages: number | null) => cur?.presented && startScan(cur.slotId, maxPages);
  useShortcut(
    'nextDocument',
    () => {
      const i = slots.findIndex((s) => s.slotId === cur?.slotId);
      const next = slots[(i + 1) % slots.length];
      if (!next) return;
      setCurrent(next.slotId);
      document.querySelector<HTMLInputElement>(`[data-testid="presented-${next.slotId}"]`)?.focus();
    },
    o.enabled,
  );
  useShortcut('scan', () => scan(null), o.enabled);
  useShortcut(
    'rescanLast',
    () => {
      const last = cur?.pages.at(-1);
      if (!cur || !last) return;
      void o.run(cur.slotId, () => pageOps(o.request.id).remove(last)).then(() => scan(1));
    },
    o.enabled,
  );
  useShortcut(
    'viewPages',
    () => {
      const withPages = cur?.pages.length ? cur : slots.find((s) => s.pages.length);
      if (withPages) o.onView({ slot: slots.indexOf(withPages), page: 0 });
    },
    o.enabled,
  );
  useShortcut('sign', () => o.request.status === 'documents_complete' && o.onNext(), o.enabled);
  return { current: cur?.slotId ?? null, setCurrent };
}
