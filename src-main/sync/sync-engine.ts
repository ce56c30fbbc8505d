/**
 * The sync engine: the only road from the outbox to the network (docs/gateway-protocol.md,
 * "The sync engine"; src-main/sync/README.md).
 *
 * A round: probe the backend (online = it answered `health`, not what the OS claims), then
 *  1. deliver due submissions, `concurrency` at a time: the offline P3 look-up of an applicant
 *     entered by hand (P4 "data cannot be obtained" → needs_attention, never sent), the resumable
 *     upload of exactly the documents the signed manifest lists, then the submission with the
 *     entry's idempotency key, `submitted_at` committed BEFORE it goes on the wire, and the
 *     registration recorded in the same transaction as the status change;
 *  2. poll registered requests for decisions (in batches, no sooner than the server's
 *     nextPollSeconds), download a result and verify its provider signature BEFORE it is shown as
 *     ready (a result that does not verify is kept, marked, and the request needs attention);
 *  3. acknowledge issued results (idempotent by registration number).
 *
 * Failures by scope (classify): `transient` → retry later with exponential backoff and full
 * jitter, never sooner than the server's Retry-After (429 and 503 maintenance also pause the
 * whole engine); `request` → needs_attention with the typed code shown to the operator;
 * `workstation` (TLS, the client certificate, the protocol version, the local disk) → the round
 * stops, no request is blamed or touched, and the code is shown as the queue's `problem`.
 * Nothing is ever deleted. Everything the engine needs to resume is in the database; what it
 * keeps in memory (when to poll next, a pause) only makes it ask sooner after a restart.
 */
import { existsSync } from 'node:fs';
import { AppError } from '../contract/errors.js';
import type { QueueStatus, RequestStatus } from '../contract/model.js';
import type { ApplicantService } from '../applicant/applicant-service.js';
import { writeTx } from '../db/database.js';
import type { Logger } from '../host/logger-types.js';
import type { OutboxEntry, OutboxStore } from '../db/repos/outbox.js';
import type { PolledRow } from '../db/repos/requests.js';
import { recordDecision, recordResult, recordUnderReview } from '../requests/outcomes.js';
import type { RequestRow, RequestService } from '../requests/request-service.js';
import type { ResultVerifier } from '../requests/results.js';
import { backoffSeconds, classify, type BackoffPolicy, type Failure } from './backoff.js';
import { GatewayError, isDefinitiveRefusal, type GatewayClient, type SubmissionReceipt, type SubmissionStatus } from '../gateway/gateway-client.js';
import { manifestDocuments, uniqueDocuments, type ManifestDocument } from './manifest-documents.js';
import { ChunkedUploader, MemoryUploadStateStore, openFileSource, type DocumentSource, type UploadProgress, type UploadStateStore } from './uploader.js';

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
  random?: () => number;
  /** Where upload progress is kept (the host: SqliteUploadStateStore; default in memory). */
  uploadState?: UploadStateStore;
  uploadChunkBytes?: number;
  /** Checks results before they are shown; absent: results stay unverified (needs attention). */
  verifyResult?: ResultVerifier | null;
}

type Halt = () => boolean;

/** Statuses polled per exchange (the protocol's limit). */
const POLL_BATCH = 200;
/** A repeated unreadable or oversized answer: after this many attempts the operator is asked. */
const ESCALATE_AFTER = 12;
const REPEATABLE_BAD = new Set(['GATEWAY_BAD_RESPONSE', 'GATEWAY_RESPONSE_TOO_LARGE']);
/** Why a registered request needs attention because of its result (checked again by the engine). */
export const RESULT_PROBLEMS = ['SYNC_RESULT_SIGNATURE_INVALID', 'SYNC_RESULT_UNVERIFIED'] as const;
const MIN_DELAY_MS = 50;

/**
 * Upload progress, with the last word of an upload held back: "every chunk is there" and
 * "complete" are written in the transaction that marks the submission sent (one commit instead of
 * two or three per document). Losing them to a crash costs one question to the server, which is
 * the authority on what it has; progress in the middle of an upload is written at once.
 */
