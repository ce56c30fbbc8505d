/**
 * Serialises a pdf-lib document as a stream of chunks, object by object.
 *
 * pdf-lib's own `save()` sizes the whole file and copies it into one buffer. For a 500-page scan
 * that doubles the memory, and every page image would have to sit in memory while the document
 * is built. Here an image stream can be "deferred": its dictionary (with /Length) is in the
 * document, and its bytes are read from disk only when the writer reaches it. Memory then stays
 * at about one page image whatever the page count.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  PDFCrossRefSection,
  type PDFDict,
  PDFHeader,
  PDFName,
  PDFNumber,
  type PDFDocument,
  type PDFRef,
  PDFTrailer,
  PDFTrailerDict,
} from 'pdf-lib';
import { AppError } from '../contract/errors.js';

export interface DeferredStream {
  /** The stream dictionary, registered in the document; must carry the exact /Length. */
  dict: PDFDict;
  length: number;
  /** Reads the stream's bytes (already encoded for its /Filter). */
  load: () => Promise<Uint8Array>;
}

/** A document being built plus the streams whose bytes come later. */
export class DeferredStreams {
  private readonly byObject = new Map<number, DeferredStream>();

  register(doc: PDFDocument, dict: PDFDict, length: number, load: () => Promise<Uint8Array>): PDFRef {
    dict.set(PDFName.of('Length'), PDFNumber.of(length));
    const ref = doc.context.register(dict);
    this.byObject.set(ref.objectNumber, { dict, length, load });
    return ref;
  }

  get(ref: PDFRef): DeferredStream | undefined {
    return this.byObject.get(ref.objectNumber);
  }
}

const CHUNK = 256 * 1024;
const enc = new TextEncoder();

function bytesOf(obj: { sizeInBytes(): number; copyBytesInto(b: Uint8Array, o: number): number }): Uint8Array {
  const buf = new Uint8Array(obj.sizeInBytes());
  obj.copyBytesInto(buf, 0);
  return buf;
}

/**
 * Yields the PDF file's bytes. Call `doc.flush()` effects are included: fonts are embedded here.
 */
export async function* serializePdf(doc: PDFDocument, deferred?: DeferredStreams): AsyncGenerator<Uint8Array> {
  await doc.flush();
  const context = doc.context;
  let offset = 0;
  let pending: Uint8Array[] = [];
  let pendingSize = 0;
  const out = (b: Uint8Array): Uint8Array[] => {
    pending.push(b);
    pendingSize += b.length;
    offset += b.length;
    if (pendingSize < CHUNK) return [];
    const joined = concat(pending, pendingSize);
    pending = [];
    pendingSize = 0;
    return [joined];
  };

  yield* out(bytesOf(PDFHeader.forVersion(1, 7)));
  yield* out(enc.encode('\n\n'));

  const xref = PDFCrossRefSection.create();
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    xref.addEntry(ref, offset);
    yield* out(enc.encode(`${ref.objectNumber} ${ref.generationNumber} obj\n`));
    const lazy = deferred?.get(ref);
    if (lazy) {
      yield* out(bytesOf(lazy.dict));
      yield* out(enc.encode('\nstream\n'));
      const data = await lazy.load();
      if (data.length !== lazy.length) throw new AppError('DOCS_PAGE_CHANGED');
      yield* out(data);
      yield* out(enc.encode('\nendstream'));
    } else {
      yield* out(bytesOf(object));
    }
    yield* out(enc.encode('\nendobj\n\n'));
  }

  const xrefOffset = offset;
  yield* out(bytesOf(xref));
  yield* out(enc.encode('\n'));
  const trailerDict = PDFTrailerDict.of(
    context.obj({
      Size: context.largestObjectNumber + 1,
      Root: context.trailerInfo.Root,
      Info: context.trailerInfo.Info,
      ID: context.trailerInfo.ID,
    }),
  );
  yield* out(bytesOf(trailerDict));
  yield* out(enc.encode('\n\n'));
  yield* out(bytesOf(PDFTrailer.forLastCrossRefSectionOffset(xrefOffset)));
  if (pendingSize > 0) yield concat(pending, pendingSize);
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const b = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    b.set(p, o);
    o += p.length;
  }
  return b;
}

export async function pdfToBytes(doc: PDFDocument, deferred?: DeferredStreams): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const c of serializePdf(doc, deferred)) {
    parts.push(c);
    size += c.length;
  }
  return concat(parts, size);
}

/** A Node Readable of the PDF (for ContentStore.putStream or an HTTP response). */
export function pdfToReadable(doc: PDFDocument, deferred?: DeferredStreams): Readable {
  return Readable.from(serializePdf(doc, deferred), { objectMode: false });
}

/** Writes the PDF to a file; resolves with the byte count once the file is closed. */
export async function pdfToFile(doc: PDFDocument, path: string, deferred?: DeferredStreams): Promise<number> {
  const ws = createWriteStream(path);
  let size = 0;
  try {
    for await (const c of serializePdf(doc, deferred)) {
      size += c.length;
      if (!ws.write(c)) await once(ws, 'drain');
    }
  } catch (e) {
    ws.destroy();
    throw e;
  }
  ws.end();
  await finished(ws);
  return size;
}

