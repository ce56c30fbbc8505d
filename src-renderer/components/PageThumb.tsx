import { useEffect, useState } from 'react';
import type { Page } from '../../src-main/contract/model';
import { call } from '../api/client';

/** A stored page, shown small. Only JPEG and PNG reach the UI (never TIFF or PDF). */
export function PageThumb({ page }: { page: Page }) {
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
    <figure className="thumb" data-testid="page-thumb">
      {src ? <img src={src} alt={`#${page.position}`} /> : <div className="placeholder" />}
      <figcaption>#{page.position}</figcaption>
    </figure>
  );
}
