/**
 * What a submission uploads: exactly the documents its signed manifest lists (RFC 8785 JSON,
 * `documents: [{ slot, index, sha256, size, mediaType }]`, src-main/sign/manifest.ts), read from
 * the content store by their SHA-256. Not the pages table: the bytes signed are the bytes sent,
 * whatever the manifest lists (page images today, one assembled PDF per document slot tomorrow).
 */
import { z } from 'zod';
import { AppError } from '../contract/errors.js';
import type { ManifestDocument } from '../sign/index.js';

const ManifestDocuments = z.object({
  documents: z
    .array(
      z.object({
        slot: z.string(),
        index: z.number().int().min(0),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        size: z.number().int().min(0),
        mediaType: z.string(),
      }),
    )
    .max(1000),
});

/** One document the signed manifest lists (the type the signer builds it from). */
export type { ManifestDocument };

/**
 * The documents of a signed manifest, in the manifest's order. A manifest that cannot be read
 * (purged, damaged) is SYNC_MANIFEST_UNREADABLE: that request cannot be sent as it is.
 */
export function manifestDocuments(manifest: Buffer | null): ManifestDocument[] {
  if (!manifest) throw new AppError('SYNC_MANIFEST_UNREADABLE');
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifest.toString('utf8'));
  } catch {
    throw new AppError('SYNC_MANIFEST_UNREADABLE');
  }
  const r = ManifestDocuments.safeParse(parsed);
  if (!r.success) throw new AppError('SYNC_MANIFEST_UNREADABLE');
  return r.data.documents;
}

/** Each document once (a file attached to two slots is uploaded once). */
export function uniqueDocuments(docs: ManifestDocument[]): { sha256: string; size: number }[] {
  const seen = new Map<string, number>();
  for (const d of docs) if (!seen.has(d.sha256)) seen.set(d.sha256, d.size);
  return [...seen].map(([sha256, size]) => ({ sha256, size }));
}
