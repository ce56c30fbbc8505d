import { useCallback, useEffect, useState } from 'react';
import type { Operator, QueueStatus } from '../../src-main/contract/model';
import type { OpOutput } from '../../src-main/contract/operations';
import { useOperatorActivity } from '../api/activity';
import { call, onEvent, onSessionRefused, sessionResumed } from '../api/client';
import { savedLanguage, setLanguage } from '../i18n';

export type AppInfo = OpOutput<'app.info'>;

/**
 * The workstation's state around the screens: app info, the signed-in operator, the lock and
 * must-change-password flags (the main process decides them, never a timer here), the queue counts.
 */
export function useSession() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [operator, setOperator] = useState<Operator | null>(null);
  const [queue, setQueue] = useState<QueueStatus | null>(null);
  const [fatal, setFatal] = useState<unknown>(null);
  const [locked, setLocked] = useState(false);
  const [mustChange, setMustChange] = useState(false);
  const applySession = useCallback((s: OpOutput<'auth.session'>) => {
    setOperator(s.operator);
    setLocked(s.locked);
    setMustChange(s.mustChangePassword);
    if (!s.locked) sessionResumed();
  }, []);
  useOperatorActivity(Boolean(operator) && !locked);

  useEffect(() => {
    Promise.all([call('app.info', {}), call('auth.session', {})])
      .then(async ([i, s]) => {
        if (!savedLanguage()) await setLanguage(i.defaultLanguage);
        setInfo(i);
        applySession(s);
      })
      .catch(setFatal);
    const offs = [
      onEvent('queue.changed', setQueue),
      onEvent('session.ended', () => {
        setOperator(null);
        setLocked(false);
        sessionResumed();
      }),
      // Covered at once: the event, or any call the main process refused because the session is locked.
      onEvent('session.locked', () => setLocked(true)),
      onSessionRefused((code) => (code === 'AUTH_SESSION_LOCKED' ? setLocked(true) : setOperator(null))),
    ];
    return () => offs.forEach((off) => off());
  }, [applySession]);

  useEffect(() => {
    if (!operator) return;
    call('queue.status', {}).then(setQueue).catch(() => {});
  }, [operator]);

  const signedIn = useCallback((o: Operator, mustChangePassword: boolean) => {
    setOperator(o);
    setLocked(false);
    setMustChange(mustChangePassword);
  }, []);
  const signedOut = useCallback(() => {
    setOperator(null);
    setLocked(false);
    sessionResumed();
  }, []);
  return { info, setInfo, operator, queue, fatal, locked, mustChange, setMustChange, applySession, signedIn, signedOut };
}
