import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Operator } from '../../src-main/contract/model';
import type { OpOutput } from '../../src-main/contract/operations';
import { call } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { formatDate } from '../i18n/format';
import { AccountsPanel } from './accounts/AccountsPanel';
import { NcaLayerSection } from './settings/NcaLayerTrust';
import { ReadsPanel } from './settings/ReadsPanel';

type Settings = OpOutput<'settings.get'>;
type ScanStatus = OpOutput<'scan.status'>;
type Devices = OpOutput<'scan.devices'>['devices'];

/**
 * The scanners: SANE's state ("no SANE" on Windows), and every scanner of every driver — eSCL
 * network scanners on every platform — with the one this workstation uses, a refresh, and, for
 * an administrator, confirming an HTTPS network scanner's certificate (trust on first use).
 */
function ScannerSettings({ isAdmin }: { isAdmin: boolean }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<ScanStatus | null>(null);
  const [devices, setDevices] = useState<Devices | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const load = (refresh: boolean) => {
    call('scan.status', {})
      .then((s) => {
        setError(null);
        setStatus(s);
        if (s.reason === 'disabled') return setDevices(null);
        return call('scan.devices', { refresh }).then((d) => {
          setDevices(d.devices);
          setSelected(d.selected);
        });
      })
      .catch(setError)
      .finally(() => setBusy(false));
  };
  useEffect(() => load(false), []);
  const choose = (deviceId: string | null) => {
    setError(null);
    // Show the choice at once; put the previous one back if the main process refuses it.
    const before = selected;
    setSelected(deviceId);
    call('scan.selectDevice', { deviceId }).catch((e: unknown) => {
      setSelected(before);
      setError(e);
    });
  };
  const trust = (deviceId: string, sha256: string) => {
    setError(null);
    call('scan.trustCertificate', { deviceId, sha256 })
      .then(() => load(true))
      .catch(setError);
  };
  const saneText = (s: ScanStatus) =>
    s.sane === 'available'
      ? t('scan:status.sane.available', { version: s.version ?? '' })
      : s.reason === 'disabled'
        ? t('settings.scanner.disabled')
        : devices && devices.length > 0
          ? t('scan:status.sane.unavailable-network')
          : `${t('scan:status.sane.unavailable')} ${s.reason ? t(`scan:status.reason.${s.reason}`) : ''}`;
  return (
    <section className="card">
      <h2>{t('settings.scanner')}</h2>
      {status ? (
        <p data-testid="scanner-status" data-sane={status.sane}>
          {saneText(status)}
        </p>
      ) : null}
      {devices ? (
        <ul className="devices" data-testid="scanner-devices">
          {devices.map((d) => (
            <li key={d.id} data-testid="scanner-device" data-device={d.id} data-driver={d.driver}>
              <label className="radio">
                <input type="radio" name="scanner" data-testid="scanner-use" checked={selected === d.id} onChange={() => choose(d.id)} />
                {d.virtual ? t('scan:device.virtual') : `${d.vendor} ${d.model}`.trim()}
              </label>{' '}
              {d.driver === 'escl' ? <span className="badge">{t('scan:device.network')}</span> : null}{' '}
              <span className="muted">({d.url ?? d.id})</span>
              {d.certificate ? (
                d.certificate.trusted ? (
                  <p className="hint ok">{t('scan:device.cert.trusted')}</p>
                ) : (
                  <p className="hint" data-testid="scanner-cert">
                    {t('scan:device.cert.untrusted', { sha256: d.certificate.sha256.match(/../g)?.join(':') ?? d.certificate.sha256 })}{' '}
                    {isAdmin ? (
                      <button type="button" data-testid="scanner-trust" onClick={() => trust(d.id, d.certificate!.sha256)}>
                        {t('scan:device.cert.trust')}
                      </button>
                    ) : (
                      <em>{t('scan:device.cert.adminOnly')}</em>
                    )}
                  </p>
                )
              ) : null}
            </li>
          ))}
          {devices.length > 0 ? (
            <li>
              <label className="radio">
                <input type="radio" name="scanner" data-testid="scanner-use-auto" checked={selected === null} onChange={() => choose(null)} />
                {t('scan:device.auto')}
              </label>
            </li>
          ) : null}
        </ul>
      ) : null}
      {devices && devices.length === 0 ? <p className="hint">{t('scan:device.none')}</p> : null}
      {status && status.reason !== 'disabled' ? (
        <button
          type="button"
          onClick={() => {
            setBusy(true);
            load(true);
          }}
          disabled={busy}
          data-testid="scanner-refresh"
        >
          {t('scan:device.refresh')}
        </button>
      ) : null}
      {status ? <p className="hint">{t('scan:import.formats')}: {status.importFormats.join(', ').toUpperCase()}</p> : null}
      <ErrorBox error={error} />
    </section>
  );
}
type KeyInfo = OpOutput<'sign.keystoreInfo'>;

