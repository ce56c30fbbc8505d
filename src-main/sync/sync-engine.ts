/**
 * The sync engine: the only road from the outbox to the network.
 *
 * Each round it probes the backend (online = the backend answered, not what the OS claims), then
 * delivers due outbox entries: looks up unverified applicants first (offline P3), uploads the
 * documents (idempotent by hash), submits the signed request with its idempotency key (the same
 * key always gets the same registration), and records the registration number. A retryable
 * failure backs off exponentially with jitter; a permanent one moves the request to
 * needs_attention with the reason. Nothing is ever deleted.
 */
import { AppError } from '../contract/errors.js';
import type { QueueStatus } from '../contract/model.js';
import type { ApplicantService } from '../applicant/applicant-service.js';
import type { Logger } from '../host/logger-types.js';
import { isDefinitiveRefusal, OutboxStore } from '../requests/outbox.js';
import type { RequestService } from '../requests/request-service.js';
import type { GatewayClient } from './gateway-client.js';
import { ChunkedUploader, MemoryUploadStateStore, openFileSource, type UploadStateStore } from './uploader.js';

interface OutboxRow {
  id: string;
  request_id: string;
  idempotency_key: string;
  attempts: number;
}

export interface SyncOptions {
  intervalSeconds: number;
  workstationId: string;
  centreBin: string;
  now: () => Date;
  /** Upper bound of the backoff. */
  maxBackoffSeconds?: number;
  random?: () => number;
  /** Where upload progress is kept (default: in memory; the server is asked what it has anyway). */
  uploadState?: UploadStateStore;
  uploadChunkBytes?: number;
}

export class SyncEngine {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private online = false;
  private lastProbeAt: string | null = null;
  private stopped = false;
  private readonly outbox: OutboxStore;
  private readonly uploader: ChunkedUploader;

