/**
 * Starts and talks to the store's worker thread (worker.ts). From the bundle (dist/main) the
 * worker is dist/main/store-worker.js, built by scripts/build.mjs (this code may be in a shared
 * chunk under dist/main/chunks/, so the folder above is looked in too); from the TypeScript sources
 * (tests, tsx) it is worker.ts, loaded through tsx's ESM hooks registered inside the worker.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker, WorkerRpc } from '../runtime/threads.js';
import { mapSqliteError } from './database.js';
import type { WorkerOp } from './worker.js';

export interface IntegrityResult {
  ok: boolean;
  messages: string[];
  version: number;
}

function startWorker(): Worker {
  return startModuleWorker(import.meta.url, './worker.ts', 'store-worker.js');
}

export class StoreWorker {
  /** The database key (hex) the worker opens the store's files with; null: clear files. */
  constructor(private readonly key: string | null = null) {}

  private readonly rpc = new WorkerRpc<WorkerOp, { code: string; message: string }>({
    name: 'store',
    start: startWorker,
    toError: (e) => mapSqliteError(Object.assign(new Error(e.message), { code: e.code })),
  });

  call<T>(msg: WorkerOp): Promise<T> {
    return this.rpc.call<T>(msg);
  }

  backup(source: string, dest: string): Promise<{ pages: number }> {
    return this.call({ op: 'backup', args: { source, dest, key: this.key } });
  }

  integrity(file: string, full: boolean): Promise<IntegrityResult> {
    return this.call({ op: 'integrity', args: { file, full, key: this.key } });
  }

  /** A read-only query on its own connection; rows come back as arrays (raw). */
  query<T extends unknown[]>(file: string, sql: string, params: unknown[] = []): Promise<T[]> {
    return this.call({ op: 'query', args: { file, sql, params, key: this.key } });
  }

  close(): Promise<void> {
    return this.rpc.close();
  }
}
