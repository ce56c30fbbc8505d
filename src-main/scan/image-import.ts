/**
 * The walking skeleton's page import: JPEG and PNG, recognised by their content (magic bytes),
 * never by the file name, with limits on bytes and pixels. The full importer (TIFF, PDF,
 * decompression-bomb defences while decoding) replaces this in the scanning work.
 */
import { AppError } from '../contract/errors.js';
import type { NewPage } from '../requests/request-service.js';
import { jpegSize } from './scanimage-scanner.js';

export const IMPORT_MAX_BYTES = 25 * 1024 * 1024;
export const IMPORT_MAX_PIXELS = 80_000_000;

export function sniffImport(bytes: Buffer): NewPage {
  if (bytes.length > IMPORT_MAX_BYTES) throw new AppError('IMPORT_TOO_LARGE', { megabytes: IMPORT_MAX_BYTES / 1024 / 1024 });
  let size: { width: number; height: number } | null = null;
  let mediaType: string;
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    mediaType = 'image/jpeg';
    size = jpegSize(bytes);
  } else if (bytes.length > 24 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    mediaType = 'image/png';
    if (bytes.subarray(12, 16).toString('latin1') === 'IHDR') size = { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  } else {
    throw new AppError('IMPORT_UNSUPPORTED_TYPE');
  }
  if (!size || size.width === 0 || size.height === 0) throw new AppError('IMPORT_CORRUPT');
  if (size.width * size.height > IMPORT_MAX_PIXELS) throw new AppError('IMPORT_TOO_LARGE', { megabytes: IMPORT_MAX_BYTES / 1024 / 1024 });
  return { bytes, mediaType, width: size.width, height: size.height, dpi: null, source: 'import' };
}
