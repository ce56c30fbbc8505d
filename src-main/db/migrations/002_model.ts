import type { Migration } from '../migrate.js';
import { applicantNumberHash, ensureSearchKey } from '../keys.js';

/** The applicants table rebuilt: the number found by its keyed hash, purgeable. */
const APPLICANTS_NEW = `
      CREATE TABLE applicants_new (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('iin', 'bin')),
        number TEXT,
        number_hash TEXT UNIQUE,
        name TEXT,
        date TEXT,
        head TEXT,
        address TEXT,
        registry_status TEXT NOT NULL,
        verified INTEGER NOT NULL CHECK (verified IN (0, 1)),
        registry_json TEXT,
        fetched_at TEXT,
        purged_at TEXT,
        CHECK ((purged_at IS NULL) = (number IS NOT NULL AND number_hash IS NOT NULL AND name IS NOT NULL))
      );
    `;

/** Everything else of the model (after the applicants' rows are copied). */
const MODEL = `
      DROP TABLE applicants;
      ALTER TABLE applicants_new RENAME TO applicants;

      ALTER TABLE requests ADD COLUMN attention_code TEXT;
      ALTER TABLE requests ADD COLUMN attention_at TEXT;
      ALTER TABLE requests ADD COLUMN registered_at TEXT;
      ALTER TABLE requests ADD COLUMN backend_status TEXT;
      ALTER TABLE requests ADD COLUMN backend_checked_at TEXT;
      ALTER TABLE requests ADD COLUMN purged_at TEXT;
      DROP INDEX requests_by_status;
      CREATE INDEX requests_by_status ON requests (status, created_at);
      CREATE INDEX requests_by_applicant ON requests (applicant_id, created_at);
      CREATE INDEX requests_by_registration ON requests (registration_number) WHERE registration_number IS NOT NULL;
      CREATE INDEX requests_attention ON requests (attention_at) WHERE attention_code IS NOT NULL;

      CREATE TABLE request_representatives (
        request_id TEXT PRIMARY KEY REFERENCES requests (id),
        iin TEXT NOT NULL,
        name TEXT NOT NULL,
        poa_number TEXT NOT NULL,
        poa_date TEXT NOT NULL,
        poa_notary TEXT,
        verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
        fetched_at TEXT,
        created_at TEXT NOT NULL
      );

      ALTER TABLE pages ADD COLUMN missing_since TEXT;
      -- Look-ups by file hash are rare (reconciliation, retention) and done in bulk; this index
      -- cost a random page write for every page of every commit.
      DROP INDEX pages_by_sha;

      CREATE TABLE signatures_new (
        id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL REFERENCES requests (id),
        manifest BLOB,
        manifest_sha256 TEXT NOT NULL,
        cms BLOB NOT NULL,
        signer_json TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        superseded_at TEXT,
        superseded_reason TEXT,
        purged_at TEXT,
        CHECK ((manifest IS NULL) = (purged_at IS NOT NULL))
      );
      INSERT INTO signatures_new (id, request_id, manifest, manifest_sha256, cms, signer_json, signed_at, superseded_at)
        SELECT id, request_id, manifest, manifest_sha256, cms, signer_json, signed_at, superseded_at FROM signatures;
      DROP TABLE signatures;
      ALTER TABLE signatures_new RENAME TO signatures;
      CREATE INDEX signatures_by_request ON signatures (request_id);
      CREATE UNIQUE INDEX signatures_one_current ON signatures (request_id) WHERE superseded_at IS NULL;

      ALTER TABLE outbox ADD COLUMN submitted_at TEXT;
      ALTER TABLE outbox ADD COLUMN outcome TEXT CHECK (outcome IN ('accepted', 'rejected'));
      ALTER TABLE outbox ADD COLUMN outcome_at TEXT;
      ALTER TABLE outbox ADD COLUMN superseded_at TEXT;
      CREATE INDEX outbox_by_request ON outbox (request_id, created_at);

      CREATE TABLE upload_progress (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL CHECK (size >= 0),
        chunk_size INTEGER NOT NULL CHECK (chunk_size > 0),
        chunks_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (chunks_confirmed >= 0),
        complete INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE decisions (
        id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL REFERENCES requests (id),
        kind TEXT NOT NULL CHECK (kind IN ('refused', 'result_ready')),
        reasons_json TEXT NOT NULL DEFAULT '[]',
        decided_at TEXT NOT NULL,
        received_at TEXT NOT NULL
      );
      CREATE INDEX decisions_by_request ON decisions (request_id);

      CREATE TABLE results (
        id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL REFERENCES requests (id),
        decision_id TEXT REFERENCES decisions (id),
        sha256 TEXT,
        size INTEGER,
        media_type TEXT,
        cms BLOB,
        verification TEXT NOT NULL CHECK (verification IN ('valid', 'invalid', 'unverified')),
        verification_code TEXT,
        verified_at TEXT,
        received_at TEXT NOT NULL,
        purged_at TEXT
      );
      CREATE INDEX results_by_request ON results (request_id);
      CREATE INDEX results_by_sha ON results (sha256);

      CREATE TABLE receipts (
        id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL REFERENCES requests (id),
        kind TEXT NOT NULL CHECK (kind IN ('acceptance', 'refusal', 'issuance')),
        number TEXT NOT NULL,
        sha256 TEXT,
        size INTEGER,
        created_at TEXT NOT NULL,
        printed_at TEXT,
        purged_at TEXT
      );
      CREATE INDEX receipts_by_request ON receipts (request_id);
      CREATE INDEX receipts_by_sha ON receipts (sha256);

      CREATE TABLE issuances (
        request_id TEXT PRIMARY KEY REFERENCES requests (id),
        issued_at TEXT NOT NULL,
        operator_id TEXT NOT NULL REFERENCES operators (id),
        recipient TEXT NOT NULL CHECK (recipient IN ('applicant', 'representative')),
        outbox_id TEXT REFERENCES outbox (id)
      );
      CREATE INDEX issuances_by_date ON issuances (issued_at);

      CREATE TABLE file_gc (sha256 TEXT PRIMARY KEY, queued_at TEXT NOT NULL);
    `;

