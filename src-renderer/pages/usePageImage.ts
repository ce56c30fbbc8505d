import { useEffect, useState, type RefObject } from 'react';
import { pageImage, type PageImage } from './page-images';

/** The page's image once `ref` is near the viewport (or at once without a ref). */
export function usePageImage(pageId: string, ref?: RefObject<Element | null>): PageImage | null {
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
    void pageImage(pageId).then((image) => alive && setLoaded({ id: pageId, image }));
    return () => {
      alive = false;
    };
  }, [pageId, visible]);
  return loaded?.id === pageId ? loaded.image : null;
}
