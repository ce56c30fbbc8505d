import type { DocumentSlot, Page, RequestDetail } from '../../src-main/contract/model';
import { call } from '../api/client';

/** The page changes the operator may make before signing, as calls that answer the new request. */
export function pageOps(requestId: string) {
  return {
    rotate: (p: Page): Promise<RequestDetail> => call('pages.rotate', { requestId, pageId: p.id, rotation: ((p.rotation + 90) % 360) as 0 | 90 | 180 | 270 }),
    remove: (p: Page): Promise<RequestDetail> => call('pages.delete', { requestId, pageId: p.id }),
    /** Moves the page at `index` of the slot by `delta` places (null when it cannot move that way). */
    move: (slot: DocumentSlot, index: number, delta: -1 | 1): (() => Promise<RequestDetail>) | null => {
      const to = index + delta;
      if (to < 0 || to >= slot.pages.length) return null;
      const ids = slot.pages.map((x) => x.id);
      const [moved] = ids.splice(index, 1);
      ids.splice(to, 0, moved!);
      return () => call('pages.reorder', { requestId, slotId: slot.slotId, pageIds: ids });
    },
  };
}
