import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpOutput } from '../../../src-main/contract/operations';
import { call } from '../../api/client';
import { ErrorBox } from '../../components/ErrorBox';
import { formatDate, formatDateTime } from '../../i18n/format';

type Status = OpOutput<'settings.ncalayerCertificate'>;

const colons = (sha256: string) => sha256.match(/../g)?.join(':') ?? sha256;

/**
 * For an administrator: the TLS certificate NCALayer presents now, the one accepted before, and
 * accepting it (trust on first use). Until one is accepted, and whenever NCALayer presents another,
 * signing through NCALayer is refused.
 */
export function NcaLayerTrust() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fetchStatus = useCallback(() => {
    call('settings.ncalayerCertificate', {})
      .then((s) => {
        setStatus(s);
        setError(null);
      })
      .catch(setError)
      .finally(() => setBusy(false));
  }, []);
  useEffect(fetchStatus, [fetchStatus]);
  const load = () => {
    setBusy(true);
    fetchStatus();
  };
  const accept = (sha256: string) => {
    setBusy(true);
    call('settings.trustNcalayerCertificate', { sha256 })
      .then(fetchStatus)
      .catch((e: unknown) => {
        setError(e);
        setBusy(false);
      });
  };
  if (!status) return <ErrorBox error={error} />;
  const p = status.presented;
  return (
    <div className="card" data-testid="ncalayer-trust" data-state={status.state}>
      <h3>{t('trust:ncalayer.heading')}</h3>
      <p className={status.state === 'pinned' || status.state === 'configured' ? 'ok' : 'error'} data-testid="ncalayer-trust-state">
        {t(`trust:ncalayer.state.${status.state}`)}
      </p>
      {p ? (
        <dl>
          <dt>{t('trust:ncalayer.presented')}</dt>
          <dd className="regno" style={{ overflowWrap: "anywhere" }} data-testid="ncalayer-presented">{colons(p.sha256)}</dd>
          <dt>{t('trust:ncalayer.subject')}</dt>
          <dd>{p.subject}</dd>
          <dt>{t('trust:ncalayer.validTo')}</dt>
          <dd>{formatDate(p.validTo, i18n.language)}</dd>
        </dl>
      ) : null}
      {status.pinned && status.state === 'changed' ? (
        <dl>
          <dt>{t('trust:ncalayer.pinned')}</dt>
          <dd className="regno" style={{ overflowWrap: "anywhere" }} data-testid="ncalayer-pinned">{colons(status.pinned.sha256)}</dd>
        </dl>
      ) : null}
      {status.pinned ? <p className="hint">{t('trust:ncalayer.pinnedBy', { login: status.pinned.pinnedBy, at: formatDateTime(status.pinned.pinnedAt, i18n.language) })}</p> : null}
      {p && (status.state === 'not_pinned' || status.state === 'changed') ? (
        <>
          <p className="hint">{t('trust:ncalayer.compare')}</p>
          <button type="button" className="primary" disabled={busy} onClick={() => accept(p.sha256)} data-testid="ncalayer-accept">
            {t('trust:ncalayer.accept')}
          </button>
        </>
      ) : null}{' '}
      <button type="button" disabled={busy} onClick={load} data-testid="ncalayer-refresh">
        {t('trust:ncalayer.refresh')}
      </button>
      <ErrorBox error={error} />
    </div>
  );
}

/** The signing section's NCALayer part: its address, and for an administrator its certificate. */
export function NcaLayerSection({ url, isAdmin }: { url: string; isAdmin: boolean }) {
  return (
    <>
      <p className="muted">NCALayer: {url}</p>
      {isAdmin ? <NcaLayerTrust /> : null}
    </>
  );
}
