import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../src-main/contract/model';
import { pageImage, pageFlags } from './page-images';
import { usePageImage } from './usePageImage';
import { useViewerKeys, type ViewerPages } from './useViewerKeys';

/**
 * One page at reading size (the page's width fits the window at zoom 1), in a modal dialog: zoom,
 * pan, rotate, move and delete by keyboard, step through pages and documents. Only the page shown
 * and its next neighbour are fetched, at full size (the thumbnails are the host's small copies). Esc closes; focus returns to where it was.
 */
export function PageViewer(props: ViewerPages & { onClose: () => void }) {
  const { t, i18n } = useTranslation('viewer');
  const lang = i18n.language as Language;
  const dialog = useRef<HTMLDialogElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState(1);
  const slot = props.slots[props.at.slot];
  const page = slot?.pages[props.at.page];
  const image = usePageImage(page?.id ?? '', 'full');
  const next = slot?.pages[props.at.page + 1];
  useEffect(() => {
    if (next) void pageImage(next.id, 'full');
  }, [next]);
  useEffect(() => {
    const back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.current?.showModal();
    scroller.current?.focus();
    return () => back?.focus();
  }, []);
  const onKeyDown = useViewerKeys({ ...props, setZoom, scroller });
  if (!slot || !page) return null;
  const flags = page ? pageFlags(page, image) : [];
  const quarter = page.rotation === 90 || page.rotation === 270;
  return (
    <dialog ref={dialog} className="viewer" aria-labelledby="viewer-title" data-testid="page-viewer" onClose={props.onClose} onKeyDown={onKeyDown}>
      <header className="viewer-bar">
        <h2 id="viewer-title" data-testid="viewer-title">
          {slot.name[lang]} · {t('pageOf', { n: props.at.page + 1, of: slot.pages.length })}
        </h2>
        {flags.length ? (
          <span className="tag warn" role="status" data-testid="viewer-flags">
            ⚠ {flags.map((f) => t(`flag.${f}`)).join(', ')}
          </span>
        ) : null}
        <span className="spacer" />
        <span className="muted" aria-live="polite">
          {t('zoom', { percent: Math.round(zoom * 100) })}
        </span>
        <button type="button" onClick={() => setZoom((z) => Math.min(4, z * 1.25))} aria-label={t('zoomIn')}>+</button>
        <button type="button" onClick={() => setZoom((z) => Math.max(0.25, z / 1.25))} aria-label={t('zoomOut')}>−</button>
        <button type="button" onClick={() => props.onRotate(props.at)} disabled={props.busy} aria-label={t('rotate')}>↻</button>
        <button type="button" onClick={() => props.onDelete(props.at)} disabled={props.busy} aria-label={t('delete')} data-testid="viewer-delete">✕</button>
        <button type="button" className="primary" onClick={props.onClose} data-testid="viewer-close">
          {t('close')}
        </button>
      </header>
      <div ref={scroller} className="viewer-scroll" tabIndex={0} role="region" aria-label={t('pageRegion')} data-testid="viewer-scroll">
        {image ? (
          <img
            src={image.src}
            alt={t('pageAlt', { doc: slot.name[lang], n: props.at.page + 1 })}
            data-testid="viewer-image"
            data-page-id={page.id}
            data-zoom={zoom}
            className={`rot-${page.rotation}`}
            style={{ width: `${zoom * (quarter ? 70 : 100)}%` }}
          />
        ) : (
          <p className="muted">{t('loading')}</p>
        )}
      </div>
      <p className="muted small viewer-keys">{t('keysLine')}</p>
    </dialog>
  );
}
