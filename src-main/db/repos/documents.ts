/**
 * The documents of a request: `document_slots` (what the service asks for, presented or not),
 * `pages` (scanned or imported images, by content hash) and `document_pdfs` (each slot's pages as
 * the one PDF that was signed and sent).
 */
import { prep, type Db } from '../database.js';
import { slotMissing } from '../../contract/rules.js';

export interface SlotRow {
  slot_id: string;
  required: number;
  presented: number;
  original: number;
  /** The operator found the document's validity expired (a ground to refuse it). */
  expired: number;
}

export interface PageRow {
  id: string;
  slot_id: string;
  position: number;
  sha256: string;
  size: number;
  media_type: string;
  width: number | null;
  height: number | null;
  dpi: number | null;
  rotation: number;
  missing_since: string | null;
  /** Migration 012: the scan's skew measure (degrees), null when not measured. */
  skew_deg: number | null;
}

export interface NewPageRow {
  id: string;
  requestId: string;
  slotId: string;
  position: number;
  sha256: string;
  size: number;
  mediaType: string;
  width: number | null;
  height: number | null;
  dpi: number | null;
  source: 'scanner' | 'import';
  at: string;
  skewDeg?: number | null;
}

export class DocumentsRepo {
  constructor(private readonly db: Db) {}

  // ------------------------------------------------------------------ slots

  insertSlots(requestId: string, slots: readonly { id: string; required: boolean }[]): void {
    const insert = prep(this.db, 'INSERT INTO document_slots (request_id, slot_id, required, presented, original, position) VALUES (?, ?, ?, 0, 0, ?)');
    slots.forEach((d, i) => insert.run(requestId, d.id, d.required ? 1 : 0, i));
  }

  /** False when the request has no such slot. */
  setSlot(requestId: string, slotId: string, presented: boolean, original: boolean): boolean {
    return (
      prep(this.db, 'UPDATE document_slots SET presented = ?, original = ? WHERE request_id = ? AND slot_id = ?').run(
        presented ? 1 : 0,
        original ? 1 : 0,
        requestId,
        slotId,
      ).changes > 0
    );
  }

  /** Marks a document expired (or not); false when the request has no such slot. */
  setExpired(requestId: string, slotId: string, expired: boolean): boolean {
    return prep(this.db, 'UPDATE document_slots SET expired = ? WHERE request_id = ? AND slot_id = ?').run(expired ? 1 : 0, requestId, slotId).changes > 0;
  }

  slotExists(requestId: string, slotId: string): boolean {
    return prep(this.db, 'SELECT 1 FROM document_slots WHERE request_id = ? AND slot_id = ?').get(requestId, slotId) !== undefined;
  }

  slots(requestId: string): SlotRow[] {
    return prep(this.db, 'SELECT * FROM document_slots WHERE request_id = ? ORDER BY position').all(requestId) as SlotRow[];
  }

  /** Required slots not presented or without pages, and documents marked expired, in the service's order. */
  missingSlots(requestId: string): string[] {
    const rows = prep(
      this.db,
      `SELECT s.slot_id, s.required, s.presented, s.expired, (SELECT COUNT(*) FROM pages p WHERE p.request_id = s.request_id AND p.slot_id = s.slot_id) AS pages
       FROM document_slots s WHERE s.request_id = ? ORDER BY s.position`,
    ).all(requestId) as { slot_id: string; required: number; presented: number; expired: number; pages: number }[];
    // The rule itself is the contract's (slotMissing), shared with the documents screen.
    return rows
      .filter((s) => slotMissing({ required: s.required === 1, presented: s.presented === 1, expired: s.expired === 1 }, s.pages))
      .map((s) => s.slot_id);
  }

  // ------------------------------------------------------------------ pages

  nextPosition(requestId: string, slotId: string): number {
    return (prep(this.db, 'SELECT COALESCE(MAX(position), 0) AS p FROM pages WHERE request_id = ? AND slot_id = ?').get(requestId, slotId) as { p: number }).p + 1;
  }