/**
 * The full request model (issue 3) and the places the sync step keeps its state.
 *
 * - meta: key/value facts about this database (the search key; the sync step keeps the
 *   workstation's registration with the gateway here under `gateway.*` keys).
 * - applicants: rebuilt so the IIN/BIN is found by a keyed hash (number_hash, unique) instead of a
 *   clear-text unique index; number and name become nullable so retention can purge them.
 * - requests: attention flag (a problem found outside the lifecycle, e.g. a missing page file),
 *   registration time, decision and purge times; indexes for the operator's list and search.
 * - request_representatives: the representative and the power of attorney (one per request).
 * - pages: missing_since (set by reconciliation when the file is gone).
 * - signatures: rebuilt so the manifest (which holds the applicant's IIN and name) can be purged
 *   by retention while its hash and the CMS stay; why a signature was superseded.
 * - outbox: when the request was first put on the wire, the backend's definitive answer, and
 *   whether the entry was superseded by a re-signed request (see docs/storage.md, exactly once).
 * - upload_progress: per document (by content hash) how far its resumable chunked upload got
 *   (the sync module's UploadStateStore; documents are uploaded once whatever requests use them).
 * - decisions, results, receipts, issuances: what comes back and what is handed over.
 * - file_gc: files that may have lost their last reference (a deleted page, a purged request);
 *   retention deletes them once no row refers to them.
 */
export const migration002: Migration = {
  version: 2,
  name: 'model',
  up(db) {
    db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    ensureSearchKey(db);

    db.exec(APPLICANTS_NEW);
    const insert = db.prepare(
      `INSERT INTO applicants_new (id, kind, number, number_hash, name, date, head, address, registry_status, verified, registry_json, fetched_at)
       VALUES (@id, @kind, @number, @hash, @name, @date, @head, @address, @registry_status, @verified, @registry_json, @fetched_at)`,
    );
    for (const row of db.prepare('SELECT * FROM applicants').all() as Record<string, unknown>[]) {
      insert.run({ ...row, hash: applicantNumberHash(db, row.kind as string, row.number as string) });
    }
    db.exec(MODEL);
  },
};
