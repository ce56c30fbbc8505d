/** A document slot's pages: import a file, show, delete, reorder, rotate. */
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const pagesHandlers = ({ requests, files, scanning, reads }: HostServices) =>
  ({
    'pages.import': async ({ requestId, slotId, dataBase64 }, ctx) => {
      await (await scanning()).importFile(operatorOf(ctx).id, { requestId, slotId, bytes: Buffer.from(dataBase64, 'base64') });
      return requests.detail(requestId);
    },
    'pages.content': async ({ pageId }, ctx) => {
      const { sha256, mediaType, requestId } = requests.pageContent(pageId);
      const dataBase64 = (await files.read(sha256)).toString('base64');
      reads.record(operatorOf(ctx).id, 'read.pages', { requestId, applicant: requests.row(requestId).applicant_id });
      return { mediaType, dataBase64 };
    },
    'pages.delete': ({ requestId, pageId }, ctx) => requests.deletePage(operatorOf(ctx), requestId, pageId),
    'pages.reorder': ({ requestId, slotId, pageIds }, ctx) => requests.reorderPages(operatorOf(ctx), requestId, slotId, pageIds),
    'pages.rotate': ({ requestId, pageId, rotation }, ctx) => requests.rotatePage(operatorOf(ctx), requestId, pageId, rotation),
  }) satisfies DomainHandlers;
