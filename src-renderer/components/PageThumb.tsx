import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Page } from '../../src-main/contract/model';
import { call } from '../api/client';

/**
 * A stored page, shown small, turned as the operator set it. Before signing the operator can turn
 * it, delete it, or move it within its document. Only JPEG and PNG reach the UI (never TIFF or PDF).
 */
export function PageThumb(props: {
  page: Page;
  actions?: { onRotate: () => void; onDelete: () => void; onLeft: (() => void) | null; onRight: (() => void) | null; disabled: boolean };
}) {
  const { t } = useTranslation();
  const { page, actions } = props;
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    call('pages.content', { pageId: page.id })
      .then((c) => {
        if (alive && (c.mediaType === 'image/jpeg' || c.mediaType === 'image/png')) setSrc(`data:${c.mediaType};base64,${c.dataBase64}`);
      })
      .catch(() => {});
    return () => {
      alive = false;
    };
  }, [page.id]);
  return (
    <figure className="thumb" data-testid="page-thumb" data-rotation={page.rotation}>
      <div className="thumb-frame">{src ? <img src={src} alt={`#${page.position}`} className={`rot-${page.rotation}`} /> : <div className="placeholder" />}</div>
      <figcaption>
        #{page.position}
        {actions ? (
          <span className="thumb-actions">
            <button type="button" title={t('pages.left')} aria-label={t('pages.left')} disabled={actions.disabled || !actions.onLeft} onClick={() => actions.onLeft?.()}>
              ‹
            </button>
            <button type="button" title={t('pages.rotate')} aria-label={t('pages.rotate')} disabled={actions.disabled} onClick={actions.onRotate} data-testid="page-rotate">
              ↻
            </button>
            <button type="button" title={t('pages.delete')} aria-label={t('pages.delete')} disabled={actions.disabled} onClick={actions.onDelete} data-testid="page-delete">
              ✕
            </button>
            <button type="button" title={t('pages.right')} aria-label={t('pages.right')} disabled={actions.disabled || !actions.onRight} onClick={() => actions.onRight?.()}>
              ›
            </button>
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
