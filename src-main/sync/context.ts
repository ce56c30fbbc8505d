/**
 * What every stage of the sync engine shares: the services, the options, the one failure policy,
 * and small helpers (run work `concurrency` at a time, tell the UI a request changed, flag a
 * request). Built once by the SyncEngine.
 */
import { writeTx } from '../db/database.js';
import type { Repos } from '../db/repos/index.js';
import type { GatewayClient } from '../gateway/gateway-client.js';
import type { Logger } from '../host/logger-types.js';
import type { RequestService } from '../requests/request-service.js';
import type { ResultVerifier } from '../requests/results.js';
import type { FailurePolicy } from './policy.js';
import type { UploadStateStore } from './uploader.js';

export interface SyncOptions {
  /** Seconds between rounds when nothing is due sooner. */
  intervalSeconds: number;
  workstationId: string;
  centreBin: string;
  now: () => Date;
  /** Requests in flight at once (uploads, submissions, result downloads). Default 2. */
  concurrency?: number;
  /** The first backoff cap in seconds (default 2). */
  backoffBaseSeconds?: number;
  /** The largest backoff cap in seconds (default 300). */
  maxBackoffSeconds?: number;
  /** The longest pause a server's Retry-After imposes per episode (default 60): sync.maxPauseSeconds. */
  maxPauseSeconds?: number;
  random?: () => number;
  /** Where upload progress is kept (the host: SqliteUploadStateStore; default in memory). */
  uploadState?: UploadStateStore;
  uploadChunkBytes?: number;
  /** Checks results before they are shown; absent: results stay unverified (needs attention). */
  verifyResult?: ResultVerifier | null;
}

/** True when the round must not start anything more. */
export type Halt = () => boolean;

export class SyncContext {
  readonly repos: Repos;
  readonly concurrency: number;

  constructor(
    readonly requests: RequestService,
    readonly gateway: GatewayClient,
    readonly log: Logger,
    readonly opts: SyncOptions,
    readonly policy: FailurePolicy,
    /** Something changed: the queue's state is published soon (many changes, one event). */
    readonly changed: () => void,
  ) {
    this.repos = requests.repos;
    this.concurrency = Math.max(1, Math.floor(opts.concurrency ?? 2));
  }

  nowMs(): number {
    return this.opts.now().getTime();
  }

  nowIso(): string {
    return this.opts.now().toISOString();
  }

  /** One round's interval, in milliseconds. */
  get intervalMs(): number {
    return this.opts.intervalSeconds * 1000;
  }

  /** A request changed: its listeners now, the queue soon. */
  notify(requestId: string): void {
    this.requests.notify(requestId);
    this.changed();
  }

  /** Runs `fn` over `items`, `concurrency` at a time, until `halt`. `fn` handles its own failures. */
  async pool<T>(items: T[], fn: (item: T) => Promise<void>, halt: Halt): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (!halt() && next < items.length) {
        const item = items[next++]!;
        try {
          await fn(item);
        } catch (e) {
          this.policy.unexpected(e, 'sync step failed unexpectedly');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
  }

  /** A problem outside the lifecycle, shown with the request (RequestSummary.attention). */
  flag(requestId: string, code: string): void {
    const changed = writeTx(this.requests.db, () => {
      const flagged = this.repos.requests.flag(requestId, code, this.nowIso());
      if (flagged) this.requests.audit.append({ actor: 'sync', action: 'request.flagged', subject: requestId, data: { code } });
      return flagged;
    });
    if (changed) {
      this.log.warn({ requestId, code }, 'request flagged for attention');
      this.notify(requestId);
    }
  }
}
