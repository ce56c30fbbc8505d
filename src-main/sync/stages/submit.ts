/**
 * Stage 2, submit: due `submit` entries of the outbox, `concurrency` at a time, each at most once
 * per round: the offline P3 look-up, the upload of the manifest's documents, then the submission
 * with the entry's own idempotency key. `submitted_at` and `queued → sent` commit BEFORE the
 * request goes on the wire; the registration, `sent → registered` and the entry's `accepted`
 * commit in one transaction. A document the backend lost is uploaded again (twice at most).
 */
import type { ApplicantService } from '../../applicant/applicant-service.js';
import { AppError } from '../../contract/errors.js';
import { writeTx, writeTxDurable, writeTxUnsynced } from '../../db/database.js';
import type { OutboxEntry } from '../../db/repos/outbox.js';
import { GatewayError, type SubmissionReceipt } from '../../gateway/gateway-client.js';
import type { RequestRow } from '../../requests/request-service.js';
import type { Halt, SyncContext } from '../context.js';
import { manifestDocuments, uniqueDocuments, type ManifestDocument } from '../manifest-documents.js';
import { confirmApplicant } from './applicant.js';
import type { Uploads } from './upload.js';

type Signature = { manifest: Buffer | null; cms: Buffer };

export class Submissions {
  constructor(
    private readonly ctx: SyncContext,
    private readonly applicants: ApplicantService,
    private readonly uploads: Uploads,
    /** A request was registered: its decision is worth asking about after `atMs`. */
    private readonly onRegistered: (requestId: string, atMs: number) => void,
  ) {}

  async run(halt: Halt): Promise<void> {
    const seen = new Set<string>();
    const batch = Math.max(200, this.ctx.concurrency * 10);
    while (!halt()) {
      // Each entry at most once per round (a tiny backoff must not spin the round).
      const due = this.ctx.repos.outbox
        .due(batch + seen.size, 'submit')
        .filter((e) => !seen.has(e.id))
        .slice(0, batch);
      if (!due.length) return;
      for (const e of due) seen.add(e.id);
      await this.ctx.pool(due, (e) => this.deliver(e), halt);
    }
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const { ctx } = this;
    const req = ctx.requests.row(entry.request_id);
    if (req.status !== 'queued' && req.status !== 'sent') {
      // Not waiting to be sent (an operator or reconciliation moved it): left as it is.
      ctx.log.warn({ requestId: req.id, status: req.status }, 'outbox entry for a request not in the queue; left as is');
      ctx.repos.outbox.markRetry(entry.id, 'REQUEST_STATE', new Date(ctx.nowMs() + ctx.policy.maxMs));
      return;
    }
    try {
      await confirmApplicant(ctx, this.applicants, req);
      const sig = this.signature(req.id);
      const docs = manifestDocuments(sig.manifest);
      await this.uploads.uploadAll(uniqueDocuments(docs));
      // Durable before it goes on the wire: from here on the backend may hold it. (The fsync runs
      // off the event loop: the other requests' uploads go on meanwhile.)
      await writeTxDurable(ctx.requests.db, () => {
        this.uploads.flush();
        ctx.repos.outbox.markSubmitting(entry.id);
        if (ctx.requests.row(req.id).status === 'queued') ctx.requests.setStatus(req.id, 'queued', 'sent', 'sync');
      });
      if (req.status === 'queued') ctx.notify(req.id);
      const receipt = await this.submit(entry, req, sig, docs);
      this.recordRegistration(entry, req.id, receipt);
    } catch (e) {
      this.failed(entry, e);
    }
  }

  private signature(requestId: string): Signature {
    const sig = this.ctx.repos.signatures.current(requestId);
    if (!sig) throw new AppError('SYNC_MANIFEST_UNREADABLE');
    return sig;
  }

  /** The submission with the entry's key; a document the server lost is uploaded again (twice at most). */
  private async submit(entry: OutboxEntry, req: RequestRow, sig: Signature, docs: ManifestDocument[]): Promise<SubmissionReceipt> {
    const submission = {
      idempotencyKey: entry.idempotency_key,
      workstationId: this.ctx.opts.workstationId,
      centreBin: this.ctx.opts.centreBin,
      serviceId: req.service_id,
      subServiceId: req.sub_service_id,
      manifest: sig.manifest!,
      cms: sig.cms,
      documents: docs.map((d) => ({ sha256: d.sha256, size: d.size })),
    };
    for (let round = 0; ; round++) {
      try {
        return await this.ctx.gateway.submit(submission);
      } catch (e) {
        if (!(e instanceof GatewayError && e.code === 'GATEWAY_DOCUMENT_MISSING') || round >= 2) throw e;
        const missing = new Set(Array.isArray(e.server?.details.missing) ? (e.server.details.missing as unknown[]).map(String) : []);
        this.ctx.log.warn({ requestId: req.id, missing: missing.size }, 'the backend lacks documents of the request: uploading them again');
        for (const d of uniqueDocuments(docs)) if (missing.size === 0 || missing.has(d.sha256)) await this.uploads.upload(d, true);
      }
    }
  }

  /**
   * The registration, `sent → registered` and the entry accepted, in one transaction that does not
   * wait for the disk: a power cut before the next commit (which syncs it) takes it back, and the
   * request, still `sent`, goes again with the same key and gets the same number.
   */
  private recordRegistration(entry: OutboxEntry, requestId: string, receipt: SubmissionReceipt): void {
    const { ctx } = this;
    writeTxUnsynced(ctx.requests.db, () => {
      ctx.repos.requests.recordRegistration(requestId, receipt.registrationNumber, receipt.receivedAt, ctx.nowIso());
      ctx.requests.setStatus(requestId, 'sent', 'registered', 'sync');
      ctx.repos.outbox.markAccepted(entry.id);
    });
    // The decision cannot be there at once: ask after a round's interval.
    this.onRegistered(requestId, ctx.nowMs() + ctx.intervalMs);
    ctx.log.info({ requestId, duplicate: receipt.duplicate }, 'request registered');
    ctx.notify(requestId);
  }

  private failed(entry: OutboxEntry, e: unknown): void {
    const { ctx } = this;
    const requestId = entry.request_id;
    ctx.policy.handle(e, {
      what: 'delivery',
      requestId,
      attempts: entry.attempts,
      lastCode: () => ctx.repos.outbox.lastError(entry.id),
      park: (code, definitive) => {
        const status = ctx.requests.row(requestId).status;
        if (status !== 'queued' && status !== 'sent') return false;
        writeTx(ctx.requests.db, () => {
          ctx.requests.setStatus(requestId, status, 'needs_attention', 'sync', code);
          ctx.repos.outbox.markFailed(entry.id, code, definitive);
        });
        ctx.log.warn({ requestId, code }, 'request needs attention');
        ctx.notify(requestId);
      },
      retry: (at, code) => ctx.repos.outbox.markRetry(entry.id, code, at),
    });
  }
}
