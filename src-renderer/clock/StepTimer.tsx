import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StepTimer as Timer } from '../../src-main/contract/report';
import { stepName, type SheetLanguage } from '../../src-main/contract/report-sheets';
import { timerState } from '../../src-main/contract/step-timer';
import { call, onEvent } from '../api/client';
import './clock.css';

function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * The operator's step timer: the current Diagram 3 step, its time so far against the regulation's
 * norm, amber near it and red past it. It never blocks and never takes focus; only a change of
 * state is announced (politely) to a screen reader, not every second.
 * `screen` changes when the operator moves on, which asks the main process again.
 */
export function StepTimer({ requestId, serviceId, screen }: { requestId: string | null; serviceId: string | null; screen: string }) {
  const { t, i18n } = useTranslation('clock');
  const [timer, setTimer] = useState<{ t: Timer; at: number } | null>(null);
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    let live = true;
    const ask = () =>
      void call('step.timer', { requestId, serviceId })
        .then((x) => live && setTimer({ t: x, at: performance.now() }))
        .catch(() => live && setTimer(null));
    ask();
    const off = requestId ? onEvent('request.changed', (e) => e.id === requestId && ask()) : () => {};
    return () => {
      live = false;
      off();
    };
  }, [requestId, serviceId, screen]);
  useEffect(() => {
    const id = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(id);
  }, []);
  if (!timer || timer.t.step === null || timer.t.elapsedMs === null) return null;
  const elapsed = timer.t.elapsedMs + (now - timer.at);
  const state = timerState(elapsed, timer.t);
  const lang = (['kk', 'ru', 'en'].includes(i18n.language) ? i18n.language : 'kk') as SheetLanguage;
  return (
    <div className="step-timer-bar">
      <div className={`step-timer ${state}`} data-testid="step-timer" data-state={state} data-step={timer.t.step}>
        <span className="step-timer-step">{stepName(timer.t.step, lang)}</span>
        <span role="timer" aria-live="off" className="step-timer-time">
          {clock(elapsed)}
        </span>
        {timer.t.normMs !== null ? (
          <span className="step-timer-norm">
            {t('norm')} {clock(timer.t.normMs)}
          </span>
        ) : (
          <span className="step-timer-norm">{timer.t.serviceId === null ? t('normAfterChoice') : t('noNorm')}</span>
        )}
        <span className="visually-hidden" aria-live="polite">
          {state === 'ok' ? '' : t(state)}
        </span>
      </div>
    </div>
  );
}