  insertPage(p: NewPageRow): void {
    prep(
      this.db,
      `INSERT INTO pages (id, request_id, slot_id, position, sha256, size, media_type, width, height, dpi, rotation, source, created_at, skew_deg)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
    ).run(p.id, p.requestId, p.slotId, p.position, p.sha256, p.size, p.mediaType, p.width, p.height, p.dpi, p.source, p.at, p.skewDeg ?? null);
  }

  page(requestId: string, pageId: string): PageRow | undefined {
    return prep(this.db, 'SELECT * FROM pages WHERE id = ? AND request_id = ?').get(pageId, requestId) as PageRow | undefined;
  }

  pageContent(pageId: string): { sha256: string; media_type: string; request_id: string } | undefined {
    return prep(this.db, 'SELECT sha256, media_type, request_id FROM pages WHERE id = ?').get(pageId) as { sha256: string; media_type: string; request_id: string } | undefined;
  }

  /** Deletes a page and closes the gap in its slot's order. */
  deletePage(p: { id: string; requestId: string; slotId: string; position: number }): void {
    prep(this.db, 'DELETE FROM pages WHERE id = ?').run(p.id);
    prep(this.db, 'UPDATE pages SET position = position - 1 WHERE request_id = ? AND slot_id = ? AND position > ?').run(p.requestId, p.slotId, p.position);
  }

  pageIds(requestId: string, slotId: string): string[] {
    return (prep(this.db, 'SELECT id FROM pages WHERE request_id = ? AND slot_id = ?').all(requestId, slotId) as { id: string }[]).map((p) => p.id);
  }

  setPositions(pageIds: readonly string[]): void {
    const set = prep(this.db, 'UPDATE pages SET position = ? WHERE id = ?');
    pageIds.forEach((id, i) => set.run(i + 1, id));
  }

  setRotation(pageId: string, rotation: number): void {
    prep(this.db, 'UPDATE pages SET rotation = ? WHERE id = ?').run(rotation, pageId);
  }

  pages(requestId: string): PageRow[] {
    return prep(this.db, 'SELECT * FROM pages WHERE request_id = ? ORDER BY slot_id, position').all(requestId) as PageRow[];
  }

  countPages(requestId: string): number {
    return (prep(this.db, 'SELECT COUNT(*) AS n FROM pages WHERE request_id = ?').get(requestId) as { n: number }).n;
  }

  /** Retention: the request's page rows go (their files are queued for deletion by the caller). */
  deletePages(requestId: string): number {
    return prep(this.db, 'DELETE FROM pages WHERE request_id = ?').run(requestId).changes;
  }

  /** Flags the pages whose file is gone (one pass over the pages: there is no index by hash). */
  markMissing(hashes: readonly string[], at: string): void {
    prep(this.db, 'UPDATE pages SET missing_since = COALESCE(missing_since, ?) WHERE sha256 IN (SELECT value FROM json_each(?))').run(at, JSON.stringify(hashes));
  }

  /** Clears the flag of pages whose file is back. */
  clearMissing(hashes: readonly string[]): void {
    prep(this.db, 'UPDATE pages SET missing_since = NULL WHERE sha256 IN (SELECT value FROM json_each(?))').run(JSON.stringify(hashes));
  }

  // ------------------------------------------------------------------ the PDFs that were signed

  insertPdfs(signatureId: string, requestId: string, pdfs: readonly { slotId: string; sha256: string; size: number; pageCount: number }[], at: string): void {
    const insert = prep(this.db, 'INSERT INTO document_pdfs (signature_id, request_id, slot_id, sha256, size, page_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const d of pdfs) insert.run(signatureId, requestId, d.slotId, d.sha256, d.size, d.pageCount, at);
  }

  purgePdfs(requestId: string, at: string): void {
    prep(this.db, `UPDATE document_pdfs SET sha256 = NULL, purged_at = ? WHERE request_id = ?`).run(at, requestId);
  }
}
