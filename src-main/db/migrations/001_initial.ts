import type { Migration } from '../migrate.js';

/** The walking skeleton's model: operators, applicants, requests, slots, pages, signatures, outbox, history. */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE operators (
        id TEXT PRIMARY KEY,
        login TEXT NOT NULL UNIQUE COLLATE NOCASE,
        full_name TEXT NOT NULL,
        iin TEXT,
        role TEXT NOT NULL CHECK (role IN ('operator', 'admin')),
        password_hash TEXT NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );

      CREATE TABLE applicants (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('iin', 'bin')),
        number TEXT NOT NULL,
        name TEXT NOT NULL,
        date TEXT,
        head TEXT,
        address TEXT,
        registry_status TEXT NOT NULL,
        verified INTEGER NOT NULL CHECK (verified IN (0, 1)),
        registry_json TEXT,
        fetched_at TEXT,
        UNIQUE (kind, number)
      );

      CREATE TABLE requests (
        id TEXT PRIMARY KEY,
        local_number TEXT NOT NULL UNIQUE,
        service_id TEXT NOT NULL,
        sub_service_id TEXT,
        applicant_id TEXT NOT NULL REFERENCES applicants (id),
        operator_id TEXT NOT NULL REFERENCES operators (id),
        status TEXT NOT NULL,
        registration_number TEXT,
        form_json TEXT NOT NULL DEFAULT '{}',
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX requests_by_status ON requests (status, updated_at);
      CREATE INDEX requests_by_created ON requests (created_at);

      CREATE TABLE document_slots (
        request_id TEXT NOT NULL REFERENCES requests (id),
        slot_id TEXT NOT NULL,
        required INTEGER NOT NULL CHECK (required IN (0, 1)),
        presented INTEGER NOT NULL DEFAULT 0 CHECK (presented IN (0, 1)),
        original INTEGER NOT NULL DEFAULT 0 CHECK (original IN (0, 1)),
        position INTEGER NOT NULL,
        PRIMARY KEY (request_id, slot_id)
      );

      CREATE TABLE pages (
        id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL,
        slot_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        media_type TEXT NOT NULL,
        width INTEGER,
        height INTEGER,
        dpi INTEGER,
        rotation INTEGER NOT NULL DEFAULT 0 CHECK (rotation IN (0, 90, 180, 270)),
        source TEXT NOT NULL CHECK (source IN ('scanner', 'import')),
        created_at TEXT NOT NULL,
        FOREIGN KEY (request_id, slot_id) REFERENCES document_slots (request_id, slot_id)
      );
      CREATE INDEX pages_by_request ON pages (request_id, slot_id, position);
      CREATE INDEX pages_by_sha ON pages (sha256);

      CREATE TABLE signatures (
        id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL REFERENCES requests (id),
        manifest BLOB NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        cms BLOB NOT NULL,
        signer_json TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        superseded_at TEXT
      );
      CREATE INDEX signatures_by_request ON signatures (request_id);

      CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL REFERENCES requests (id),
        kind TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        created_at TEXT NOT NULL,
        done_at TEXT
      );
      CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

      CREATE TABLE status_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id TEXT NOT NULL REFERENCES requests (id),
        from_status TEXT,
        to_status TEXT NOT NULL,
        step TEXT,
        actor TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX status_history_by_request ON status_history (request_id, id);

      CREATE TABLE counters (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      );
    `);
  },
};
