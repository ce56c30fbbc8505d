import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentSlot, Language, RequestDetail } from '../../src-main/contract/model';
import type { OpOutput } from '../../src-main/contract/operations';
import { missingSlots } from '../../src-main/contract/rules';
import { call, onEvent } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { PageThumb } from '../components/PageThumb';
import { RepresentativeCard } from '../components/RepresentativeCard';
import { CounterRefusalCard, ExpiredMark } from '../components/CounterRefusalCard';
import { ScanControl } from '../components/ScanControl';
import { Steps } from '../components/Steps';

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(typeof r.result === 'string' ? r.result.replace(/^data:[^,]*,/, '') : '');
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}

/** P5: mark which paper documents were presented (original or copy), scan or import their pages. */
export function DocumentsScreen(props: {
  request: RequestDetail;
  documentsNote: string | null;
  onChange: (r: RequestDetail) => void;
  onNext: () => void;
  onCancelled: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const r = props.request;
  const [busySlot, setBusySlot] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [profiles, setProfiles] = useState<OpOutput<'scan.profiles'>['profiles']>([]);
  const [profileId, setProfileId] = useState<string | null>(null);
  const [scanningSlots, setScanningSlots] = useState<Set<string>>(new Set());
  // Asked when the screen opens (the scanner worker may still be starting): null until it answers.
  const [scannerAvailable, setScannerAvailable] = useState<boolean | null>(null);
  const setScanning = useCallback((slotId: string, busy: boolean) => {
    setScanningSlots((prev) => {
      if (prev.has(slotId) === busy) return prev;
      const next = new Set(prev);
      if (busy) next.add(slotId);
      else next.delete(slotId);
      return next;
    });
  }, []);
  const { onChange } = props;
  useEffect(() => {
    let live = true;
    call('scan.status', {})
      .then((s) => live && setScannerAvailable(s.sane === 'available'))
      .catch(() => live && setScannerAvailable(false));
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => {
    if (!scannerAvailable) return;
    call('scan.profiles', {})
      .then((p) => {
        setProfiles(p.profiles);
        setProfileId((cur) => cur ?? p.profiles[0]?.id ?? null);
      })
      .catch(() => {});
  }, [scannerAvailable]);
  // Pages stream in from the scanner: show each as soon as it is stored.
  useEffect(
    () =>
      onEvent('request.changed', (e) => {
        if (e.id === r.id) void call('request.get', { id: r.id }).then(onChange).catch(() => {});
      }),
    [r.id, onChange],
  );
  // What the operator just clicked, shown until the main process answers (then its state wins).
  const [pending, setPending] = useState<Record<string, { presented: boolean; original: boolean }>>({});

  const run = async (slotId: string, f: () => Promise<RequestDetail>) => {
    setBusySlot(slotId);
    setError(null);
    try {
      props.onChange(await f());
    } catch (e) {
      setError(e);
    } finally {
      setBusySlot(null);
    }
  };

  const mark = async (s: DocumentSlot, presented: boolean, original: boolean) => {
    setPending((p) => ({ ...p, [s.slotId]: { presented, original } }));
    await run(s.slotId, () => call('request.setDocument', { requestId: r.id, slotId: s.slotId, presented, original }));
    setPending((p) => {
      const { [s.slotId]: _done, ...rest } = p;
      return rest;
    });
  };

  const importFile = (s: DocumentSlot) => async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    await run(s.slotId, async () =>
      call('pages.import', { requestId: r.id, slotId: s.slotId, fileName: file.name, dataBase64: await readAsBase64(file) }),
    );
  };

  const missing = missingSlots(r.slots).length;

  return (
    <main data-testid="screen-documents">
      <Steps current="documents" />
      <h1>{t('documents.heading')}</h1>
      <p className="meta">
        <span data-testid="local-number">{r.localNumber}</span> · {r.applicant.name}
        {!r.applicant.verified ? <span className="tag warn"> {t('applicant.unverified')}</span> : null}
      </p>
      {!r.applicant.verified ? <p className="hint warn" data-testid="unverified-before-scan">{t('refusal:unverifiedBeforeScan')}</p> : null}
      <RepresentativeCard request={r} onChange={props.onChange} />
      {scannerAvailable === false ? <p className="hint">{t('documents.noScanner')}</p> : null}
      {scannerAvailable && profiles.length > 0 ? (
        <label className="inline profile">
          {t('documents.profile')}
          <select value={profileId ?? ''} onChange={(e) => setProfileId(e.target.value)} data-testid="scan-profile">
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {t(`scan:${p.nameKey}`)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <ErrorBox error={error} />
      <ul className="slots">
        {r.slots.map((slot) => ({ ...slot, ...pending[slot.slotId] })).map((s) => (
          <li key={s.slotId} className={`slot card ${s.presented ? 'presented' : ''}`} data-testid={`slot-${s.slotId}`}>
            <div className="slot-head">
              <label className="check">
                <input
                  type="checkbox"
                  data-testid={`presented-${s.slotId}`}
                  checked={s.presented}
                  disabled={busySlot !== null}
                  onChange={(e) => void mark(s, e.target.checked, s.original)}
                />
                <span className="slot-name">{s.name[lang]}</span>
              </label>
              <span className={`tag ${s.required ? 'req' : ''}`}>{s.required ? t('documents.required') : t('documents.optional')}</span>
            </div>
            {s.presented ? (
              <div className="slot-body">
                <div className="row">
                  <label className="radio">
                    <input type="radio" name={`orig-${s.slotId}`} checked={s.original} onChange={() => void mark(s, true, true)} data-testid={`original-${s.slotId}`} />
                    {t('documents.original')}
                  </label>
                  <label className="radio">
                    <input type="radio" name={`orig-${s.slotId}`} checked={!s.original} onChange={() => void mark(s, true, false)} />
                    {t('documents.copy')}
                  </label>
                  <ExpiredMark request={r} slot={s} disabled={busySlot !== null} onChange={props.onChange} />
                  <span className="spacer" />
                  {scannerAvailable ? (
                    <ScanControl requestId={r.id} slotId={s.slotId} profileId={profileId} disabled={busySlot !== null || scanningSlots.size > 0} onBusy={(b) => setScanning(s.slotId, b)} />
                  ) : null}
                  <label className="button">
                    {t('documents.import')}
                    <input
                      type="file"
                      accept="image/jpeg,image/png,image/tiff,application/pdf"
                      hidden
                      data-testid={`import-${s.slotId}`}
                      disabled={busySlot !== null}
                      onChange={(e) => void importFile(s)(e)}
                    />
                  </label>
                </div>
                <div className="pages">
                  {s.pages.map((p, i) => {
                    const order = s.pages.map((x) => x.id);
                    const moved = (to: number) => {
                      const next = [...order];
                      next.splice(i, 1);
                      next.splice(to, 0, p.id);
                      return next;
                    };
                    return (
                      <PageThumb
                        key={p.id}
                        page={p}
                        actions={{
                          disabled: busySlot !== null,
                          onRotate: () => void run(s.slotId, () => call('pages.rotate', { requestId: r.id, pageId: p.id, rotation: ((p.rotation + 90) % 360) as 0 | 90 | 180 | 270 })),
                          onDelete: () => void run(s.slotId, () => call('pages.delete', { requestId: r.id, pageId: p.id })),
                          onLeft: i > 0 ? () => void run(s.slotId, () => call('pages.reorder', { requestId: r.id, slotId: s.slotId, pageIds: moved(i - 1) })) : null,
                          onRight:
                            i < s.pages.length - 1 ? () => void run(s.slotId, () => call('pages.reorder', { requestId: r.id, slotId: s.slotId, pageIds: moved(i + 1) })) : null,
                        }}
                      />
                    );
                  })}
                  <span className="muted">{t('documents.pages', { count: s.pages.length })}</span>
                </div>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {props.documentsNote ? (
        <p className="hint">
          {t('documents.note')}: {props.documentsNote}
        </p>
      ) : null}
      <CounterRefusalCard request={r} onChange={props.onChange} onDone={props.onCancelled} />
      <div className="footer-bar">
        <span data-testid="completeness" className={missing ? 'muted' : 'ok'}>
          {missing ? t('documents.missing', { count: missing }) : t('documents.complete')}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="quiet"
          data-testid="cancel-request"
          onClick={() => {
            if (window.confirm(t('request.cancelConfirm'))) void call('request.cancel', { requestId: r.id }).then(props.onCancelled, setError);
          }}
        >
          {t('request.cancel')}
        </button>
        <button type="button" className="primary" disabled={r.status !== 'documents_complete'} onClick={props.onNext} data-testid="to-sign">
          {t('documents.toSign')}
        </button>
      </div>
    </main>
  );
}
