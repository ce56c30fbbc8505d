/** The request service's own types and small helpers (the wire types are in src-main/contract). */
import type { IdnKind } from '../contract/idn.js';
import type { Page, RequestStatus } from '../contract/model.js';
import type { NewPageRow, PageRow } from '../db/repos/documents.js';
import type { StepLog } from '../reports/step-log.js';

export type { RequestRow } from '../db/repos/requests.js';

export interface NewPage {
  bytes: Buffer;
  mediaType: string;
  width: number | null;
  height: number | null;
  dpi: number | null;
  source: 'scanner' | 'import';
}

/** A page whose file is already stored by content (the id: chosen by the caller, or new). */
export type StoredPage = Pick<NewPageRow, 'sha256' | 'size' | 'mediaType' | 'width' | 'height' | 'dpi' | 'source' | 'skewDeg'> & { id?: string };

export interface Actor {
  id: string;
}

export interface RequestServiceOptions {
  centreCode: string;
  workstationId: string;
  now: () => Date;
  /** The regulation's clock: each status change's step event, written in the change's transaction. */
  steps?: StepLog;
}

/** What the operator's queue screen filters and searches by; every field is served by an index. */
export interface RequestFilter {
  status?: RequestStatus | null;
  /** A whole local number, or its beginning (ALM-01-W01-2026-). */
  localNumber?: string | null;
  registrationNumber?: string | null;
  /** The applicant's full IIN/BIN: found through its keyed hash, never a clear-text index. */
  applicant?: { kind: IdnKind; number: string } | null;
  /** created_at within [from, to) (ISO instants). */
  createdFrom?: string | null;
  createdTo?: string | null;
  limit?: number;
}

export type ChangeListener = (r: { id: string; localNumber: string; status: RequestStatus; registrationNumber: string | null }) => void;

export const ROTATIONS = [0, 90, 180, 270] as const;
export type Rotation = (typeof ROTATIONS)[number];

export function maskIdn(n: string | null): string {
  return n && n.length === 12 ? `${n.slice(0, 4)}••••••${n.slice(10)}` : '••••';
}

export function pageFromRow(p: PageRow): Page & { slotId: string } {
  return {
    id: p.id,
    slotId: p.slot_id,
    position: p.position,
    sha256: p.sha256,
    size: p.size,
    mediaType: p.media_type,
    width: p.width,
    height: p.height,
    dpi: p.dpi,
    rotation: p.rotation,
    missing: p.missing_since !== null,
    skewDeg: p.skew_deg ?? null,
  };
}
