import { useRef, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentSlot, Language, RequestDetail } from '../../../src-main/contract/model';
import { ExpiredMark } from '../../components/CounterRefusalCard';
import { ScanControl } from '../../components/ScanControl';
import { pageOps } from '../../pages/page-ops';
import { PageThumb } from '../../pages/PageThumb';

/** One document of the checklist: presented or not, original or copy, its scan and import, its pages. */
export function SlotCard(props: {
  request: RequestDetail;
  slot: DocumentSlot;
  busy: boolean;
  scanner: { available: boolean | null; profileId: string | null; scanning: boolean; setScanning: (slotId: string, b: boolean) => void };
  autoFocus: boolean;
  onFocus: () => void;
  onMark: (presented: boolean, original: boolean) => void;
  onImport: (e: ChangeEvent<HTMLInputElement>) => void;
  onRun: (f: () => Promise<RequestDetail>) => void;
  onChange: (r: RequestDetail) => void;
  onView: (page: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const { slot: s, scanner } = props;
  const ops = pageOps(props.request.id);
  const name = s.name[lang];
  const file = useRef<HTMLInputElement>(null);
  return (
    <li
      className={`slot card ${s.presented ? 'presented' : ''}`}
      data-testid={`slot-${s.slotId}`}
      data-required={s.required}
      onFocus={props.onFocus}
      aria-label={name}
    >
      <div className="slot-head">
        <label className="check">
          <input
            type="checkbox"
            data-testid={`presented-${s.slotId}`}
            checked={s.presented}
            // Never disabled while a change is saved: the focus would fall off it (a keyboard user loses their place).
            aria-disabled={props.busy}
            autoFocus={props.autoFocus}
            onChange={(e) => !props.busy && props.onMark(e.target.checked, s.original)}
          />
          <span className="slot-name">{name}</span>
        </label>
        <span className={`tag ${s.required ? 'req' : ''}`}>{s.required ? t('documents.required') : t('documents.optional')}</span>
      </div>
      {s.presented ? (
        <div className="slot-body">
          <div className="row">
            <fieldset className="row plain">
              <legend className="sr-only">{t('a11y:slotPresented', { name })}</legend>
              <label className="radio">
                <input type="radio" name={`orig-${s.slotId}`} checked={s.original} onChange={() => props.onMark(true, true)} data-testid={`original-${s.slotId}`} />
                {t('documents.original')}
              </label>
              <label className="radio">
                <input type="radio" name={`orig-${s.slotId}`} checked={!s.original} onChange={() => props.onMark(true, false)} />
                {t('documents.copy')}
              </label>
            </fieldset>
            <ExpiredMark request={props.request} slot={s} disabled={props.busy} onChange={props.onChange} />
            <span className="spacer" />
            {scanner.available ? (
              <ScanControl
                requestId={props.request.id}
                slotId={s.slotId}
                profileId={scanner.profileId}
                disabled={props.busy || scanner.scanning}
                onBusy={(b) => scanner.setScanning(s.slotId, b)}
              />
            ) : null}
            <button type="button" disabled={props.busy} onClick={() => file.current?.click()}>
              {t('documents.import')}
            </button>
            <input ref={file} type="file" accept="image/jpeg,image/png,image/tiff,application/pdf" hidden data-testid={`import-${s.slotId}`} disabled={props.busy} onChange={props.onImport} />
          </div>
          <div className="pages" role="list" aria-label={t('documents.pages', { count: s.pages.length })}>
            {s.pages.map((p, i) => {
              const left = ops.move(s, i, -1);
              const right = ops.move(s, i, 1);
              return (
                <div role="listitem" key={p.id}>
                  <PageThumb
                    page={p}
                    count={s.pages.length}
                    docName={name}
                    onOpen={() => props.onView(i)}
                    actions={{
                      disabled: props.busy,
                      onRotate: () => props.onRun(() => ops.rotate(p)),
                      onDelete: () => props.onRun(() => ops.remove(p)),
                      onLeft: left ? () => props.onRun(left) : null,
                      onRight: right ? () => props.onRun(right) : null,
                    }}
                  />
                </div>
              );
            })}
            <span className="muted">{t('documents.pages', { count: s.pages.length })}</span>
          </div>
        </div>
      ) : null}
    </li>
  );
}
