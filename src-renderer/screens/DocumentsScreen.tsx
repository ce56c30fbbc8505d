import { useEffect, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentSlot, RequestDetail } from '../../src-main/contract/model';
import { missingSlots } from '../../src-main/contract/rules';
import { call, onEvent } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { CounterRefusalCard } from '../components/CounterRefusalCard';
import { RepresentativeCard } from '../components/RepresentativeCard';
import { Steps } from '../components/Steps';
import type { Spot } from '../pages/useViewerKeys';
import { SlotCard } from './documents/SlotCard';
import { useDocumentKeys } from './documents/useDocumentKeys';
import { useScanner } from './documents/useScanner';
import { ViewerHost } from './documents/ViewerHost';
import { UnverifiedMark } from '../components/UnverifiedMark';

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(typeof r.result === 'string' ? r.result.replace(/^data:[^,]*,/, '') : '');
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}

/** P5: mark which paper documents were presented (original or copy), scan or import their pages, look at them. */
export function DocumentsScreen(props: { request: RequestDetail; documentsNote: string | null; onChange: (r: RequestDetail) => void; onNext: () => void; onCancelled: () => void }) {
  const { t } = useTranslation();
  const r = props.request;
  const [busySlot, setBusySlot] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [viewing, setViewing] = useState<Spot | null>(null);
  const scanner = useScanner();
  const { onChange } = props;
  // Pages stream in from the scanner: show each as soon as it is stored.
  useEffect(() => onEvent('request.changed', (e) => e.id === r.id && void call('request.get', { id: r.id }).then(onChange).catch(() => {})), [r.id, onChange]);
  // What the operator just marked, shown until the main process answers (then its state wins).
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
  const keys = useDocumentKeys({ request: r, enabled: viewing === null, run, onNext: props.onNext, onView: setViewing });
  const mark = async (s: DocumentSlot, presented: boolean, original: boolean) => {
    setPending((p) => ({ ...p, [s.slotId]: { presented, original } }));
    await run(s.slotId, () => call('request.setDocument', { requestId: r.id, slotId: s.slotId, presented, original }));
    setPending(({ [s.slotId]: _done, ...rest }) => rest);
  };
  const importFile = (s: DocumentSlot) => async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) await run(s.slotId, async () => call('pages.import', { requestId: r.id, slotId: s.slotId, fileName: file.name, dataBase64: await readAsBase64(file) }));
  };
  const missing = missingSlots(r.slots).length;

  return (
    <main data-testid="screen-documents">
      <Steps current="documents" />
      <h1>{t('documents.heading')}</h1>
      <p className="meta">
        <span data-testid="local-number">{r.localNumber}</span> · {r.applicant.name}
        {' '}<UnverifiedMark verified={r.applicant.verified} />
      </p>
      {!r.applicant.verified ? <p className="hint warn" data-testid="unverified-before-scan">{t('refusal:unverifiedBeforeScan')}</p> : null}
      <RepresentativeCard request={r} onChange={props.onChange} />
      {scanner.available === false ? <p className="hint">{t('documents.noScanner')}</p> : null}
      {scanner.available && scanner.profiles.length > 0 ? (
        <label className="inline profile">
          {t('documents.profile')}
          <select value={scanner.profileId ?? ''} onChange={(e) => scanner.setProfileId(e.target.value)} data-testid="scan-profile">
            {scanner.profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {t(`scan:${p.nameKey}`)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <ErrorBox error={error} />
      <ul className="slots">
        {r.slots.map((slot, i) => ({ ...slot, ...pending[slot.slotId], i })).map((s) => (
          <SlotCard
            key={s.slotId}
            request={r}
            slot={s}
            busy={busySlot !== null}
            scanner={scanner}
            autoFocus={s.i === 0}
            onFocus={() => keys.setCurrent(s.slotId)}
            onMark={(presented, original) => void mark(s, presented, original)}
            onImport={(e) => void importFile(s)(e)}
            onRun={(f) => void run(s.slotId, f)}
            onChange={props.onChange}
            onView={(page) => setViewing({ slot: s.i, page })}
          />
        ))}
      </ul>
      {viewing ? <ViewerHost request={r} start={viewing} busy={busySlot !== null} run={run} onClose={() => setViewing(null)} /> : null}
      {props.documentsNote ? (
        <p className="hint">
          {t('documents.note')}: {props.documentsNote}
        </p>
      ) : null}
      <CounterRefusalCard request={r} onChange={props.onChange} onDone={props.onCancelled} />
      <DocumentsFooter missing={missing} ready={r.status === 'documents_complete'} onNext={props.onNext} onCancel={() => void call('request.cancel', { requestId: r.id }).then(props.onCancelled, setError)} />
    </main>
  );
}

function DocumentsFooter(props: { missing: number; ready: boolean; onNext: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="footer-bar">
      <span data-testid="completeness" className={props.missing ? 'muted' : 'ok'} role="status">
        {props.missing ? t('documents.missing', { count: props.missing }) : t('documents.complete')}
      </span>
      <span className="spacer" />
      <button type="button" className="quiet" data-testid="cancel-request" onClick={() => window.confirm(t('request.cancelConfirm')) && props.onCancel()}>
        {t('request.cancel')}
      </button>
      <button type="button" className="primary" disabled={!props.ready} onClick={props.onNext} data-testid="to-sign" aria-keyshortcuts="Alt+P">
        {t('documents.toSign')}
      </button>
    </div>
  );
}