  constructor(
    private readonly requests: RequestService,
    private readonly applicants: ApplicantService,
    private readonly gateway: GatewayClient,
    private readonly log: Logger,
    private readonly opts: SyncOptions,
    private readonly onQueueChanged: (s: QueueStatus) => void = () => {},
  ) {
    this.outbox = new OutboxStore(requests.db, opts.now);
    this.uploader = new ChunkedUploader(gateway, opts.uploadState ?? new MemoryUploadStateStore(), { chunkSize: opts.uploadChunkBytes ?? 1024 * 1024, log });
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs a round now (or right after the current one). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Runs one full round that starts after this call (waiting for a round already under way). */
  async runOnce(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.round().finally(() => {
      this.running = null;
    });
    await this.running;
  }

  status(): QueueStatus {
    const db = this.requests.db;
    const count = (statuses: string[]) =>
      (db.prepare(`SELECT COUNT(*) AS n FROM requests WHERE status IN (${statuses.map(() => '?').join(',')})`).get(...statuses) as { n: number }).n;
    return {
      online: this.online,
      lastProbeAt: this.lastProbeAt,
      counts: {
        queued: count(['signed', 'queued']),
        sent: count(['sent']),
        registered: count(['registered', 'under_review']),
        needsAttention: count(['needs_attention']),
      },
    };
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce().finally(() => {
        if (this.again) {
          this.again = false;
          this.schedule(0);
        } else {
          this.schedule(this.opts.intervalSeconds * 1000);
        }
      });
    }, ms);
    this.timer.unref?.();
  }

  private async round(): Promise<void> {
    const wasOnline = this.online;
    try {
      await this.gateway.health();
      this.online = true;
    } catch {
      this.online = false;
    }
    this.lastProbeAt = this.opts.now().toISOString();
    if (wasOnline !== this.online) this.log.info({ online: this.online }, 'backend reachability changed');
    if (this.online) {
      const due: OutboxRow[] = this.outbox.due(50);
      for (const entry of due) {
        if (this.stopped) break;
        const ok = await this.deliver(entry);
        if (!ok && !this.online) break;
      }
    }
    this.onQueueChanged(this.status());
  }

  /** Returns false when the round should stop (the backend became unreachable). */
  private async deliver(entry: OutboxRow): Promise<boolean> {
    const req = this.requests.row(entry.request_id);
    if (req.status !== 'queued' && req.status !== 'sent') {
      this.log.warn({ requestId: req.id, status: req.status }, 'outbox entry for a request not in the queue; left as is');
      return true;
    }
    try {
      const detail = this.requests.detail(req.id);
      if (!detail.applicant.verified) {
        try {
          await this.applicants.lookup(detail.applicant.kind, detail.applicant.number);
        } catch (e) {
          if (e instanceof AppError && e.code === 'APPLICANT_NOT_FOUND') {
            this.permanentFailure(entry, req.status, 'APPLICANT_NOT_FOUND', false);
            return true;
          }
          throw e;
        }
      }
      const sig = this.requests.db
        .prepare('SELECT manifest, cms FROM signatures WHERE request_id = ? AND superseded_at IS NULL ORDER BY signed_at DESC LIMIT 1')
        .get(req.id) as { manifest: Buffer; cms: Buffer };
      // Exactly the documents the signature covers: the ones its manifest lists (one PDF per slot).
      const documents = (JSON.parse(sig.manifest.toString('utf8')) as { documents: { sha256: string; size: number }[] }).documents;
      // Resumable chunked upload, a chunk at a time from the content store (never a whole file in memory).
      for (const d of documents) await this.uploader.upload(d, () => openFileSource(this.requests.files.pathOf(d.sha256)));
      this.outbox.markSubmitting(entry.id);
      const result = await this.gateway.submit({
        idempotencyKey: entry.idempotency_key,
        workstationId: this.opts.workstationId,
        centreBin: this.opts.centreBin,
        serviceId: req.service_id,
        subServiceId: req.sub_service_id,
        manifest: sig.manifest,
        cms: sig.cms,
        documents: documents.map((d) => ({ sha256: d.sha256, size: d.size })),
      });
      const db = this.requests.db;
      db.transaction(() => {
        const current = this.requests.row(req.id).status;
        if (current === 'queued') this.requests.setStatus(req.id, 'queued', 'sent', 'sync');
        db.prepare('UPDATE requests SET registration_number = ?, registered_at = ? WHERE id = ?').run(result.registrationNumber, result.receivedAt, req.id);
        this.requests.setStatus(req.id, 'sent', 'registered', 'sync');
        this.outbox.markAccepted(entry.id);
      })();
      this.log.info({ requestId: req.id, duplicate: result.duplicate }, 'request registered');
      this.requests.notify(req.id);
      return true;
    } catch (e) {
      const code = e instanceof AppError ? e.code : 'INTERNAL';
      const retryable = e instanceof AppError ? e.retryable : true;
      if (!retryable) {
        this.permanentFailure(entry, req.status, code, isDefinitiveRefusal(e));
        return true;
      }
      const backoff = this.backoffSeconds(entry.attempts, e instanceof AppError ? Number(e.params.seconds ?? 0) : 0);
      this.outbox.markRetry(entry.id, code, new Date(this.opts.now().getTime() + backoff * 1000));
      this.log.warn({ requestId: req.id, code, attempt: entry.attempts + 1, backoffSeconds: backoff }, 'delivery failed; will retry');
      if (['GATEWAY_UNREACHABLE', 'GATEWAY_TIMEOUT', 'REGISTRY_UNAVAILABLE'].includes(code)) this.online = false;
      return this.online;
    }
  }

  private permanentFailure(entry: OutboxRow, status: 'queued' | 'sent', code: string, definitive: boolean): void {
    const db = this.requests.db;
    db.transaction(() => {
      this.requests.setStatus(entry.request_id, status, 'needs_attention', 'sync', code);
      // Only the backend's own refusal of a submission is definitive (see RequestService.reopen).
      this.outbox.markFailed(entry.id, code, definitive);
    })();
    this.log.warn({ requestId: entry.request_id, code }, 'request needs attention');
    this.requests.notify(entry.request_id);
  }

  /** Exponential backoff with full jitter, at least what the server's Retry-After asked. */
  private backoffSeconds(attempts: number, retryAfter: number): number {
    const cap = this.opts.maxBackoffSeconds ?? 300;
    const base = Math.min(cap, 2 ** Math.min(attempts, 16) * 2);
    const jittered = base / 2 + (this.opts.random ?? Math.random)() * (base / 2);
    return Math.max(retryAfter, Math.round(jittered));
  }
}
