/**
 * Starts and talks to the store's worker thread (worker.ts). From the bundle (dist/main) the
 * worker is dist/main/store-worker.js, built by scripts/build.mjs (this code may be in a shared
 * chunk under dist/main/chunks/, so the folder above is looked in too); from the TypeScript sources
 * (tests, tsx) it is worker.ts, loaded through tsx's ESM hooks registered inside the worker.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../runtime/threads.js';
import { mapSqliteError } from './database.js';
import type { WorkerOp, WorkerRequest, WorkerResponse } from './worker.js';

export interface IntegrityResult {
  ok: boolean;
  messages: string[];
  version: number;
}

function startWorker(): Worker {
  return startModuleWorker(import.meta.url, './worker.ts', 'store-worker.js');
}

export class StoreWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();

  private get(): Worker {
    if (this.worker) return this.worker;
    const w = startWorker();
    w.unref();
    w.on('message', (res: WorkerResponse) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      this.pending.delete(res.id);
      if (res.ok) p.resolve(res.value);
      else p.reject(mapSqliteError(Object.assign(new Error(res.error.message), { code: res.error.code })));
    });
    const fail = (e: unknown) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      this.worker = null;
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the store worker exited (${code})`)));
    this.worker = w;
    return w;
  }

  call<T>(msg: WorkerOp): Promise<T> {
    const w = this.get();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.ref();
      w.postMessage({ id, msg } satisfies WorkerRequest);
    }).finally(() => {
      if (!this.pending.size) this.worker?.unref();
    });
  }

  backup(source: string, dest: string): Promise<{ pages: number }> {
    return this.call({ op: 'backup', args: { source, dest } });
  }

  integrity(file: string, full: boolean): Promise<IntegrityResult> {
    return this.call({ op: 'integrity', args: { file, full } });
  }

  /** A read-only query on its own connection; rows come back as arrays (raw). */
  query<T extends unknown[]>(file: string, sql: string, params: unknown[] = []): Promise<T[]> {
    return this.call({ op: 'query', args: { file, sql, params } });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
