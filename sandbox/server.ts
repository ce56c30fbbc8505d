/**
 * The sandbox licensing backend: a stand-in for E-licensing behind the e-government gateway,
 * speaking protocol v1 (docs/gateway-protocol.md) over real HTTP with its own SQLite file.
 * It is a separate program for development and tests; it is never packaged with the app.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ENTITIES, INDIVIDUALS } from './registry-seed.js';

export interface SandboxOptions {
  dataDir: string;
  port?: number;
  host?: string;
  /** Checks a submission's detached CMS over its manifest; returns a reason to reject, or null. */
  verifySubmission?: (manifest: Buffer, cms: Buffer) => Promise<string | null>;
  /**
   * Development only: a folder whose *.crl files are served at /crl/<name>, standing in for the
   * national CA's CRL distribution point that the test PKI's certificates name.
   */
  crlDir?: string;
  log?: (msg: string) => void;
}

export interface Sandbox {
  url: string;
  port: number;
  db: Database.Database;
  close(): Promise<void>;
}

const MAX_JSON_BYTES = 2 * 1024 * 1024;
const MAX_DOCUMENT_BYTES = 200 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly retryable = false,
  ) {
    super(code);
  }
}

function migrate(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS individuals (iin TEXT PRIMARY KEY, full_name TEXT NOT NULL, birth_date TEXT NOT NULL, status TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS entities (bin TEXT PRIMARY KEY, name TEXT NOT NULL, head TEXT NOT NULL, address TEXT NOT NULL,
      registered_at TEXT NOT NULL, status TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS documents (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, path TEXT NOT NULL, received_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS submissions (
      idempotency_key TEXT PRIMARY KEY, registration_number TEXT NOT NULL UNIQUE, workstation_id TEXT NOT NULL,
      centre_bin TEXT NOT NULL, service_id TEXT NOT NULL, sub_service_id TEXT, manifest BLOB NOT NULL, cms BLOB NOT NULL,
      documents_json TEXT NOT NULL, received_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
  `);
  const ins = db.prepare('INSERT OR REPLACE INTO individuals VALUES (?, ?, ?, ?)');
  for (const p of INDIVIDUALS) ins.run(p.iin, p.fullName, p.birthDate, p.status);
  const insE = db.prepare('INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?, ?)');
  for (const e of ENTITIES) insE.run(e.bin, e.name, e.head, e.address, e.registeredAt, e.status);
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  mkdirSync(join(opts.dataDir, 'documents'), { recursive: true });
  const db = new Database(join(opts.dataDir, 'sandbox.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  migrate(db);
  const log = opts.log ?? (() => {});

  const nextRegistrationNumber = db.transaction((): string => {
    db.prepare("INSERT INTO counters (name, value) VALUES ('registration', 0) ON CONFLICT (name) DO NOTHING").run();
    db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'registration'").run();
    const n = (db.prepare("SELECT value FROM counters WHERE name = 'registration'").get() as { value: number }).value;
    return `KZ${String(new Date().getFullYear()).slice(2)}SBX${String(n).padStart(8, '0')}`;
  });

  const routes: { method: string; pattern: RegExp; handle: (req: http.IncomingMessage, m: RegExpMatchArray) => Promise<[number, unknown]> }[] = [
    {
      method: 'GET',
      pattern: /^\/v1\/health$/,
      handle: () => Promise.resolve([200, { ok: true, protocol: 1, time: new Date().toISOString() }]),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/registry\/individuals\/(\d{12})$/,
      handle: (_req, m) => {
        const row = db.prepare('SELECT * FROM individuals WHERE iin = ?').get(m[1]) as
          | { iin: string; full_name: string; birth_date: string; status: string }
          | undefined;
        if (!row) return Promise.reject(new HttpError(404, 'NOT_FOUND'));
        return Promise.resolve([200, { iin: row.iin, fullName: row.full_name, birthDate: row.birth_date, status: row.status }]);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/registry\/entities\/(\d{12})$/,
      handle: (_req, m) => {
        const row = db.prepare('SELECT * FROM entities WHERE bin = ?').get(m[1]) as
          | { bin: string; name: string; head: string; address: string; registered_at: string; status: string }
          | undefined;
        if (!row) return Promise.reject(new HttpError(404, 'NOT_FOUND'));
        return Promise.resolve([
          200,
          { bin: row.bin, name: row.name, head: row.head, address: row.address, registeredAt: row.registered_at, status: row.status },
        ]);
      },
    },
    {
      method: 'PUT',
      pattern: /^\/v1\/documents\/([0-9a-f]{64})$/,
      handle: async (req, m) => {
        const sha = m[1]!;
        const body = await readBody(req, MAX_DOCUMENT_BYTES);
        if (createHash('sha256').update(body).digest('hex') !== sha) throw new HttpError(422, 'HASH_MISMATCH');
        const path = join(opts.dataDir, 'documents', sha);
        writeFileSync(path, body);
        db.prepare('INSERT OR IGNORE INTO documents VALUES (?, ?, ?, ?)').run(sha, body.byteLength, path, new Date().toISOString());
        return [201, { sha256: sha, size: body.byteLength }];
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/submissions$/,
      handle: async (req) => {
        const body = parseJson(await readBody(req, MAX_JSON_BYTES));
        const key = str(body.idempotencyKey, /^[A-Za-z0-9:_-]{8,128}$/, 'idempotencyKey');
        const existing = db.prepare('SELECT registration_number, received_at FROM submissions WHERE idempotency_key = ?').get(key) as
          | { registration_number: string; received_at: string }
          | undefined;
        if (existing) {
          return [200, { registrationNumber: existing.registration_number, status: 'registered', receivedAt: existing.received_at, duplicate: true }];
        }
        const manifest = Buffer.from(str(body.manifest, /^[A-Za-z0-9+/=]+$/, 'manifest'), 'base64');
        const cms = Buffer.from(str(body.cms, /^[A-Za-z0-9+/=]+$/, 'cms'), 'base64');
        const documents = Array.isArray(body.documents) ? (body.documents as { sha256?: unknown; size?: unknown }[]) : null;
        if (!documents) throw new HttpError(400, 'BAD_REQUEST');
        for (const d of documents) {
          const sha = str(d.sha256, /^[0-9a-f]{64}$/, 'documents.sha256');
          if (!db.prepare('SELECT 1 FROM documents WHERE sha256 = ?').get(sha)) throw new HttpError(409, 'DOCUMENT_MISSING', true);
        }
        if (opts.verifySubmission) {
          const reason = await opts.verifySubmission(manifest, cms);
          if (reason) throw new HttpError(422, reason);
        }
        const receivedAt = new Date().toISOString();
        const number = db.transaction(() => {
          const again = db.prepare('SELECT registration_number FROM submissions WHERE idempotency_key = ?').get(key) as
            | { registration_number: string }
            | undefined;
          if (again) return again.registration_number;
          const n = nextRegistrationNumber();
          db.prepare('INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
            key,
            n,
            str(body.workstationId, /^[A-Za-z0-9-]{1,16}$/, 'workstationId'),
            str(body.centreBin, /^\d{12}$/, 'centreBin'),
            str(body.serviceId, /^[A-Za-z0-9_-]{1,64}$/, 'serviceId'),
            typeof body.subServiceId === 'string' ? body.subServiceId : null,
            manifest,
            cms,
            JSON.stringify(documents),
            receivedAt,
          );
          return n;
        })();
        log(`registered ${number}`);
        return [201, { registrationNumber: number, status: 'registered', receivedAt, duplicate: false }];
      },
    },
    {
      method: 'GET',
      pattern: /^\/crl\/([A-Za-z0-9_.-]+\.crl)$/,
      handle: async (_req, m) => {
        if (!opts.crlDir) throw new HttpError(404, 'NOT_FOUND');
        try {
          return [200, { $raw: await readFile(join(opts.crlDir, m[1]!.replace(/\.crl$/, '.crl.der'))) }];
        } catch {
          throw new HttpError(404, 'NOT_FOUND');
        }
      },
    },
    {
      method: 'GET',
      pattern: /^\/admin\/stats$/,
      handle: () =>
        Promise.resolve([
          200,
          {
            submissions: (db.prepare('SELECT COUNT(*) AS n FROM submissions').get() as { n: number }).n,
            documents: (db.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n,
          },
        ]),
    },
  ];

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routes.find((r) => r.method === req.method && r.pattern.test(path));
    const send = (status: number, body: unknown) => {
      const raw = (body as { $raw?: Buffer } | null)?.$raw;
      if (raw) {
        res.writeHead(status, { 'content-type': 'application/pkix-crl', 'content-length': raw.byteLength });
        res.end(raw);
        return;
      }
      const json = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
      res.end(json);
    };
    if (!route) {
      send(404, { error: { code: 'NO_SUCH_ENDPOINT', retryable: false } });
      return;
    }
    route
      .handle(req, path.match(route.pattern)!)
      .then(([status, body]) => send(status, body))
      .catch((e: unknown) => {
        if (e instanceof HttpError) send(e.status, { error: { code: e.code, retryable: e.retryable } });
        else {
          log(`internal error: ${String(e)}`);
          send(500, { error: { code: 'INTERNAL', retryable: true } });
        }
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    db,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          db.close();
          resolve();
        });
      }),
  };
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.byteLength;
      if (size > max) {
        reject(new HttpError(413, 'TOO_LARGE'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(b: Buffer): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(b.toString('utf8'));
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpError(400, 'BAD_JSON');
}

function str(v: unknown, re: RegExp, field: string): string {
  if (typeof v !== 'string' || !re.test(v)) throw new HttpError(400, `BAD_FIELD:${field}`);
  return v;
}
