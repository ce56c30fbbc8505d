/**
 * Starts a worker thread from one of our modules, wherever the code runs: from the TypeScript
 * sources (tests, tsx) the .ts module is loaded through tsx's ESM hooks registered inside the
 * worker; from the bundle (dist/main) it is the worker's own bundle beside the entry file (this
 * code may sit in dist/main/chunks/, so the folder above is looked in too).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';
import { bundleFromSource } from './worker-bundles.js';

/**
 * @param callerUrl  import.meta.url of the module that owns the worker
 * @param sourceEntry the worker module's path relative to the caller, as TypeScript ('./worker.ts')
 * @param bundled    the worker bundle's file name in dist/main ('store-worker.js')
 */
export function startModuleWorker(callerUrl: string, sourceEntry: string, bundled: string, workerData?: unknown): Worker {
  if (callerUrl.endsWith('.ts')) {
    const file = bundleFromSource(callerUrl, sourceEntry, bundled);
    if (file) return new Worker(file, { workerData });
    const tsxDir = dirname(createRequire(callerUrl).resolve('tsx/package.json'));
    const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
    const entry = new URL(sourceEntry, callerUrl).href;
    const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(boot, { eval: true, workerData });
  }
  const dir = dirname(fileURLToPath(callerUrl));
  const candidates = [join(dir, bundled), join(dir, '..', bundled)];
  const file = candidates.find((c) => existsSync(c));
  if (!file) throw new Error(`the worker ${bundled} is missing: ${candidates.join(', ')}`);
  return new Worker(file, { workerData });
}

/** What a worker is sent: `{ id, msg }`. */
export interface RpcRequest<Req> {
  id: number;
  msg: Req;
}

/** What a worker answers to each request: `{ id, ok: true, value }` or `{ id, ok: false, error }`. */
export type RpcResponse<E> = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: E };

/**
 * The worker's side of WorkerRpc: answers each request with what `handle` resolves to, or with
 * `toError` of what it throws. A Uint8Array answer's buffer is transferred, not copied.
 */
export function serveRpc<Req, E>(handle: (msg: Req) => Promise<unknown>, toError: (e: unknown) => E): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', (req: RpcRequest<Req>) => {
    handle(req.msg).then(
      (value) => {
        const transfer = value instanceof Uint8Array ? [value.buffer as ArrayBuffer] : [];
        port.postMessage({ id: req.id, ok: true, value } satisfies RpcResponse<E>, transfer);
      },
      (e: unknown) => port.postMessage({ id: req.id, ok: false, error: toError(e) } satisfies RpcResponse<E>),
    );
  });
}

/**
 * Request/response over a worker thread: numbered requests, answers matched by id, the worker
 * started on first use and let go (unref) while idle, every pending call rejected if it dies
 * (the next call starts a new one).
 */
export class WorkerRpc<Req, E> {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();

  constructor(
    private readonly opts: {
      name: string;
      start: () => Worker;
      /** Turns the worker's error answer into what the caller throws. */
      toError: (e: E) => unknown;
      onFailure?: (e: unknown) => void;
    },
  ) {}

  call<T>(msg: Req): Promise<T> {
    const w = this.get();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.ref();
      w.postMessage({ id, msg } satisfies RpcRequest<Req>);
    }).finally(() => {
      if (!this.pending.size) this.worker?.unref();
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  private get(): Worker {
    if (this.worker) return this.worker;
    const w = this.opts.start();
    w.unref();
    w.on('message', (res: RpcResponse<E>) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      this.pending.delete(res.id);
      if (res.ok) p.resolve(res.value);
      else p.reject(this.opts.toError(res.error));
    });
    const fail = (e: unknown) => {
      if (this.pending.size) this.opts.onFailure?.(e);
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      if (this.worker === w) this.worker = null;
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the ${this.opts.name} worker exited (${code})`)));
    this.worker = w;
    return w;
  }
}
