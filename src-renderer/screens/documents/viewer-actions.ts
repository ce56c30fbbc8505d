import type { RequestDetail } from '../../../src-main/contract/model';
import { pageOps } from '../../pages/page-ops';
import type { Spot } from '../../pages/useViewerKeys';

/** The viewer's page changes on a request; after a delete or a move the viewer follows the page. */
export function viewerActions(r: RequestDetail, run: (slotId: string, f: () => Promise<RequestDetail>) => Promise<void>, setAt: (s: Spot | null) => void) {
  const ops = pageOps(r.id);
  const at = (s: Spot) => {
    const slot = r.slots[s.slot];
    const page = slot?.pages[s.page];
    return slot && page ? { slot, page } : null;
  };
  return {
    onRotate: (s: Spot) => {
      const x = at(s);
      if (x) void run(x.slot.slotId, () => ops.rotate(x.page));
    },
    onDelete: (s: Spot) => {
      const x = at(s);
      if (!x) return;
      const left = x.slot.pages.length - 1;
      void run(x.slot.slotId, () => ops.remove(x.page)).then(() => setAt(left > 0 ? { ...s, page: Math.min(s.page, left - 1) } : null));
    },
    onMove: (s: Spot, delta: -1 | 1) => {
      const x = at(s);
      const move = x && ops.move(x.slot, s.page, delta);
      if (x && move) void run(x.slot.slotId, move).then(() => setAt({ ...s, page: s.page + delta }));
    },
  };
}
