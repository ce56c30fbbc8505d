/**
 * One PDF per document slot, as the documents travel and are archived: the slot's pages in
 * order, rotated as the operator set them, JPEG bytes embedded as scanned (src-main/papers). The
 * papers worker writes it to a temporary file; it then enters the content store (hashed while
 * copied, fsync'd, renamed) and the temporary file is removed.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Papers } from '../papers/papers-client.js';
import type { ContentStore } from '../files/content-store.js';
import type { SigningContext } from './signing.js';

export function slotPdfAssembler(deps: { docs: Papers; files: ContentStore; operatorName: string; now: () => Date }): SigningContext['assemble'] {
  return async (detail, slot) => {
    const tmpDir = join(deps.files.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `slot-${randomBytes(8).toString('hex')}.pdf`);
    try {
      const { pageCount } = await deps.docs.writeDocumentPdf(
        {
          title: slot.name.kk,
          requestNumber: detail.localNumber,
          documentType: slot.slotId,
          operator: deps.operatorName,
          createdAt: deps.now(),
          language: 'kk',
          pages: slot.pages.map((p) => ({
            source: deps.files.fileSource(p.sha256),
            rotation: p.rotation as 0 | 90 | 180 | 270,
            ...(p.dpi ? { dpi: p.dpi } : {}),
          })),
        },
        tmp,
      );
      const stored = await deps.files.putFile(tmp);
      return { slotId: slot.slotId, sha256: stored.sha256, size: stored.size, pageCount };
    } finally {
      await rm(tmp, { force: true });
    }
  };
}