class DeferredUploadState implements UploadStateStore {
  private readonly pending = new Map<string, UploadProgress>();
  constructor(private readonly inner: UploadStateStore) {}
  load(sha256: string): UploadProgress | null {
    return this.pending.get(sha256) ?? this.inner.load(sha256);
  }
  save(p: UploadProgress): void {
    if (p.complete || p.chunksConfirmed >= Math.ceil(p.size / p.chunkSize)) {
      this.pending.set(p.sha256, { ...p });
      return;
    }
    this.pending.delete(p.sha256);
    this.inner.save(p);
  }
  /** Writes what was held back (inside the caller's transaction). */
  flush(): void {
    for (const p of this.pending.values()) this.inner.save(p);
    this.pending.clear();
  }
}

/** Forgets the schedule of requests that left the polled statuses. */
function prune(schedule: Map<string, number>, rows: { id: string }[]): void {
  const live = new Set(rows.map((r) => r.id));
  for (const id of schedule.keys()) if (!live.has(id)) schedule.delete(id);
}

interface ResultCheck {
  verification: 'valid' | 'invalid' | 'unverified';
  /** The request's code when not valid. */
  code: (typeof RESULT_PROBLEMS)[number] | null;
  /** The verifier's own code (SIGN_VERIFY_*), kept with the result. */
  detail: string | null;
}

export class SyncEngine {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private online = false;
  private lastProbeAt: string | null = null;
  /** The workstation-level problem of the last round (shown to the administrator). */
  private problem: string | null = null;
  /** Set by the round under way when a workstation-scoped error stops it. */
  private roundProblem: string | null = null;
  private offlineRounds = 0;
  /** Retry-After (429, 503 maintenance): no call before this instant (by `now`). */
  private pausedUntil = 0;
  private readonly pollAt = new Map<string, number>();
  private readonly pollFailures = new Map<string, number>();
  private readonly recheckAt = new Map<string, number>();
  private readonly uploads = new Map<string, Promise<unknown>>();
  private publishTimer: NodeJS.Timeout | null = null;
  private readonly outbox: OutboxStore;
  private readonly uploader: ChunkedUploader;
  private readonly uploadState: DeferredUploadState;
  private readonly concurrency: number;
  private readonly policy: BackoffPolicy;

  constructor(
    private readonly requests: RequestService,
    private readonly applicants: ApplicantService,
    private readonly gateway: GatewayClient,
    private readonly log: Logger,
    private readonly opts: SyncOptions,
    private readonly onQueueChanged: (s: QueueStatus) => void = () => {},
  ) {
    this.outbox = requests.repos.outbox;
    this.uploadState = new DeferredUploadState(opts.uploadState ?? new MemoryUploadStateStore());
    this.uploader = new ChunkedUploader(gateway, this.uploadState, { chunkSize: opts.uploadChunkBytes ?? 1024 * 1024, log });
    this.concurrency = Math.max(1, Math.floor(opts.concurrency ?? 2));
    this.policy = { baseSeconds: opts.backoffBaseSeconds ?? 2, maxSeconds: opts.maxBackoffSeconds ?? 300 };
  }

