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
import Database from 'better-sqlite3';
import { serveRpc } from '../runtime/threads.js';

export type WorkerOp =
  | { op: 'backup'; args: { source: string; dest: string } }
  | { op: 'integrity'; args: { file: string; full: boolean } }
  | { op: 'query'; args: { file: string; sql: string; params: unknown[] } }
  | { op: 'ping'; args: Record<string, never> };

function openRead(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

async function handle(msg: WorkerOp): Promise<unknown> {
  switch (msg.op) {
    case 'ping':
      return 'pong';
    case 'backup': {
      const db = openRead(msg.args.source);
      try {
        // SQLite's online backup API: a consistent snapshot even while the app keeps writing.
        const r = await db.backup(msg.args.dest);
        // The copy inherits WAL mode; make it one self-contained file (no -wal/-shm beside it).
        const copy = new Database(msg.args.dest);
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
        return { pages: r.totalPages };
      } finally {
        db.close();
      }
    }
    case 'integrity': {
      const db = openRead(msg.args.file);
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
      const db = openRead(msg.args.file);
      try {
        return db.prepare(msg.args.sql).raw().all(...msg.args.params);
      } finally {
        db.close();
      }
    }
  }
}

serveRpc<WorkerOp, { code: string; message: string }>(handle, (e) => ({
  code: (e as { code?: string }).code ?? 'ERROR',
  message: e instanceof Error ? e.message : String(e),
}));
