/** A document slot's pages: import a file, show, delete, reorder, rotate. */
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const pagesHandlers = ({ requests, files, scanning }: HostServices) =>
  ({
    'pages.import': async ({ requestId, slotId, dataBase64 }, ctx) => {
      await (await scanning()).importFile(operatorOf(ctx).id, { requestId, slotId, bytes: Buffer.from(dataBase64, 'base64') });
      return requests.detail(requestId);
    },
    'pages.content': async ({ pageId }) => {
      const { sha256, mediaType } = requests.pageContent(pageId);
      return { mediaType, dataBase64: (await files.read(sha256)).toString('base64') };
    },
    'pages.delete': ({ requestId, pageId }, ctx) => requests.deletePage(operatorOf(ctx), requestId, pageId),
    'pages.reorder': ({ requestId, slotId, pageIds }, ctx) => requests.reorderPages(operatorOf(ctx), requestId, slotId, pageIds),
    'pages.rotate': ({ requestId, pageId, rotation }, ctx) => requests.rotatePage(operatorOf(ctx), requestId, pageId, rotation),
  }) satisfies DomainHandlers;
