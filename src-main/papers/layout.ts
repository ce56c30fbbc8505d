/**
 * A small layout helper for A4 counter papers: wrapped text, bordered tables that break across
 * pages (repeating their header), a footer on every page. Text is set in Noto Sans, embedded as
 * a subset with a ToUnicode map, so every word can be searched and copied from the PDF.
 */
import fontkit from '@pdf-lib/fontkit';
import { type PDFDocument, type PDFFont, type PDFPage, grayscale } from 'pdf-lib';
import { AppError } from '../contract/errors.js';
import type { Assets } from './assets.js';

export const A4: [number, number] = [595.28, 841.89];
const MARGIN_X = 50;
const MARGIN_TOP = 36;
const MARGIN_BOTTOM = 52;
const FOOTER_Y = 30;

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

export interface TextStyle {
  size: number;
  bold?: boolean;
  /** 0 black … 1 white. */
  gray?: number;
}

export interface Column {
  width: number;
  align?: 'left' | 'center' | 'right';
}

export interface Cell {
  text: string;
  style?: Partial<TextStyle>;
  fill?: number;
}

const BORDER = 0.55;
const CELL_PAD_X = 5;
const CELL_PAD_Y = 3.2;

export async function embedFonts(doc: PDFDocument, assets: Assets): Promise<Fonts> {
  // One parsed fontkit font per document: fontkit caches each glyph with the code points of its
  // first use, so a font object shared between documents gives later documents wrong ToUnicode
  // entries (tried, and caught by the pdftotext tests).
  doc.registerFontkit(fontkit);
  const [regular, bold] = await Promise.all([
    // A subset's name carries a six-letter tag (PDF 32000-1, 9.6.4); pdf-lib would otherwise
    // append a random number, which also makes the output differ from run to run.
    doc.embedFont(assets.fontRegular, { subset: true, customName: 'QABKZR+NotoSans-Regular' }),
    doc.embedFont(assets.fontBold, { subset: true, customName: 'QABKZB+NotoSans-Bold' }),
  ]);
  return { regular, bold };
}

export class Paper {
  readonly left = MARGIN_X;
  readonly right = A4[0] - MARGIN_X;
  readonly width = A4[0] - 2 * MARGIN_X;
  readonly pages: PDFPage[] = [];
  page!: PDFPage;
  /** The baseline cursor: the top of the next thing to draw. */
  y = 0;
  /** A line at the top of every page after the first (which paper, which request). */
  continuation = '';
  private readonly widths = new Map<PDFFont, Map<string, number>>();

  constructor(
    private readonly doc: PDFDocument,
    readonly fonts: Fonts,
    private readonly assets: Assets,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.pages.push(this.page);
    this.y = A4[1] - MARGIN_TOP;
    if (this.pages.length > 1 && this.continuation) {
      const style: TextStyle = { size: 8, gray: 0.3 };
      this.drawLine(this.clean(this.continuation), this.left, this.y, style);
      this.y -= 16;
    }
  }

  /** Starts a new page unless `height` points still fit. */
  ensure(height: number): void {
    if (this.y - height < MARGIN_BOTTOM) this.newPage();
  }

  font(style: Partial<TextStyle>): PDFFont {
    return style.bold ? this.fonts.bold : this.fonts.regular;
  }

