/**
 * The operator's own input keeps the session open: trusted key, pointer and wheel events in this
 * window are reported to the main process (auth.activity), at most every ACTIVITY_EVERY_MS. The
 * screens' own refreshes (queue, sync events) call other operations, which never count.
 */
import { useEffect } from 'react';
import { call } from './client';

const ACTIVITY_EVERY_MS = 15_000;
const EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

export function useOperatorActivity(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    let last = 0;
    const onInput = (e: Event) => {
      if (!e.isTrusted) return;
      const now = Date.now();
      if (now - last < ACTIVITY_EVERY_MS) return;
      last = now;
      void call('auth.activity', {}).catch(() => {});
    };
    for (const name of EVENTS) window.addEventListener(name, onInput, { capture: true, passive: true });
    return () => {
      for (const name of EVENTS) window.removeEventListener(name, onInput, { capture: true });
    };
  }, [active]);
}
