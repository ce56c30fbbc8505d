import { useTranslation } from 'react-i18next';
import type { Operator, QueueStatus } from '../../src-main/contract/model';
import { LanguageSwitch } from './LanguageSwitch';
import { LinkIndicator } from './LinkIndicator';

export function Header(props: {
  centreName: string;
  operator: Operator | null;
  queue: QueueStatus | null;
  onQueue: () => void;
  onSettings: () => void;
  onNew: () => void;
  onLogout: () => void;
  onQuit: (() => void) | null;
  /** The supervisor's dashboard (supervisors and administrators). */
  onDashboard?: (() => void) | null;
  onHelp?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <header className="header">
      <div className="brand">
        <strong>Qabyldau</strong>
        <span className="centre">{props.centreName}</span>
      </div>
      {props.operator ? (
        <nav className="nav">
          <button type="button" onClick={props.onNew} data-testid="nav-new">
            {t('header.newRequest')}
          </button>
          <button type="button" onClick={props.onQueue} data-testid="nav-queue">
            {t('header.queue')}
            {props.queue && props.queue.counts.queued > 0 ? <span className="badge">{props.queue.counts.queued}</span> : null}
          </button>
          {props.onDashboard ? (
            <button type="button" onClick={props.onDashboard} data-testid="nav-dashboard">
              {t('dashboard:nav')}
            </button>
          ) : null}
          <button type="button" onClick={props.onSettings} data-testid="nav-settings">
            {t('header.settings')}
          </button>
        </nav>
      ) : null}
      <div className="right">
        {props.operator ? <LinkIndicator queue={props.queue} /> : null}
        {props.onHelp ? (
          <button type="button" onClick={props.onHelp} data-testid="help" aria-keyshortcuts="F1" title={t('keys:hint')}>
            ?<span className="sr-only"> {t('keys:title')}</span>
          </button>
        ) : null}
        <LanguageSwitch />
        {props.operator ? (
          <>
            <span className="operator" data-testid="operator-name">
              {t('header.operator')}: {props.operator.fullName}
            </span>
            <button type="button" onClick={props.onLogout} data-testid="logout">
              {t('header.logout')}
            </button>
          </>
        ) : null}
        {props.onQuit ? (
          <button type="button" onClick={props.onQuit} className="quiet" data-testid="quit">
            {t('header.quit')}
          </button>
        ) : null}
      </div>
    </header>
  );
}
