import { useTranslation } from 'react-i18next';
import type { QueueStatus, SendNowResult } from '../../src-main/contract/model';
import { formatDateTime, formatTimeOfDay } from '../i18n/format';

/**
 * The header's line indicator: which state the line to E-licensing is in (online, offline, in
 * maintenance until HH:MM, rate limited until HH:MM), with the number of requests waiting.
 */
export function LinkIndicator(props: { queue: QueueStatus | null }) {
  const { t, i18n } = useTranslation('link');
  const q = props.queue;
  const state = q?.link ?? 'offline';
  const label =
    state === 'maintenance' || state === 'rate_limited'
      ? q?.linkUntil
        ? t(state, { time: formatTimeOfDay(q.linkUntil, i18n.language) })
        : t(`${state}NoTime`)
      : t(state);
  const queued = q?.counts.queued ?? 0;
  return (
    <span className={`online link-${state} ${state === 'online' ? 'yes' : 'no'}`} data-testid="online" data-state={state} title={t(`hint.${state}`)}>
      ● {label}
      {queued > 0 ? <span className="link-queued"> · {t('queued', { count: queued })}</span> : null}
    </span>
  );
}

/** The queue screen's line: when E-licensing last answered. */
export function LastContact(props: { queue: QueueStatus | null }) {
  const { t, i18n } = useTranslation('link');
  const at = props.queue?.lastContactAt;
  return (
    <span className="muted" data-testid="last-contact">
      {at ? t('lastContact', { at: formatDateTime(at, i18n.language) }) : t('lastContactNever')}
    </span>
  );
}

/** What "Send now" did, in the operator's language. */
export function useSendNowMessage(): (r: SendNowResult) => string {
  const { t, i18n } = useTranslation(['link', 'errors']);
  return (r) => {
    switch (r.outcome) {
      case 'sending':
        return t('link:sendNow.sending', { count: r.queued });
      case 'maintenance':
      case 'rate_limited':
        return r.until ? t(`link:sendNow.${r.outcome}`, { time: formatTimeOfDay(r.until, i18n.language) }) : t(`link:sendNow.${r.outcome}NoTime`);
      case 'problem':
        return t('link:sendNow.problem', { problem: r.problem ? t(`errors:${r.problem}`, { defaultValue: r.problem }) : '' });
      default:
        return t(`link:sendNow.${r.outcome}`);
    }
  };
}
