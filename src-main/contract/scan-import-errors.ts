/**
 * What importing a file can fail with, once the file is in hand: the contract's pages.import
 * declares them, and the scan module (src-main/scan/faults.ts) raises them. Declared here so the
 * contract depends on nothing but zod.
 */
export const SCAN_IMPORT_FILE_ERRORS = [
  'SCAN_IMPORT_EMPTY',
  'SCAN_IMPORT_TOO_LARGE',
  'SCAN_IMPORT_UNSUPPORTED',
  'SCAN_IMPORT_CORRUPT',
  'SCAN_IMPORT_TOO_MANY_PIXELS',
  'SCAN_IMPORT_TOO_MANY_PAGES',
  'SCAN_IMPORT_PAGE_TOO_LARGE',
  'SCAN_IMPORT_PDF_UNAVAILABLE',
  'SCAN_IMPORT_ENCRYPTED',
  'SCAN_IMPORT_TIMEOUT',
] as const;
