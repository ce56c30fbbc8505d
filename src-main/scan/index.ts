/** Public API of the scan service (see README.md beside this file). */
export { ScanService, DEFAULT_BLANK, type ScanServiceOptions, type RecordPage } from './scan-service.js';
export { nodeWorkerSpawner, DEFAULT_WATCHDOG, type WorkerSpawner, type WorkerHandle, type WatchdogOptions } from './worker-host.js';
export { prepareSaneConfigDir, isVirtualDevice, type SaneConfigMode } from './sane-config.js';
export { DEFAULT_PROFILES } from './profiles.js';
export { SCAN_ERROR_CODES, type ScanErrorCode } from './faults.js';
export { FileImporter, DEFAULT_IMPORT_LIMITS, type FileImporterOptions, type ImportLimits } from './import/file-import.js';
export { findPdfTools, type PdfTools } from './import/pdf.js';
export type * from './types.js';