  /** Checks that the fonts can show every character, and normalises whitespace. */
  clean(s: string): string {
    const t = s.normalize('NFC').replace(/\s+/g, ' ').trim();
    for (const ch of t) {
      const cp = ch.codePointAt(0)!;
      if (!this.assets.hasGlyph(cp)) {
        throw new AppError('DOCS_UNSUPPORTED_CHARACTER', { codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` });
      }
    }
    return t;
  }

  textWidth(s: string, style: TextStyle): number {
    const font = this.font(style);
    let perFont = this.widths.get(font);
    if (!perFont) {
      perFont = new Map();
      this.widths.set(font, perFont);
    }
    let w = perFont.get(s);
    if (w === undefined) {
      // fontkit lays the text out on every call; papers measure the same words many times
      w = font.widthOfTextAtSize(s, 1);
      perFont.set(s, w);
    }
    return w * style.size;
  }

  /** Splits text into lines no wider than `width`; words longer than a line are cut. */
  wrap(s: string, style: TextStyle, width: number): string[] {
    const words = this.clean(s).split(' ');
    const space = this.textWidth(' ', style);
    const lines: string[] = [];
    let line = '';
    let lineWidth = 0;
    for (const word of words) {
      const w = this.textWidth(word, style);
      if (line && lineWidth + space + w <= width) {
        line += ` ${word}`;
        lineWidth += space + w;
        continue;
      }
      if (line) lines.push(line);
      let rest = word;
      while (this.textWidth(rest, style) > width) {
        let cut = rest.length - 1;
        while (cut > 1 && this.textWidth(rest.slice(0, cut), style) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
      lineWidth = this.textWidth(rest, style);
    }
    if (line) lines.push(line);
    return lines.length ? lines : [''];
  }

  lineHeight(style: TextStyle): number {
    return style.size * 1.3;
  }

  /** Draws one line with its top at `top`. */
  drawLine(s: string, x: number, top: number, style: TextStyle, page: PDFPage = this.page): void {
    if (!s) return;
    page.drawText(s, {
      x,
      y: top - style.size,
      size: style.size,
      font: this.font(style),
      color: grayscale(style.gray ?? 0),
    });
  }

  /** A wrapped paragraph at the cursor. */
  paragraph(s: string, style: TextStyle, opts: { align?: Column['align']; indent?: number; width?: number; after?: number } = {}): void {
    const indent = opts.indent ?? 0;
    const width = opts.width ?? this.width - indent;
    const lh = this.lineHeight(style);
    for (const line of this.wrap(s, style, width)) {
      this.ensure(lh);
      this.drawLine(line, this.alignX(line, style, this.left + indent, width, opts.align), this.y, style);
      this.y -= lh;
    }
    this.y -= opts.after ?? 0;
  }

  alignX(s: string, style: TextStyle, x: number, width: number, align: Column['align'] = 'left'): number {
    if (align === 'left') return x;
    const w = this.textWidth(s, style);
    return align === 'center' ? x + (width - w) / 2 : x + width - w;
  }

  hrule(weight = 0.8, gray = 0.25, gapBefore = 4, gapAfter = 8): void {
    this.y -= gapBefore;
    this.page.drawLine({ start: { x: this.left, y: this.y }, end: { x: this.right, y: this.y }, thickness: weight, color: grayscale(gray) });
    this.y -= gapAfter;
  }

  gap(points: number): void {
    this.y -= points;
  }

  /**
   * A bordered table. `header` rows repeat on every page the table spans. A row is never split.
   */
  table(columns: Column[], rows: Cell[][], opts: { header?: Cell[]; base: TextStyle }): void {
    const layoutRow = (cells: Cell[]) => {
      const wrapped = cells.map((cell, i) => {
        const style = { ...opts.base, ...cell.style };
        const lines = this.wrap(cell.text, style, columns[i]!.width - 2 * CELL_PAD_X);
        return { cell, style, lines };
      });
      const height = Math.max(...wrapped.map((w) => w.lines.length * this.lineHeight(w.style))) + 2 * CELL_PAD_Y;
      return { wrapped, height };
    };
    const drawRow = (row: ReturnType<typeof layoutRow>) => {
      let x = this.left;
      const top = this.y;
      row.wrapped.forEach((w, i) => {
        const col = columns[i]!;
        this.page.drawRectangle({
          x,
          y: top - row.height,
          width: col.width,
          height: row.height,
          borderWidth: BORDER,
          borderColor: grayscale(0.45),
          ...(w.cell.fill !== undefined ? { color: grayscale(w.cell.fill) } : {}),
        });
        let lineTop = top - CELL_PAD_Y;
        for (const line of w.lines) {
          this.drawLine(line, this.alignX(line, w.style, x + CELL_PAD_X, col.width - 2 * CELL_PAD_X, col.align), lineTop - 1, w.style);
          lineTop -= this.lineHeight(w.style);
        }
        x += col.width;
      });
      this.y -= row.height;
    };
    const header = opts.header ? layoutRow(opts.header) : null;
    let headerOnThisPage = false;
    if (header) {
      this.ensure(header.height + 24);
      drawRow(header);
      headerOnThisPage = true;
    }
    for (const cells of rows) {
      const row = layoutRow(cells);
      if (this.y - row.height < MARGIN_BOTTOM) {
        this.newPage();
        headerOnThisPage = false;
      }
      if (header && !headerOnThisPage) {
        drawRow(header);
        headerOnThisPage = true;
      }
      drawRow(row);
    }
  }

  /** Page numbers and the print time at the bottom of every page. */
  footer(left: string, pageLabel: (n: number, of: number) => string): void {
    const style: TextStyle = { size: 7.5, gray: 0.35 };
    const n = this.pages.length;
    this.pages.forEach((page, i) => {
      page.drawLine({
        start: { x: this.left, y: FOOTER_Y + 12 },
        end: { x: this.right, y: FOOTER_Y + 12 },
        thickness: 0.4,
        color: grayscale(0.6),
      });
      this.drawLine(this.clean(left), this.left, FOOTER_Y + 8, style, page);
      const label = this.clean(pageLabel(i + 1, n));
      this.drawLine(label, this.right - this.textWidth(label, style), FOOTER_Y + 8, style, page);
    });
  }
}
