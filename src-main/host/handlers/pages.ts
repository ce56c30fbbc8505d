/** A document slot's pages: import a file, show, delete, reorder, rotate. */
import sharp from 'sharp';
import { makeThumbnail } from '../../scan/page-encoder.js';
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const pagesHandlers = ({ requests, files, scanning, reads }: HostServices) =>
  ({
    'pages.import': async ({ requestId, slotId, dataBase64 }, ctx) => {
      await (await scanning()).importFile(operatorOf(ctx).id, { requestId, slotId, bytes: Buffer.from(dataBase64, 'base64') });
      return requests.detail(requestId);
    },
    'pages.content': async ({ pageId, maxPx }, ctx) => {
      const { sha256, mediaType, requestId } = requests.pageContent(pageId);
      const bytes = await files.read(sha256);
      reads.record(operatorOf(ctx).id, 'read.pages', { requestId, applicant: requests.row(requestId).applicant_id });
      // A thumbnail is made from the stored page on demand (libvips, off the event loop): a list of
      // 100 pages then moves kilobytes per picture, not the page at scan resolution.
      if (maxPx !== undefined && mediaType.startsWith('image/')) return { mediaType: 'image/jpeg', dataBase64: (await makeThumbnail(sharp(bytes), maxPx)).data.toString('base64') };
      return { mediaType, dataBase64: bytes.toString('base64') };
    },
    'pages.delete': ({ requestId, pageId }, ctx) => requests.deletePage(operatorOf(ctx), requestId, pageId),
    'pages.reorder': ({ requestId, slotId, pageIds }, ctx) => requests.reorderPages(operatorOf(ctx), requestId, slotId, pageIds),
    'pages.rotate': ({ requestId, pageId, rotation }, ctx) => requests.rotatePage(operatorOf(ctx), requestId, pageId, rotation),
  }) satisfies DomainHandlers;
