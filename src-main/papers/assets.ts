/**
 * The binary assets the papers need: the Noto Sans fonts and the sRGB ICC profile. Read once per
 * directory. The host passes the directory (in a packaged app it is under resources/); the
 * default is the repository's assets/ folder.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { AppError } from '../contract/errors.js';

export interface Assets {
  fontRegular: Uint8Array;
  fontBold: Uint8Array;
  srgbIcc: Uint8Array;
  /** Whether the (regular and bold) fonts have a glyph for a code point. */
  hasGlyph(codePoint: number): boolean;
}

export function defaultAssetsDir(): string {
  return fileURLToPath(new URL('../../assets/', import.meta.url));
}

const cache = new Map<string, Promise<Assets>>();

export function loadAssets(dir: string = defaultAssetsDir()): Promise<Assets> {
  let p = cache.get(dir);
  if (!p) {
    p = readAssets(dir);
    p.catch(() => cache.delete(dir));
    cache.set(dir, p);
  }
  return p;
}

async function readAssets(dir: string): Promise<Assets> {
  try {
    const [fontRegular, fontBold, srgbIcc] = await Promise.all([
      readFile(join(dir, 'fonts', 'NotoSans-Regular.ttf')),
      readFile(join(dir, 'fonts', 'NotoSans-Bold.ttf')),
      readFile(join(dir, 'icc', 'sRGB-v2-lcms.icc')),
    ]);
    const regular = fontkit.create(fontRegular);
    const bold = fontkit.create(fontBold);
    const known = new Map<number, boolean>();
    return {
      fontRegular,
      fontBold,
      srgbIcc,
      hasGlyph(cp) {
        let v = known.get(cp);
        if (v === undefined) {
          v = regular.hasGlyphForCodePoint(cp) && bold.hasGlyphForCodePoint(cp);
          known.set(cp, v);
        }
        return v;
      },
    };
  } catch (e) {
    throw new AppError('DOCS_ASSETS_MISSING', {}, { cause: e });
  }
}
