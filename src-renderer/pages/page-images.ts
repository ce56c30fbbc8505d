/**
 * Page images for the screen, fetched on demand (a thumbnail when it scrolls into view, the viewer's
 * page and its next neighbour) and kept in a small cache, so a 100-page document costs only the pages
 * looked at. Thumbnails are small JPEGs the host makes (`THUMB_PX`); only the viewer asks for the
 * page itself. Each image is also measured once for what the operator should look at twice:
 *
 * The scan pipeline itself flags only blank pages, and it drops them before they are stored (the
 * job's skippedBlank count). Pages that reach the request are therefore measured here, on the
 * decoded image: "nearly blank" (almost no ink inside the margins: a blank side the skip missed,
 * or an imported blank) and "too dark" (a mean grey below a third: a lid left open, the wrong
 * exposure). Skew is measured by the scan pipeline (src-main/scan/skew.ts) and stored with the
 * page: `pageFlags` adds "skewed" from it.
 */
import type { Page } from '../../src-main/contract/model';
import { call } from '../api/client';

export type PageFlag = 'blank' | 'dark' | 'skewed';

/** At or beyond this many degrees (the scan's measure) a page is marked skewed. */
const SKEW_MARK_DEG = 1.5;

/** What the operator should look at twice on a page: the image's measures and the scan's skew. */
export function pageFlags(page: Pick<Page, 'skewDeg'>, image: PageImage | null): PageFlag[] {
  const flags = [...(image?.flags ?? [])];
  if (page.skewDeg !== null && Math.abs(page.skewDeg) >= SKEW_MARK_DEG) flags.push('skewed');
  return flags;
}
export interface PageImage {
  src: string;
  flags: PageFlag[];
}

const MAX = 60;
/** A thumbnail's longest side, in pixels (shown at about 90 CSS pixels: sharp at 3x). */
export const THUMB_PX = 320;
export type ImageSize = 'thumb' | 'full';
const cache = new Map<string, Promise<PageImage | null>>();

const SAMPLE = 96;
function measure(img: HTMLImageElement): PageFlag[] {
  const canvas = document.createElement('canvas');
  canvas.width = SAMPLE;
  canvas.height = SAMPLE;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return [];
  ctx.drawImage(img, 0, 0, SAMPLE, SAMPLE);
  const { data } = ctx.getImageData(0, 0, SAMPLE, SAMPLE);
  const margin = Math.round(SAMPLE * 0.06);
  let sum = 0;
  let ink = 0;
  let n = 0;
  for (let y = margin; y < SAMPLE - margin; y++) {
    for (let x = margin; x < SAMPLE - margin; x++) {
      const i = (y * SAMPLE + x) * 4;
      const grey = (0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!) / 255;
      sum += grey;
      if (grey < 0.5) ink++;
      n++;
    }
  }
  const flags: PageFlag[] = [];
  if (sum / n < 0.33) flags.push('dark');
  else if (ink / n < 0.002) flags.push('blank');
  return flags;
}

async function load(pageId: string, size: ImageSize): Promise<PageImage | null> {
  const c = await call('pages.content', size === 'thumb' ? { pageId, maxPx: THUMB_PX } : { pageId });
  if (c.mediaType !== 'image/jpeg' && c.mediaType !== 'image/png') return null;
  const src = `data:${c.mediaType};base64,${c.dataBase64}`;
  const img = new Image();
  img.src = src;
  try {
    await img.decode();
    return { src, flags: measure(img) };
  } catch {
    return { src, flags: [] };
  }
}

/** The page's image in that size (one request per page and size however many components ask). */
export function pageImage(pageId: string, size: ImageSize): Promise<PageImage | null> {
  const key = `${size}:${pageId}`;
  let p = cache.get(key);
  if (p) {
    cache.delete(key);
    cache.set(key, p);
    return p;
  }
  p = load(pageId, size).catch(() => {
    cache.delete(key);
    return null;
  });
  cache.set(key, p);
  while (cache.size > MAX) cache.delete(cache.keys().next().value!);
  return p;
}
