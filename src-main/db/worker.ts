/**
 * The store's worker thread: the heavy, read-only database work that must not hold up the main
 * process's event loop (the UI's IPC and HTTP): online backups, integrity checks, and large read
 * queries (reconciliation, retention's selection). It opens its own connections, read-only where
 * it reads the live database; the one writer stays on the main thread.
 *
 * Messages (src-main/runtime/threads.ts): { id, msg: { op, args } } → { id, ok: true, value } |
 * { id, ok: false, error: { code, message } }.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { serveRpc } from '../runtime/threads.js';
import { openKeyed } from './cipher.js';

/** `key`: the database key in hex (the worker is a thread of this process); null for a clear file. */
export type WorkerOp =
  | { op: 'backup'; args: { source: string; dest: string; key: string | null } }
  | { op: 'integrity'; args: { file: string; full: boolean; key: string | null } }
  | { op: 'query'; args: { file: string; sql: string; params: unknown[]; key: string | null } }
  | { op: 'ping'; args: Record<string, never> };

function open(file: string, key: string | null, options: Database.Options): Database.Database {
  return key ? openKeyed(file, [{ id: 'db', key: Buffer.from(key, 'hex') }], options).db : new Database(file, options);
}

function openRead(file: string, key: string | null): Database.Database {
  const db = open(file, key, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

function handle(msg: WorkerOp): unknown {
  switch (msg.op) {
    case 'ping':
      return 'pong';
    case 'backup': {
      const db = openRead(msg.args.source, msg.args.key);
      try {
        // VACUUM INTO: a consistent snapshot even while the app keeps writing, written encrypted
        // with the database's own key (SQLite's backup API cannot copy between encrypted files).
        db.prepare('VACUUM INTO ?').run(msg.args.dest);
        const pages = db.pragma('page_count', { simple: true }) as number;
        // Make it one self-contained file (no -wal/-shm beside it).
        const copy = open(msg.args.dest, msg.args.key, {});
        try {
          copy.pragma('journal_mode = DELETE');
        } finally {
          copy.close();
        }
        // fsync here too: flushing tens of megabytes must not hold up the main thread.
        const fd = openSync(msg.args.dest, 'r+');
        try {
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        return { pages };
      } finally {
        db.close();
      }
    }
    case 'integrity': {
      const db = openRead(msg.args.file, msg.args.key);
      try {
        const rows = db.pragma(msg.args.full ? 'integrity_check' : 'quick_check') as Record<string, string>[];
        const messages = rows.map((r) => Object.values(r)[0] ?? '');
        const version = db.pragma('user_version', { simple: true }) as number;
        return { ok: messages.length === 1 && messages[0] === 'ok', messages: messages.slice(0, 20), version };
      } finally {
        db.close();
      }
    }
    case 'query': {
      const db = openRead(msg.args.file, msg.args.key);
      try {
        return db.prepare(msg.args.sql).raw().all(...msg.args.params);
      } finally {
        db.close();
      }
    }
  }
}

serveRpc<WorkerOp, { code: string; message: string }>((msg) => Promise.resolve().then(() => handle(msg)), (e) => ({
  code: (e as { code?: string }).code ?? 'ERROR',
  message: e instanceof Error ? e.message : String(e),
}));
