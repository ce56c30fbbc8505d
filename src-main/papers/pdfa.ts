/**
 * The PDF/A-2b parts we write into every PDF: the document information dictionary and the same
 * facts in XMP (with pdfaid part=2 conformance=B and an extension schema for our own
 * properties), an sRGB output intent, and a document ID. What is and is not met is listed in
 * docs/documents.md.
 */
import { createHash } from 'node:crypto';
import { PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { almatyOffsetMinutes } from '../calendar/local-date.js';
import type { Assets } from './assets.js';

export interface PdfMetadata {
  title: string;
  /** Free text shown as the subject (dc:description). */
  subject?: string;
  /** The operator who produced the document (dc:creator / Author). */
  operator: string;
  requestNumber: string;
  /** A machine-readable type: a catalogue document code, or 'receipt', 'refusal_notice', … */
  documentType: string;
  createdAt: Date;
  /** Two-letter language of the content (dc:language), e.g. 'kk'. */
  language?: string;
}

export const PRODUCER = 'Qabyldau (pdf-lib)';
const NS = 'https://qabyldau.invalid/ns/pdf/1.0/';

/** Creates an empty document set up for PDF/A-2b. */
export async function createPdfA(meta: PdfMetadata, assets: Assets): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  applyPdfA(doc, meta, assets);
  return doc;
}

export function applyPdfA(doc: PDFDocument, meta: PdfMetadata, assets: Assets): void {
  const ctx = doc.context;
  const pdfDate = PDFString.of(pdfDateString(meta.createdAt));
  const info = ctx.obj({});
  info.set(PDFName.of('Title'), PDFHexString.fromText(meta.title));
  info.set(PDFName.of('Author'), PDFHexString.fromText(meta.operator));
  if (meta.subject) info.set(PDFName.of('Subject'), PDFHexString.fromText(meta.subject));
  info.set(PDFName.of('Creator'), PDFHexString.fromText('Qabyldau'));
  info.set(PDFName.of('Producer'), PDFHexString.fromText(PRODUCER));
  info.set(PDFName.of('CreationDate'), pdfDate);
  info.set(PDFName.of('ModDate'), pdfDate);
  info.set(PDFName.of('RequestNumber'), PDFHexString.fromText(meta.requestNumber));
  info.set(PDFName.of('DocumentType'), PDFHexString.fromText(meta.documentType));
  info.set(PDFName.of('Operator'), PDFHexString.fromText(meta.operator));
  ctx.trailerInfo.Info = ctx.register(info);

  // The document ID: a digest of what identifies this document, so a reprint of the same
  // document keeps its ID while different documents never share one.
  const id = createHash('sha256')
    .update(JSON.stringify([meta.requestNumber, meta.documentType, meta.title, meta.createdAt.toISOString()]))
    .digest('hex')
    .slice(0, 32);
  ctx.trailerInfo.ID = ctx.obj([PDFHexString.of(id), PDFHexString.of(id)]);

  const xmp = new TextEncoder().encode(buildXmp(meta, id));
  const metadataRef = ctx.register(ctx.stream(xmp, { Type: 'Metadata', Subtype: 'XML' }));
  doc.catalog.set(PDFName.of('Metadata'), metadataRef);

  const iccRef = ctx.register(ctx.flateStream(assets.srgbIcc, { N: 3 }));
  const intent = ctx.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    RegistryName: PDFString.of('http://www.color.org'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    DestOutputProfile: iccRef,
  });
  doc.catalog.set(PDFName.of('OutputIntents'), ctx.obj([ctx.register(intent)]));
  if (meta.language) doc.catalog.set(PDFName.of('Lang'), PDFString.of(meta.language));
}

/** D:YYYYMMDDHHmmSS+05'00' in Almaty time. */
export function pdfDateString(d: Date): string {
  const { local, offset } = almatyParts(d);
  return `D:${local.replace(/[-T:]/g, '')}${offset.replace(':', "'")}'`;
}

/** 2026-11-23T10:15:00+05:00 in Almaty time (the same instant as pdfDateString). */
export function xmpDateString(d: Date): string {
  const { local, offset } = almatyParts(d);
  return `${local}${offset}`;
}

function almatyParts(d: Date): { local: string; offset: string } {
  const minutes = almatyOffsetMinutes(d);
  const local = new Date(Math.floor(d.getTime() / 1000) * 1000 + minutes * 60_000).toISOString().slice(0, 19);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return { local, offset: `+${hh}:${mm}` };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function extensionProperty(name: string, description: string): string {
  return `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>${name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>${description}</pdfaProperty:description></rdf:li>`;
}

export function buildXmp(meta: PdfMetadata, id: string): string {
  const date = xmpDateString(meta.createdAt);
  const uuid = `uuid:${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
  return `<?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${esc(meta.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>${esc(meta.operator)}</rdf:li></rdf:Seq></dc:creator>${
    meta.subject ? `\n<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${esc(meta.subject)}</rdf:li></rdf:Alt></dc:description>` : ''
  }${meta.language ? `\n<dc:language><rdf:Bag><rdf:li>${esc(meta.language)}</rdf:li></rdf:Bag></dc:language>` : ''}
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreatorTool>Qabyldau</xmp:CreatorTool>
<xmp:CreateDate>${date}</xmp:CreateDate>
<xmp:ModifyDate>${date}</xmp:ModifyDate>
<xmp:MetadataDate>${date}</xmp:MetadataDate>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>${esc(PRODUCER)}</pdf:Producer>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
<xmpMM:DocumentID>${uuid}</xmpMM:DocumentID>
<xmpMM:InstanceID>${uuid}</xmpMM:InstanceID>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:qab="${NS}">
<qab:requestNumber>${esc(meta.requestNumber)}</qab:requestNumber>
<qab:documentType>${esc(meta.documentType)}</qab:documentType>
<qab:operator>${esc(meta.operator)}</qab:operator>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>Qabyldau document properties</pdfaSchema:schema>
<pdfaSchema:namespaceURI>${NS}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>qab</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>
${extensionProperty('requestNumber', 'Request number at the Public Service Centre')}
${extensionProperty('documentType', 'Type of the document')}
${extensionProperty('operator', 'Operator who produced the document')}
</rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}
