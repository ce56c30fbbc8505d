/**
 * eSCL scanners asked for PDF send one PDF per document (a whole feeder batch, sometimes). A
 * scanner's PDF holds one JPEG (DCTDecode) image per page; we take those bytes out with pdf-lib
 * (already the app's PDF library) and feed each to the same pipeline as a JPEG page. No
 * rasteriser is needed, so this works on Windows too. Any other page content is refused.
 */
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { AppError } from '../../../contract/errors.js';

export async function jpegPagesOfPdf(bytes: Uint8Array): Promise<Buffer[]> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (e) {
    throw new AppError('SCAN_ESCL_BAD_PAGE', { reason: 'pdf' }, { detail: e instanceof Error ? e.message : String(e) });
  }
  const out: Buffer[] = [];
  for (const page of doc.getPages()) {
    const xobjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    let found: Buffer | null = null;
    for (const [, ref] of xobjects?.entries() ?? []) {
      const obj = doc.context.lookup(ref);
      if (!(obj instanceof PDFRawStream)) continue;
      if (obj.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
      const filter = obj.dict.get(PDFName.of('Filter'));
      if (filter !== PDFName.of('DCTDecode')) continue;
      found = Buffer.from(obj.contents);
      break;
    }
    if (!found) throw new AppError('SCAN_UNSUPPORTED_FORMAT', {}, { detail: 'a PDF page without a JPEG image' });
    out.push(found);
  }
  if (out.length === 0) throw new AppError('SCAN_ESCL_BAD_PAGE', { reason: 'pdf' });
  return out;
}
