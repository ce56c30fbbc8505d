import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../src-main/contract/model';
import { EDITABLE } from '../src-main/contract/lifecycle';
import { call } from './api/client';
import { Screens, type View } from './app/Screens';
import { useSession } from './app/useSession';
import { ErrorBox } from './components/ErrorBox';
import { CounterClock } from './clock/CounterClock';
import { Header } from './components/Header';
import { QuitDialog } from './components/QuitDialog';
import { ShortcutHelp } from './keys/ShortcutHelp';
import { goToSearch, useShortcut } from './keys/shortcuts';
import { ChangePasswordScreen } from './screens/ChangePasswordScreen';
import { FirstRunScreen } from './screens/FirstRunScreen';
import { LockScreen } from './screens/LockScreen';
import { LoginScreen } from './screens/LoginScreen';

export function App() {
  const { i18n } = useTranslation();
  const lang = i18n.language as Language;
  const s = useSession();
  const [view, setView] = useState<View>({ name: 'service' });
  const [quitting, setQuitting] = useState(false);
  const [help, setHelp] = useState(false);
  const working = Boolean(s.operator) && !s.locked && !s.mustChange;
  useShortcut('help', () => setHelp(true), Boolean(s.info) && !s.locked);
  useShortcut('helpAnywhere', () => setHelp(true), Boolean(s.info) && !s.locked);
  useShortcut('newRequest', () => setView({ name: 'service' }), working);
  useShortcut('queue', () => setView({ name: 'queue' }), working);
  useShortcut('search', goToSearch, working);

  const openRequest = useCallback(async (id: string) => {
    const r = await call('request.get', { id });
    setView(EDITABLE.has(r.status) ? { name: 'documents', request: r, service: null } : { name: 'done', request: r });
  }, []);

  if (s.fatal) return <ErrorBox error={s.fatal} />;
  const info = s.info;
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
      s.signedOut();
      setView({ name: 'service' });
    });
  };

  return (
    <div className="app">
      {s.operator && s.locked ? <LockScreen operator={s.operator} onUnlocked={s.applySession} onLogout={logout} /> : null}
      {/* While locked the screen under the cover is hidden (kept as it was, for the unlock). */}
      <div hidden={s.locked} className="app-body">
        <Header
          centreName={info.centre.name[lang]}
          operator={s.operator}
          queue={s.queue}
          onQueue={() => setView({ name: 'queue' })}
          onSettings={() => setView({ name: 'settings' })}
          onNew={() => setView({ name: 'service' })}
          onLogout={logout}
          onQuit={info.kiosk && info.shell === 'electron' ? () => setQuitting(true) : null}
          onHelp={() => setHelp(true)}
          onDashboard={s.operator && s.operator.role !== 'operator' ? () => setView({ name: 'dashboard' }) : null}
        />
        {!s.locked && !s.mustChange && !(info.firstRun && !s.operator) ? <CounterClock view={view} signedIn={Boolean(s.operator)} /> : null}
        {quitting ? <QuitDialog onCancel={() => setQuitting(false)} /> : null}
        {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
        {!s.operator && info.firstRun ? (
          <FirstRunScreen onCreated={() => s.setInfo({ ...info, firstRun: false })} />
        ) : !s.operator ? (
          <LoginScreen
            onLoggedIn={(o, mustChangePassword) => {
              s.signedIn(o, mustChangePassword);
              // A supervisor comes to the dashboard; an administrator or operator to the counter.
              setView(o.role === 'supervisor' ? { name: 'dashboard' } : { name: 'service' });
            }}
          />
        ) : s.mustChange ? (
          <ChangePasswordScreen forced onChanged={() => s.setMustChange(false)} />
        ) : (
          <Screens view={view} setView={setView} operator={s.operator} queue={s.queue} lang={lang} openRequest={(id) => void openRequest(id)} />
        )}
      </div>
    </div>
  );
}