/** Signing (provider, checking the operator's key), the scanner's state, and where settings come from. */
export function SettingsScreen({ operator }: { operator: Operator }) {
  const { t, i18n } = useTranslation();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [password, setPassword] = useState('');
  const [keyInfo, setKeyInfo] = useState<KeyInfo | null>(null);
  const [keyError, setKeyError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);

  const load = () => {
    call('settings.get', {}).then(setSettings).catch(setError);
  };
  useEffect(load, []);

  const setProvider = async (provider: 'pkcs12' | 'ncalayer') => {
    setError(null);
    setSaved(false);
    // Show the choice at once; the reload below shows what the main process kept.
    setSettings((prev) => (prev ? { ...prev, signing: { ...prev.signing, provider } } : prev));
    try {
      await call('settings.setSigningProvider', { provider });
      setSaved(true);
    } catch (e) {
      setError(e);
    }
    load();
  };

  const checkKey = async (e: FormEvent) => {
    e.preventDefault();
    setChecking(true);
    setKeyInfo(null);
    setKeyError(null);
    try {
      setKeyInfo(await call('sign.keystoreInfo', { password }));
    } catch (err) {
      setKeyError(err);
    } finally {
      setPassword('');
      setChecking(false);
    }
  };

  if (!settings) return <main data-testid="screen-settings">{error ? <ErrorBox error={error} /> : t('common.loading')}</main>;
  const s = settings.signing;
  const isAdmin = operator.role === 'administrator';
  return (
    <main data-testid="screen-settings">
      <h1>{t('settings.heading')}</h1>
      <section className="card">
        <h2>{t('settings.signing')}</h2>
        <p className="muted">{t('settings.provider')}</p>
        <div className="row">
          {(['pkcs12', 'ncalayer'] as const).map((p) => (
            <label key={p} className="radio">
              <input
                type="radio"
                name="provider"
                data-testid={`provider-${p}`}
                checked={s.provider === p}
                disabled={!isAdmin || Boolean(s.providerLockedBy)}
                onChange={() => void setProvider(p)}
              />
              {t(`settings.provider.${p}`)}
            </label>
          ))}
          {saved ? <span className="ok">{t('settings.saved')}</span> : null}
        </div>
        {s.providerLockedBy ? <p className="hint">{t('settings.providerLocked', { source: s.providerLockedBy })}</p> : null}
        {!isAdmin ? <p className="hint">{t('settings.providerAdminOnly')}</p> : null}
        <ErrorBox error={error} />
        {s.provider === 'pkcs12' ? (
          s.keystoreConfigured ? (
            <form className="narrow" onSubmit={(e) => void checkKey(e)}>
              <label>
                {t('sign.password')}
                <input type="password" data-testid="check-key-password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} required />
              </label>
              <button type="submit" disabled={checking || !password} data-testid="check-key">
                {t('settings.checkKey')}
              </button>
            </form>
          ) : (
            <p className="muted">{t('settings.keystoreMissing')}</p>
          )
        ) : (
          <NcaLayerSection url={s.ncalayerUrl} isAdmin={isAdmin} />
        )}
        <ErrorBox error={keyError} />
        {keyInfo ? (
          <div className="card ok-card" data-testid="key-info">
            <p className="ok">{t('settings.keyOk')}</p>
            <dl>
              <dt>{t('settings.keyOwner')}</dt>
              <dd>{keyInfo.signer.subjectCn}</dd>
              <dt>{t('settings.keyValidUntil')}</dt>
              <dd>{formatDate(keyInfo.signer.notAfter, i18n.language)}</dd>
              <dt>{t('settings.keySerial')}</dt>
              <dd className="regno">{keyInfo.signer.serial}</dd>
              <dt>{t('settings.revocation')}</dt>
              <dd>{t(`settings.revocation.${keyInfo.revocation}`)}</dd>
            </dl>
          </div>
        ) : null}
      </section>
      {isAdmin ? <AccountsPanel /> : null}
      {isAdmin || operator.role === 'supervisor' ? <ReadsPanel /> : null}
      <ScannerSettings isAdmin={isAdmin} />
      <section className="card">
        <h2>{t('settings.about')}</h2>
        <dl>
          <dt>{t('settings.version')}</dt>
          <dd>{settings.version}</dd>
          <dt>{t('settings.workstation')}</dt>
          <dd>{settings.workstationId}</dd>
          <dt>{t('settings.sources')}</dt>
          <dd>{settings.configSources.join(' → ')}</dd>
        </dl>
      </section>
    </main>
  );
}
