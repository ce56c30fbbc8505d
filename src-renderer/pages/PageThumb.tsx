import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Page } from '../../src-main/contract/model';
import { pageFlags } from './page-images';
import { usePageImage } from './usePageImage';

export interface ThumbActions {
  onRotate: () => void;
  onDelete: () => void;
  onLeft: (() => void) | null;
  onRight: (() => void) | null;
  disabled: boolean;
}

/**
 * A stored page, shown small, turned as the operator set it, loaded only when it scrolls into
 * view. The picture is a button: Enter (or a click) opens the page at reading size. A page the
 * measurement flags (nearly blank, too dark, skewed) carries a mark, also in its spoken name.
 */
export function PageThumb(props: { page: Page; count: number; docName: string; onOpen?: () => void; actions?: ThumbActions }) {
  const { t } = useTranslation();
  const { page, actions } = props;
  const frame = useRef<HTMLButtonElement>(null);
  const image = usePageImage(page.id, 'thumb', frame);
  const flags = pageFlags(page, image);
  const flagWords = flags.map((f) => t(`viewer:flag.${f}`)).join(', ');
  const name = t('a11y:page', { n: page.position, of: props.count, doc: props.docName }) + (flags.length ? `; ${t('a11y:pageFlagged', { flags: flagWords })}` : '');
  return (
    <figure className={`thumb${flags.length ? ' flagged' : ''}`} data-testid="page-thumb" data-rotation={page.rotation} data-flags={flags.join(' ')}>
      <button ref={frame} type="button" className="thumb-frame" aria-label={name} onClick={props.onOpen} data-testid="page-open">
        {image ? <img src={image.src} alt="" className={`rot-${page.rotation}`} /> : <span className="placeholder" />}
      </button>
      <figcaption>
        #{page.position}
        {flags.length ? (
          <span className="flag" title={flagWords}>
            {' '}⚠ {flagWords}
          </span>
        ) : null}
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
