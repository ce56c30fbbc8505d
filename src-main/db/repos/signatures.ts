/** The `signatures` table: the signed manifest and the operator's CMS, kept (superseded) after a re-opening. */
import { prep, type Db } from '../database.js';

export interface SignatureRow {
  id: string;
  manifest: Buffer | null;
  manifest_sha256: string;
  cms: Buffer;
  signer_json: string;
  signed_at: string;
}

export class SignaturesRepo {
  constructor(private readonly db: Db) {}

  insert(s: { id: string; requestId: string; manifest: Buffer; manifestSha256: string; cms: Buffer; signerJson: string; signedAt: string }): void {
    const sql = 'INSERT INTO signatures (id, request_id, manifest, manifest_sha256, cms, signer_json, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?)';
    prep(this.db, sql).run(s.id, s.requestId, s.manifest, s.manifestSha256, s.cms, s.signerJson, s.signedAt);
  }

  /** The request's current (not superseded) signature. */
  current(requestId: string): SignatureRow | undefined {
    return prep(this.db, 'SELECT * FROM signatures WHERE request_id = ? AND superseded_at IS NULL ORDER BY signed_at DESC LIMIT 1').get(requestId) as
      | SignatureRow
      | undefined;
  }

  /** Marks the current signatures superseded (a re-opening); returns how many. */
  supersede(requestId: string, at: string, reason: string): number {
    return prep(this.db, `UPDATE signatures SET superseded_at = ?, superseded_reason = ? WHERE request_id = ? AND superseded_at IS NULL`).run(at, reason, requestId)
      .changes;
  }

  /** Retention: the manifest holds personal data; the hash and the CMS stay. */
  purgeManifests(requestId: string, at: string): void {
    prep(this.db, `UPDATE signatures SET manifest = NULL, purged_at = ? WHERE request_id = ? AND purged_at IS NULL`).run(at, requestId);
  }
}
