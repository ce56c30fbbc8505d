/**
 * What a submission uploads: exactly the documents its signed manifest lists (RFC 8785 JSON,
 * `documents: [{ slot, index, sha256, size, mediaType }]`, src-main/sign/manifest.ts), read from
 * the content store by their SHA-256. Not the pages table: the bytes signed are the bytes sent,
 * whatever the manifest lists (page images today, one assembled PDF per document slot tomorrow).
 */
import { AppError } from '../contract/errors.js';
import type { ManifestDocument } from '../sign/index.js';

const SHA256 = /^[0-9a-f]{64}$/;
const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * One entry of `documents`, checked field by field (the workstation's own signed data, read on
 * every submission: a schema library's generality is not needed here), or null.
 */
function documentOf(v: unknown): ManifestDocument | null {
  if (typeof v !== 'object' || v === null) return null;
  const d = v as Record<string, unknown>;
  if (typeof d.slot !== 'string' || !count(d.index) || typeof d.sha256 !== 'string' || !SHA256.test(d.sha256) || !count(d.size) || typeof d.mediaType !== 'string') return null;
  return { slot: d.slot, index: d.index, sha256: d.sha256, size: d.size, mediaType: d.mediaType };
}

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
  const list = typeof parsed === 'object' && parsed !== null ? (parsed as { documents?: unknown }).documents : undefined;
  if (!Array.isArray(list) || list.length > 1000) throw new AppError('SYNC_MANIFEST_UNREADABLE');
  return list.map((v) => documentOf(v) ?? unreadable());
}

function unreadable(): never {
  throw new AppError('SYNC_MANIFEST_UNREADABLE');
}

/** Each document once (a file attached to two slots is uploaded once). */
export function uniqueDocuments(docs: ManifestDocument[]): { sha256: string; size: number }[] {
  const seen = new Map<string, number>();
  for (const d of docs) if (!seen.has(d.sha256)) seen.set(d.sha256, d.size);
  return [...seen].map(([sha256, size]) => ({ sha256, size }));
}
