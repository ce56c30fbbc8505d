import { useEffect, useState, type RefObject } from 'react';
import { pageImage, type ImageSize, type PageImage } from './page-images';

/** The page's image in `size` once `ref` is near the viewport (or at once without a ref). */
export function usePageImage(pageId: string, size: ImageSize, ref?: RefObject<Element | null>): PageImage | null {
  const [loaded, setLoaded] = useState<{ id: string; image: PageImage | null } | null>(null);
  const [visible, setVisible] = useState(!ref);
  useEffect(() => {
    const el = ref?.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setVisible(true), { rootMargin: '300px' });
    io.observe(el);
    return () => io.disconnect();
  }, [ref]);
  useEffect(() => {
    if (!visible || !pageId) return;
    let alive = true;
    void pageImage(pageId, size).then((image) => alive && setLoaded({ id: pageId, image }));
    return () => {
      alive = false;
    };
  }, [pageId, size, visible]);
  return loaded?.id === pageId ? loaded.image : null;
}
