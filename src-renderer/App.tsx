import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language, Operator, QueueStatus, RequestDetail, Service } from '../src-main/contract/model';
import type { OpOutput } from '../src-main/contract/operations';
import { EDITABLE } from '../src-main/contract/lifecycle';
import { useOperatorActivity } from './api/activity';
import { call, onEvent, onSessionRefused, sessionResumed } from './api/client';
import { ErrorBox } from './components/ErrorBox';
import { Header } from './components/Header';
import { QuitDialog } from './components/QuitDialog';
import { savedLanguage, setLanguage } from './i18n';
import { ApplicantScreen } from './screens/ApplicantScreen';
import { ChangePasswordScreen } from './screens/ChangePasswordScreen';
import { FirstRunScreen } from './screens/FirstRunScreen';
import { LockScreen } from './screens/LockScreen';
import { DocumentsScreen } from './screens/DocumentsScreen';
import { DoneScreen } from './screens/DoneScreen';
import { LoginScreen } from './screens/LoginScreen';
import { QueueScreen } from './screens/QueueScreen';
import { ServiceScreen } from './screens/ServiceScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { SignScreen } from './screens/SignScreen';
import { CounterClock } from './clock/CounterClock';

type View =
  | { name: 'service' }
  | { name: 'applicant'; service: Service; subServiceId: string | null }
  | { name: 'documents'; request: RequestDetail; service: Service | null }
  | { name: 'sign'; request: RequestDetail }
  | { name: 'done'; request: RequestDetail }
  | { name: 'queue' }
  | { name: 'settings' }
  | { name: 'dashboard' };

type AppInfo = OpOutput<'app.info'>;
// The supervisor's dashboard (and Chart.js with it) loads only when a supervisor opens it.
const DashboardScreen = lazy(() => import('./dashboard/DashboardScreen').then((m) => ({ default: m.DashboardScreen })));

export function App() {
  const { i18n } = useTranslation();
  const lang = i18n.language as Language;
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [operator, setOperator] = useState<Operator | null>(null);
  const [view, setView] = useState<View>({ name: 'service' });
  const [queue, setQueue] = useState<QueueStatus | null>(null);
  const [fatal, setFatal] = useState<unknown>(null);
  const [quitting, setQuitting] = useState(false);
  // The main process decides: locked (idle) and must-change-password come from it, never from a timer here.
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
    const offQueue = onEvent('queue.changed', setQueue);
    const offSession = onEvent('session.ended', () => {
      setOperator(null);
      setLocked(false);
      sessionResumed();
    });
    // Covered at once: the event, or any call the main process refused because the session is locked.
    const offLocked = onEvent('session.locked', () => setLocked(true));
    const offRefused = onSessionRefused((code) => (code === 'AUTH_SESSION_LOCKED' ? setLocked(true) : setOperator(null)));
    return () => {
      offQueue();
      offSession();
      offLocked();
      offRefused();
    };
  }, [applySession]);

  useEffect(() => {
    if (!operator) return;
    call('queue.status', {}).then(setQueue).catch(() => {});
  }, [operator]);

  const openRequest = useCallback(async (id: string) => {
    const r = await call('request.get', { id });
    if (EDITABLE.has(r.status)) {
      setView({ name: 'documents', request: r, service: null });
    } else {
      setView({ name: 'done', request: r });
    }
  }, []);

  if (fatal) return <ErrorBox error={fatal} />;
  // Paint the frame at once; the Centre's name and the screen follow a moment later.
  if (!info) {
    return (
      <div className="app">
        <Header centreName="" operator={null} queue={null} onQueue={() => {}} onSettings={() => {}} onNew={() => {}} onLogout={() => {}} onQuit={null} />
      </div>
    );
  }

  const logout = () => {
    void call('auth.logout', {}).finally(() => {
      setOperator(null);
      setLocked(false);
      sessionResumed();
      setView({ name: 'service' });
    });
  };

  return (
    <div className="app">
      {operator && locked ? <LockScreen operator={operator} onUnlocked={applySession} onLogout={logout} /> : null}
      {/* While locked the screen under the cover is hidden (kept as it was, for the unlock). */}
      <div hidden={locked} className="app-body">
      <Header
        centreName={info.centre.name[lang]}
        operator={operator}
        queue={queue}
        onQueue={() => setView({ name: 'queue' })}
        onSettings={() => setView({ name: 'settings' })}
        onNew={() => setView({ name: 'service' })}
        onLogout={logout}
        onQuit={info.kiosk && info.shell === 'electron' ? () => setQuitting(true) : null}
        onDashboard={operator && operator.role !== 'operator' ? () => setView({ name: 'dashboard' }) : null}
      />
      {!locked && !mustChange && !(info.firstRun && !operator) ? <CounterClock view={view} signedIn={Boolean(operator)} /> : null}
      {quitting ? <QuitDialog onCancel={() => setQuitting(false)} /> : null}
      {!operator && info.firstRun ? (
        <FirstRunScreen onCreated={() => setInfo({ ...info, firstRun: false })} />
      ) : !operator ? (
        <LoginScreen
          onLoggedIn={(o, mustChangePassword) => {
            applySession({ operator: o, locked: false, mustChangePassword });
            // A supervisor comes to the dashboard; an administrator or operator to the counter.
            setView(o.role === 'supervisor' ? { name: 'dashboard' } : { name: 'service' });
          }}
        />
      ) : mustChange ? (
        <ChangePasswordScreen forced onChanged={() => setMustChange(false)} />
      ) : view.name === 'service' ? (
        <ServiceScreen onChosen={(service, subServiceId) => setView({ name: 'applicant', service, subServiceId })} />
      ) : view.name === 'applicant' ? (
        <ApplicantScreen
          service={view.service}
          subServiceId={view.subServiceId}
          onBack={() => setView({ name: 'service' })}
          onCreated={(request) => setView({ name: 'documents', request, service: view.service })}
        />
      ) : view.name === 'documents' ? (
        <DocumentsScreen
          request={view.request}
          documentsNote={view.service?.documentsNote[lang] ?? null}
          // A late answer (an event's refresh that lands after the operator moved on) must not bring
          // the screen back: update only while this request's documents are still on screen.
          onChange={(request) => setView((v) => (v.name === 'documents' && v.request.id === request.id ? { ...v, request } : v))}
          onNext={() => setView({ name: 'sign', request: view.request })}
          onCancelled={() => setView({ name: 'queue' })}
        />
      ) : view.name === 'sign' ? (
        <SignScreen
          request={view.request}
          onBack={() => setView({ name: 'documents', request: view.request, service: null })}
          onSigned={(request) => setView({ name: 'done', request })}
        />
      ) : view.name === 'done' ? (
        <DoneScreen request={view.request} queue={queue} onNew={() => setView({ name: 'service' })} />
      ) : view.name === 'dashboard' ? <Suspense fallback={null}><DashboardScreen /></Suspense> : view.name === 'settings' ? (
        <SettingsScreen operator={operator} />
      ) : (
        <QueueScreen queue={queue} onOpen={(id) => void openRequest(id)} />
      )}
      </div>
    </div>
  );
}