  // ------------------------------------------------------------------ scheduling

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = null;
    await this.running;
    writeTx(this.requests.db, () => this.uploadState.flush());
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
    const c = this.requests.statusCounts();
    const n = (...s: RequestStatus[]) => s.reduce((sum, x) => sum + (c[x] ?? 0), 0);
    return {
      online: this.online,
      lastProbeAt: this.lastProbeAt,
      problem: this.problem,
      counts: { queued: n('signed', 'queued'), sent: n('sent'), registered: n('registered', 'under_review'), needsAttention: n('needs_attention') },
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
          this.schedule(this.nextDelayMs());
        }
      });
    }, ms);
    this.timer.unref?.();
  }

  private nowMs(): number {
    return this.opts.now().getTime();
  }

  private random(): number {
    return (this.opts.random ?? Math.random)();
  }

  /** When the next round is useful: after a pause, a backoff, or the earliest due work. */
  private nextDelayMs(): number {
    const interval = this.opts.intervalSeconds * 1000;
    const now = this.nowMs();
    if (this.pausedUntil > now) return this.pausedUntil - now;
    if (this.problem) return interval;
    if (!this.online) {
      const wait = backoffSeconds(this.policy, this.offlineRounds - 1, 0, () => this.random()) * 1000;
      return Math.min(interval, Math.max(250, wait));
    }
    const earliest = this.outbox.nextDueAt();
    let next = earliest ? Date.parse(earliest) : Infinity;
    for (const t of this.pollAt.values()) next = Math.min(next, t);
    for (const t of this.recheckAt.values()) next = Math.min(next, t);
    return Math.min(interval, Math.max(MIN_DELAY_MS, next - now));
  }

  // ------------------------------------------------------------------ events

  /** Publishes the queue's state now. */
  private publish(): void {
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = null;
    try {
      this.onQueueChanged(this.status());
    } catch (e) {
      this.log.warn({ err: e }, 'queue status could not be published');
    }
  }

  /** Something changed during a round: publish within 250 ms (many changes, one event). */
  private changed(): void {
    if (this.publishTimer || this.stopped) return;
    this.publishTimer = setTimeout(() => this.publish(), 250);
    this.publishTimer.unref?.();
  }

  private setOnline(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    this.log.info({ online }, 'backend reachability changed');
    this.publish();
  }

  // ------------------------------------------------------------------ the round

  private async round(): Promise<void> {
    this.roundProblem = null;
    let probed = false;
    try {
      // Retry-After: not a single call before the server said.
      if (this.pausedUntil > this.nowMs()) return;
      probed = true;
      if (!(await this.probe())) return;
      const halt: Halt = () => this.stopped || this.roundProblem !== null || !this.online || this.pausedUntil > this.nowMs();
      await this.deliverDue(halt);
      if (!halt()) await this.pollDecisions(halt);
      if (!halt()) await this.recheckResults(halt);
      if (!halt()) await this.acknowledgeDue(halt);
    } catch (e) {
      // Every step handles its own failures; this is a bug or the database failing.
      this.log.error({ err: e }, 'sync round failed');
      const f = classify(e);
      if (f.scope === 'workstation') this.roundProblem = f.code;
    } finally {
      if (probed) {
        if (this.roundProblem !== this.problem) this.log.warn({ problem: this.roundProblem }, 'workstation problem changed');
        this.problem = this.roundProblem;
      }
      this.publish();
    }
  }

  /** Online means the backend answered `health` with a protocol we speak. */
  private async probe(): Promise<boolean> {
    try {
      await this.gateway.health();
      this.offlineRounds = 0;
      this.setOnline(true);
      return true;
    } catch (e) {
      const f = classify(e);
      if (f.scope === 'workstation') this.stopRound(f, e);
      if (f.retryAfterSeconds > 0) this.pause(f.retryAfterSeconds);
      this.offlineRounds++;
      this.setOnline(false);
      return false;
    } finally {
      this.lastProbeAt = this.opts.now().toISOString();
    }
  }

  /** A workstation-scoped error: nothing more is sent this round; no request is touched. */
  private stopRound(f: Failure, e: unknown): void {
    if (this.roundProblem === null) this.log.error({ code: f.code, detail: e instanceof Error ? e.message : String(e) }, 'workstation problem: sending stopped');
    this.roundProblem = f.code;
  }

  private pause(seconds: number): void {
    const until = this.nowMs() + seconds * 1000;
    if (until > this.pausedUntil) {
      this.pausedUntil = until;
      this.log.info({ seconds }, 'the backend asked to wait (Retry-After)');
    }
  }

  /** Runs `fn` over `items`, `concurrency` at a time, until `halt`. `fn` handles its own errors. */
  private async pool<T>(items: T[], fn: (item: T) => Promise<void>, halt: Halt): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (!halt() && next < items.length) {
        const item = items[next++]!;
        try {
          await fn(item);
        } catch (e) {
          this.log.error({ err: e }, 'sync step failed unexpectedly');
          const f = classify(e);
          if (f.scope === 'workstation') this.stopRound(f, e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
  }

  // ------------------------------------------------------------------ 1. submissions

  private async deliverDue(halt: Halt): Promise<void> {
    const seen = new Set<string>();
    const batch = Math.max(50, this.concurrency * 10);
    while (!halt()) {
      // Each entry at most once per round (a tiny backoff must not spin the round).
      const due = this.outbox
        .due(batch + seen.size, 'submit')
        .filter((e) => !seen.has(e.id))
        .slice(0, batch);
      if (!due.length) return;
      for (const e of due) seen.add(e.id);
      await this.pool(due, (e) => this.deliver(e), halt);
    }
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const req = this.requests.row(entry.request_id);
    if (req.status !== 'queued' && req.status !== 'sent') {
      // Not waiting to be sent (an operator or reconciliation moved it): left as it is.
      this.log.warn({ requestId: req.id, status: req.status }, 'outbox entry for a request not in the queue; left as is');
      this.outbox.markRetry(entry.id, 'REQUEST_STATE', new Date(this.nowMs() + this.policy.maxSeconds * 1000));
      return;
    }
    try {
      await this.confirmApplicant(req);
      const sig = this.signature(req.id);
      const docs = manifestDocuments(sig.manifest);
      for (const d of uniqueDocuments(docs)) await this.upload(d, false);
      // Durable before it goes on the wire: from here on the backend may hold it.
      writeTx(this.requests.db, () => {
        this.uploadState.flush();
        this.outbox.markSubmitting(entry.id);
        if (this.requests.row(req.id).status === 'queued') this.requests.setStatus(req.id, 'queued', 'sent', 'sync');
      });
      if (req.status === 'queued') this.notify(req.id);
      const receipt = await this.submit(entry, req, sig, docs);
      this.recordRegistration(entry, req.id, receipt);
    } catch (e) {
      this.deliveryFailed(entry, e);
    }
  }

  /** Offline P3: an applicant entered by hand is looked up in the registry before the request goes out. */
  private async confirmApplicant(req: RequestRow): Promise<void> {
    const a = this.requests.repos.applicants.byId(req.applicant_id);
    if (!a || a.verified === 1) return;
    if (!a.number) throw new AppError('APPLICANT_NOT_LOOKED_UP');
    // APPLICANT_NOT_FOUND (P4) is request-scoped: needs attention, never sent, never dropped.
    const found = await this.applicants.lookup(a.kind, a.number);
    if (found.registryStatus === 'deceased' || found.registryStatus === 'liquidated') throw new AppError('APPLICANT_INACTIVE', { status: found.registryStatus });
    this.log.info({ requestId: req.id }, 'applicant confirmed by the registry before sending (P3)');
  }

  private signature(requestId: string): { manifest: Buffer | null; cms: Buffer } {
    const sig = this.requests.repos.signatures.current(requestId);
    if (!sig) throw new AppError('SYNC_MANIFEST_UNREADABLE');
    return sig;
  }

  /** One upload per document at a time, whatever requests share it; resumable (the uploader asks the server). */
  private upload(doc: { sha256: string; size: number }, recheck: boolean): Promise<unknown> {
    const running = this.uploads.get(doc.sha256);
    if (running && !recheck) return running;
    const p = (async () => {
      const path = this.requests.files.pathOf(doc.sha256);
      if (!existsSync(path)) throw new AppError('STORAGE_FILE_MISSING');
      return this.uploader.upload(doc, () => this.open(path), { recheck });
    })().finally(() => {
      if (this.uploads.get(doc.sha256) === p) this.uploads.delete(doc.sha256);
    });
    this.uploads.set(doc.sha256, p);
    return p;
  }

  private async open(path: string): Promise<DocumentSource> {
    try {
      return await openFileSource(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('STORAGE_FILE_MISSING');
      throw e;
    }
  }

  /** The submission with the entry's key; a document the server lost is uploaded again (twice at most). */
  private async submit(entry: OutboxEntry, req: RequestRow, sig: { manifest: Buffer | null; cms: Buffer }, docs: ManifestDocument[]): Promise<SubmissionReceipt> {
    const submission = {
      idempotencyKey: entry.idempotency_key,
      workstationId: this.opts.workstationId,
      centreBin: this.opts.centreBin,
      serviceId: req.service_id,
      subServiceId: req.sub_service_id,
      manifest: sig.manifest!,
      cms: sig.cms,
      documents: docs.map((d) => ({ sha256: d.sha256, size: d.size })),
    };
    for (let round = 0; ; round++) {
      try {
        return await this.gateway.submit(submission);
      } catch (e) {
        if (!(e instanceof GatewayError && e.code === 'GATEWAY_DOCUMENT_MISSING') || round >= 2) throw e;
        const missing = new Set(Array.isArray(e.server?.details.missing) ? (e.server.details.missing as unknown[]).map(String) : []);
        this.log.warn({ requestId: req.id, missing: missing.size }, 'the backend lacks documents of the request: uploading them again');
        for (const d of uniqueDocuments(docs)) if (missing.size === 0 || missing.has(d.sha256)) await this.upload(d, true);
      }
    }
  }

  private recordRegistration(entry: OutboxEntry, requestId: string, receipt: SubmissionReceipt): void {
    const db = this.requests.db;
    writeTx(db, () => {
      this.requests.repos.requests.recordRegistration(requestId, receipt.registrationNumber, receipt.receivedAt, this.opts.now().toISOString());
      this.requests.setStatus(requestId, 'sent', 'registered', 'sync');
      this.outbox.markAccepted(entry.id);
    });
    // The decision cannot be there at once: ask after a round's interval.
    this.pollAt.set(requestId, this.nowMs() + this.opts.intervalSeconds * 1000);
    this.log.info({ requestId, duplicate: receipt.duplicate }, 'request registered');
    this.notify(requestId);
  }

  private deliveryFailed(entry: OutboxEntry, e: unknown): void {
    const f = classify(e);
    if (f.scope === 'workstation') return this.stopRound(f, e);
    if (f.code === 'INTERNAL') this.log.error({ err: e, requestId: entry.request_id }, 'unexpected failure while sending');
    const status = this.requests.row(entry.request_id).status;
    const lastError = this.outbox.lastError(entry.id);
    const escalate = f.scope === 'transient' && REPEATABLE_BAD.has(f.code) && entry.attempts + 1 >= ESCALATE_AFTER && lastError === f.code;
    if ((f.scope === 'request' || escalate) && (status === 'queued' || status === 'sent')) {
      const code = escalate ? 'SYNC_REPEATED_BAD_RESPONSE' : f.code;
      writeTx(this.requests.db, () => {
        this.requests.setStatus(entry.request_id, status, 'needs_attention', 'sync', code);
        // Only the backend's own answer makes the key unregistrable (RequestService.reopen).
        this.outbox.markFailed(entry.id, code, !escalate && isDefinitiveRefusal(e));
      });
      this.log.warn({ requestId: entry.request_id, code }, 'request needs attention');
      this.notify(entry.request_id);
      return;
    }
    if (f.offline) this.setOnline(false);
    if (f.retryAfterSeconds > 0) this.pause(f.retryAfterSeconds);
    const wait = backoffSeconds(this.policy, entry.attempts, f.retryAfterSeconds, () => this.random());
    this.outbox.markRetry(entry.id, f.code, new Date(this.nowMs() + wait * 1000));
    this.log.warn({ requestId: entry.request_id, code: f.code, attempt: entry.attempts + 1, backoffSeconds: Math.round(wait * 10) / 10 }, 'delivery failed; will retry');
  }

  // ------------------------------------------------------------------ 2. decisions and results

  private async pollDecisions(halt: Halt): Promise<void> {
    const rows = this.requests.repos.requests.awaitingDecision();
    const results = await this.askDue(rows, this.pollAt, halt, (r, s, now): [PolledRow, SubmissionStatus] | null => {
      if (s === undefined) this.pollAt.set(r.id, now + this.opts.intervalSeconds * 1000);
      else if (s === null) {
        // Registered here, unknown there (the backend lost it?): the operator and the administrator must look.
        this.pollAt.set(r.id, now + this.policy.maxSeconds * 1000);
        this.flag(r.id, 'GATEWAY_UNKNOWN_SUBMISSION');
      } else if (this.applyStatus(r, s)) return [r, s];
      return null;
    });
    if (results) await this.pool(results, ([r, s]) => this.fetchResult(r, s), halt);
  }

  /**
   * Asks the backend for the statuses of the rows that `schedule` says are due, POLL_BATCH at a
   * time until `halt`; `each` sees every asked row with its status (undefined: not in the answer;
   * null: unknown there) and returns what to work on next. Null when a batch failed and the round
   * should not go on.
   */
  private async askDue<T>(
    rows: PolledRow[],
    schedule: Map<string, number>,
    halt: Halt,
    each: (r: PolledRow, s: SubmissionStatus | null | undefined, now: number) => T | null,
  ): Promise<T[] | null> {
    const now = this.nowMs();
    prune(schedule, rows);
    const due = rows.filter((r) => (schedule.get(r.id) ?? 0) <= now);
    const out: T[] = [];
    for (let i = 0; i < due.length && !halt(); i += POLL_BATCH) {
      const batch = due.slice(i, i + POLL_BATCH);
      const answer = await this.statuses(batch);
      if (!answer) return null;
      for (const r of batch) {
        const next = each(r, answer.get(r.registration_number), now);
        if (next !== null) out.push(next);
      }
    }
    return out;
  }

  /** One batch of statuses (null: the round should not go on); a number the server does not know maps to null. */
  private async statuses(batch: PolledRow[]): Promise<Map<string, SubmissionStatus | null> | null> {
    try {
      const answer = await this.gateway.statuses(batch.map((r) => r.registration_number));
      const out = new Map<string, SubmissionStatus | null>(answer.items.map((s) => [s.registrationNumber, s]));
      for (const n of answer.unknown) out.set(n, null);
      return out;
    } catch (e) {
      const f = classify(e);
      if (f.scope === 'workstation') this.stopRound(f, e);
      else {
        if (f.offline) this.setOnline(false);
        if (f.retryAfterSeconds > 0) this.pause(f.retryAfterSeconds);
        this.log.warn({ code: f.code }, 'status poll failed; will ask again');
      }
      return null;
    }
  }

  /** Applies a status; true when a result is to be downloaded. */
  private applyStatus(r: PolledRow, s: SubmissionStatus): boolean {
    this.pollFailures.delete(r.id);
    if (s.refusal) {
      recordDecision(
        this.requests,
        { requestId: r.id, kind: 'refused', reasons: s.refusal.reasons.map((x) => ({ code: x.code, text: x.text })), decidedAt: s.decidedAt ?? s.receivedAt },
        this.opts.now().toISOString(),
      );
      this.pollAt.delete(r.id);
      this.log.info({ requestId: r.id, reasons: s.refusal.reasons.map((x) => x.code) }, 'refused by the provider (P8)');
      this.changed();
      return false;
    }
    if (s.result) return true;
    if (s.status === 'under_review' && r.status === 'registered') {
      recordUnderReview(this.requests, r.id, 'under_review', this.opts.now().toISOString());
      this.notify(r.id);
    }
    this.pollAt.set(r.id, this.nowMs() + Math.max(1, s.nextPollSeconds ?? this.opts.intervalSeconds) * 1000);
    return false;
  }

  /** Downloads the result, checks its provider signature, stores it, then records the decision. */
  private async fetchResult(r: PolledRow, s: SubmissionStatus): Promise<void> {
    try {
      const doc = await this.gateway.downloadResult(r.registration_number, s.result!);
      const check = await this.checkResult(doc.pdf, doc.cms, s);
      const stored = await this.requests.files.put(doc.pdf);
      const at = this.opts.now().toISOString();
      writeTx(this.requests.db, () => {
        const decisionId = recordDecision(
          this.requests,
          { requestId: r.id, kind: 'result_ready', reasons: [], decidedAt: s.decidedAt ?? s.receivedAt },
          at,
          check.code ? { to: 'needs_attention', lastError: check.code } : {},
        );
        recordResult(
          this.requests,
          { requestId: r.id, decisionId, file: { sha256: stored.sha256, size: stored.size, mediaType: 'application/pdf' }, cms: doc.cms, verification: check.verification, verificationCode: check.detail },
          at,
        );
      });
      this.pollAt.delete(r.id);
      if (check.code) {
        this.recheckAt.set(r.id, this.nowMs() + this.policy.maxSeconds * 1000);
        this.log.warn({ requestId: r.id, code: check.code, detail: check.detail }, 'result received but its signature did not verify: needs attention');
      } else this.log.info({ requestId: r.id }, 'result received and verified (P9)');
      this.changed();
    } catch (e) {
      this.pollFailed(r.id, e);
    }
  }

  private async checkResult(pdf: Buffer, cms: Buffer, s: SubmissionStatus): Promise<ResultCheck> {
    if (!this.opts.verifyResult) return { verification: 'unverified', code: 'SYNC_RESULT_UNVERIFIED', detail: null };
    try {
      const ok = await this.opts.verifyResult(pdf, cms, new Date(s.decidedAt ?? s.receivedAt));
      return ok ? { verification: 'valid', code: null, detail: null } : { verification: 'unverified', code: 'SYNC_RESULT_UNVERIFIED', detail: null };
    } catch (e) {
      if (e instanceof AppError && e.code.startsWith('SIGN_')) return { verification: 'invalid', code: 'SYNC_RESULT_SIGNATURE_INVALID', detail: e.code };
      throw e;
    }
  }

  private pollFailed(requestId: string, e: unknown): void {
    const f = classify(e);
    if (f.scope === 'workstation') return this.stopRound(f, e);
    if (f.scope === 'request') {
      this.pollAt.set(requestId, this.nowMs() + this.policy.maxSeconds * 1000);
      this.flag(requestId, f.code);
      return;
    }
    if (f.offline) this.setOnline(false);
    if (f.retryAfterSeconds > 0) this.pause(f.retryAfterSeconds);
    const n = this.pollFailures.get(requestId) ?? 0;
    this.pollFailures.set(requestId, n + 1);
    this.pollAt.set(requestId, this.nowMs() + backoffSeconds(this.policy, n, f.retryAfterSeconds, () => this.random()) * 1000);
    this.log.warn({ requestId, code: f.code }, 'result download failed; will retry');
  }

  /**
   * A request whose result did not verify is checked again (downloaded and verified anew): the
   * provider may have signed it again, or the administrator fixed the trust roots (at the next
   * start). Once it verifies, the request becomes result_ready.
   */
  private async recheckResults(halt: Halt): Promise<void> {
    const rows = this.requests.repos.requests.registeredNeedingAttention(RESULT_PROBLEMS);
    const found = await this.askDue(rows, this.recheckAt, halt, (r, s, now): [PolledRow, SubmissionStatus] | null => {
      if (s?.result) return [r, s];
      this.recheckAt.set(r.id, now + this.policy.maxSeconds * 1000);
      return null;
    });
    if (found) await this.pool(found, ([r, s]) => this.recheckResult(r, s), halt);
  }

  private async recheckResult(r: PolledRow, s: SubmissionStatus): Promise<void> {
    this.recheckAt.set(r.id, this.nowMs() + this.policy.maxSeconds * 1000);
    try {
      const doc = await this.gateway.downloadResult(r.registration_number, s.result!);
      const check = await this.checkResult(doc.pdf, doc.cms, s);
      if (check.code) return;
      const stored = await this.requests.files.put(doc.pdf);
      const at = this.opts.now().toISOString();
      writeTx(this.requests.db, () => {
        if (this.requests.row(r.id).status !== 'needs_attention') return;
        const decision = this.requests.repos.outcomes.latestDecision(r.id);
        recordResult(
          this.requests,
          { requestId: r.id, decisionId: decision?.id ?? null, file: { sha256: stored.sha256, size: stored.size, mediaType: 'application/pdf' }, cms: doc.cms, verification: 'valid', verificationCode: null },
          at,
        );
        this.requests.setStatus(r.id, 'needs_attention', 'result_ready', 'sync');
      });
      this.recheckAt.delete(r.id);
      this.log.info({ requestId: r.id }, 'result verified on a second check (P9)');
      this.notify(r.id);
    } catch (e) {
      const f = classify(e);
      if (f.scope === 'workstation') this.stopRound(f, e);
      else this.log.warn({ requestId: r.id, code: f.code }, 'result check failed; will try again later');
    }
  }

  /** A problem outside the lifecycle, shown with the request (RequestSummary.attention). */
  private flag(requestId: string, code: string): void {
    const db = this.requests.db;
    const changed = writeTx(db, () => {
      const flagged = this.requests.repos.requests.flag(requestId, code, this.opts.now().toISOString());
      if (flagged) this.requests.audit.append({ actor: 'sync', action: 'request.flagged', subject: requestId, data: { code } });
      return flagged;
    });
    if (changed) {
      this.log.warn({ requestId, code }, 'request flagged for attention');
      this.notify(requestId);
    }
  }

  // ------------------------------------------------------------------ 3. acknowledgements of issue

  private async acknowledgeDue(halt: Halt): Promise<void> {
    await this.pool(this.outbox.due(100, 'issuance_ack'), (e) => this.acknowledge(e), halt);
  }

  private async acknowledge(entry: OutboxEntry): Promise<void> {
    const db = this.requests.db;
    const row = this.requests.row(entry.request_id);
    const issued = this.requests.repos.outcomes.issuance(row.id);
    try {
      if (!row.registration_number || !issued) throw new AppError('REQUEST_STATE', { status: row.status });
      this.outbox.markSubmitting(entry.id);
      // The operator's time of handing over, as the workstation saw it (recorded, never judged).
      const ack = await this.gateway.acknowledgeIssued(row.registration_number, new Date(issued.issued_at));
      writeTx(db, () => {
        this.requests.repos.requests.setBackendStatus(row.id, 'issued', this.opts.now().toISOString());
        this.outbox.markAccepted(entry.id);
      });
      this.log.info({ requestId: row.id, duplicate: ack.duplicate }, 'issue acknowledged to the backend');
    } catch (e) {
      const f = classify(e);
      if (f.scope === 'workstation') return this.stopRound(f, e);
      if (f.scope === 'request') {
        // The request is issued (terminal): the problem is shown as its attention flag.
        this.outbox.markFailed(entry.id, f.code, isDefinitiveRefusal(e));
        this.flag(row.id, f.code);
        return;
      }
      if (f.offline) this.setOnline(false);
      if (f.retryAfterSeconds > 0) this.pause(f.retryAfterSeconds);
      this.outbox.markRetry(entry.id, f.code, new Date(this.nowMs() + backoffSeconds(this.policy, entry.attempts, f.retryAfterSeconds, () => this.random()) * 1000));
      this.log.warn({ requestId: row.id, code: f.code }, 'acknowledgement failed; will retry');
    }
  }

  private notify(requestId: string): void {
    this.requests.notify(requestId);
    this.changed();
  }
}
