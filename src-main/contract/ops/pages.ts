/** Pages of a document slot: import, content, delete, reorder, rotate: the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { SCAN_IMPORT_FILE_ERRORS } from '../scan-import-errors.js';
import { Id, RequestDetail } from '../model.js';

/** Import limit for one page file sent over the contract (base64 grows it by 4/3). */
export const MAX_IMPORT_BYTES = 25 * 1024 * 1024;

export const pagesOps = {
  'pages.import': operation({
    access: 'operator',
    summary: 'P5 without a scanner: attach the pages of a file (JPEG, PNG, multi-page TIFF, PDF), recognised by content.',
    input: z.strictObject({
      requestId: Id,
      slotId: Id,
      fileName: z.string().min(1).max(255),
      dataBase64: z
        .string()
        .min(4)
        .max(Math.ceil(MAX_IMPORT_BYTES / 3) * 4)
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
    }),
    output: RequestDetail,
    errors: [
      'REQUEST_STATE',
      'REQUEST_UNKNOWN_SLOT',
      ...SCAN_IMPORT_FILE_ERRORS,
      'STORAGE_DISK_FULL',
    ],
  }),
  'pages.content': operation({
    access: 'operator',
    summary: 'The bytes of a stored page, to show it; with maxPx, a JPEG no larger than that on either side (a thumbnail).',
    input: z.strictObject({ pageId: Id, maxPx: z.number().int().min(32).max(1024).optional() }),
    output: z.strictObject({ mediaType: z.string(), dataBase64: z.string() }),
  }),
  'pages.delete': operation({
    access: 'operator',
    summary: 'P5: remove a scanned page before signing.',
    input: z.strictObject({ requestId: Id, pageId: Id }),
    output: RequestDetail,
    errors: ['REQUEST_STATE', 'REQUEST_UNKNOWN_PAGE'],
  }),
  'pages.reorder': operation({
    access: 'operator',
    summary: "P5: put a document's pages in a new order before signing (every page of the slot, once).",
    input: z.strictObject({ requestId: Id, slotId: Id, pageIds: z.array(Id).min(1).max(500) }),
    output: RequestDetail,
    errors: ['REQUEST_STATE', 'REQUEST_UNKNOWN_SLOT', 'REQUEST_PAGE_ORDER'],
  }),
  'pages.rotate': operation({
    access: 'operator',
    summary: 'P5: turn a page (degrees clockwise) before signing.',
    input: z.strictObject({ requestId: Id, pageId: Id, rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]) }),
    output: RequestDetail,
    errors: ['REQUEST_STATE', 'REQUEST_UNKNOWN_PAGE'],
  }),

} as const;
