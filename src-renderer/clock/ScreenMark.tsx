import { useEffect } from 'react';
import type { Screen } from '../../src-main/contract/report';
import { call } from '../api/client';

// The operator's last action (a click, a tap, a key): where the app's own latency starts. Before
// any action it is the page's start (0), so the log-in screen's mark measures the app's start.
let lastAction = 0;
const seen = () => {
  lastAction = performance.now();
};
addEventListener('pointerdown', seen, { capture: true, passive: true });
addEventListener('keydown', seen, { capture: true, passive: true });

/**
 * Tells the main process a screen is ready (step.screenReady) with the time from the operator's
 * action to its first paint after mounting: the app's own latency, which the step times report
 * apart from the time spent on paper and with the applicant. Renders nothing.
 */
export function ScreenMark({ screen, requestId = null, serviceId = null }: { screen: Screen | null; requestId?: string | null; serviceId?: string | null }) {
  useEffect(() => {
    if (!screen) return;
    const started = lastAction;
    // Two frames: the first runs before the paint, the second after it.
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => {
        const latencyMs = Math.min(600_000, Math.max(0, Math.round(performance.now() - started)));
        void call('step.screenReady', { screen, requestId, serviceId, latencyMs }).catch(() => {});
      });
    });
    return () => cancelAnimationFrame(frame);
  }, [screen, requestId, serviceId]);
  return null;
}

/**
 * The request's statuses whose screen shows a decision or a result (P8/P9): the done screen marks
 * 'result' itself (<ResultMark/>) when its request, followed live, reaches one of them. That mark
 * opens P9, which the handing over closes.
 */
const DECIDED: ReadonlySet<string> = new Set(['result_ready', 'refused', 'issued']);

export function ResultMark({ request }: { request: { id: string; status: string; serviceId: string } }) {
  return DECIDED.has(request.status) ? <ScreenMark screen="result" requestId={request.id} serviceId={request.serviceId} /> : null;
}

/** Which screen of the clock an App view is (null: not one the clock times). */
export function screenMark(
  view: { name: string; request?: { id: string; status: string }; service?: { id: string } | null },
  signedIn: boolean,
): { screen: Screen | null; requestId: string | null; serviceId: string | null } {
  const requestId = view.request?.id ?? null;
  const serviceId = view.service?.id ?? null;
  if (!signedIn) return { screen: 'login', requestId: null, serviceId: null };
  const byName: Record<string, Screen> = { service: 'service', applicant: 'applicant', documents: 'documents', sign: 'sign', queue: 'queue', dashboard: 'dashboard' };
  // 'done': its request's status changes while it shows, so the screen marks 'result' itself (ResultMark).
  const screen = byName[view.name] ?? null;
  return { screen, requestId, serviceId };
}
