/** Public API of the documents service. See README.md beside this file. */
export {
  type DocumentPdfInput,
  type ScanPage,
  type PageSource,
  type Rotation,
  type AssembleOptions,
  assembleDocumentPdf,
  writeDocumentPdf,
  streamDocumentPdf,
} from './assemble.js';
export { renderReceipt, renderIssuanceSheet, qrSquare, type PaperOptions } from './counter-papers.js';
export { renderRefusalNotice } from './refusal-paper.js';
export { qrMatrix } from './qr.js';
export { type PaperLanguage, PAPER_LANGUAGES, PAPER_TEXTS } from './texts.js';
export { type PdfMetadata } from './pdfa.js';
export { defaultAssetsDir } from './assets.js';
export * from './types.js';
export { PapersService, type PapersServiceDeps } from './service.js';
