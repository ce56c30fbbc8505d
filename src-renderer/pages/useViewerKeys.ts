import type { Dispatch, KeyboardEvent, RefObject, SetStateAction } from 'react';
import type { DocumentSlot } from '../../src-main/contract/model';

/** A page's place: the index of its document among those shown, and its index in the document. */
export interface Spot {
  slot: number;
  page: number;
}

/** The pages the viewer steps through, where it stands, and what it may do to a page (the document screen's). */
export interface ViewerPages {
  slots: DocumentSlot[];
  at: Spot;
  busy: boolean;
  onAt: (s: Spot) => void;
  onRotate: (s: Spot) => void;
  onDelete: (s: Spot) => void;
  onMove: (s: Spot, delta: -1 | 1) => void;
}

/**
 * The viewer's keys, handled on the dialog itself (they act only while it is open, and the
 * dialog has no text field to hijack): ← → pages, Page Up/Down documents, + − 0 zoom, Shift+arrows
 * pan, R rotate, Alt+← → move, Delete delete. Esc is the dialog's own close.
 */
export function useViewerKeys(o: ViewerPages & { setZoom: Dispatch<SetStateAction<number>>; scroller: RefObject<HTMLDivElement | null> }) {
  const docStep = (delta: number) => {
    for (let i = o.at.slot + delta; i >= 0 && i < o.slots.length; i += delta) if (o.slots[i]!.pages.length) return o.onAt({ slot: i, page: 0 });
  };
  const pageStep = (delta: number) => {
    const n = o.slots[o.at.slot]?.pages.length ?? 0;
    const p = o.at.page + delta;
    if (p >= 0 && p < n) o.onAt({ ...o.at, page: p });
    else docStep(delta);
  };
  const pan = (dx: number, dy: number) => o.scroller.current?.scrollBy({ left: dx, top: dy });
  return (e: KeyboardEvent) => {
    if (e.target instanceof HTMLButtonElement && (e.key === 'Enter' || e.key === ' ')) return;
    const k = e.key;
    const act: Record<string, () => void> = e.altKey
      ? { ArrowLeft: () => !o.busy && o.onMove(o.at, -1), ArrowRight: () => !o.busy && o.onMove(o.at, 1) }
      : e.shiftKey && k.startsWith('Arrow')
        ? { ArrowLeft: () => pan(-120, 0), ArrowRight: () => pan(120, 0), ArrowUp: () => pan(0, -120), ArrowDown: () => pan(0, 120) }
        : {
            ArrowRight: () => pageStep(1),
            ArrowLeft: () => pageStep(-1),
            PageDown: () => docStep(1),
            PageUp: () => docStep(-1),
            '+': () => o.setZoom((z) => Math.min(4, z * 1.25)),
            '=': () => o.setZoom((z) => Math.min(4, z * 1.25)),
            '-': () => o.setZoom((z) => Math.max(0.25, z / 1.25)),
            '0': () => o.setZoom(1),
            Delete: () => !o.busy && o.onDelete(o.at),
          };
    // R by its physical key: the same key on a Kazakh or Russian layout (where it types к).
    const f = e.code === 'KeyR' && !e.altKey && !e.ctrlKey ? () => !o.busy && o.onRotate(o.at) : act[k];
    if (f) {
      e.preventDefault();
      f();
    }
  };
}
