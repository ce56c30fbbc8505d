/**
 * The repositories: each table's SQL lives in exactly one of these files (the owner map is
 * src-main/db/table-owners.ts, checked by test/unit/db/table-owners.test.ts). Methods run inside the caller's write transaction when there
 * is one (better-sqlite3 is synchronous; writeTx nests), so a service composes several of them
 * into one commit.
 */
import type { Db } from '../database.js';
import { ApplicantsRepo } from './applicants.js';
import { CounterRefusalsRepo } from './counter-refusals.js';
import { DocumentsRepo } from './documents.js';
import { FilesRepo } from './files.js';
import { OutboxStore } from './outbox.js';
import { OutcomesRepo } from './outcomes.js';
import { RepresentativesRepo } from './representatives.js';
import { RequestsRepo } from './requests.js';
import { SignaturesRepo } from './signatures.js';
import { StatusHistoryRepo } from './status-history.js';
import { StepEventsRepo } from './step-events.js';

export class Repos {
  readonly applicants: ApplicantsRepo;
  readonly requests: RequestsRepo;
  readonly history: StatusHistoryRepo;
  readonly documents: DocumentsRepo;
  readonly representatives: RepresentativesRepo;
  readonly signatures: SignaturesRepo;
  readonly outbox: OutboxStore;
  readonly outcomes: OutcomesRepo;
  readonly files: FilesRepo;
  /** The regulation's clock's events (sent to the backend by the step-reports stage). */
  readonly steps: StepEventsRepo;
  /** Refusals given at the counter (the queue counts those settled at sending). */
  readonly refusals: CounterRefusalsRepo;

  constructor(
    readonly db: Db,
    now: () => Date,
  ) {
    this.applicants = new ApplicantsRepo(db);
    this.requests = new RequestsRepo(db);
    this.history = new StatusHistoryRepo(db);
    this.documents = new DocumentsRepo(db);
    this.representatives = new RepresentativesRepo(db);
    this.signatures = new SignaturesRepo(db);
    this.outbox = new OutboxStore(db, now);
    this.outcomes = new OutcomesRepo(db);
    this.files = new FilesRepo(db);
    this.steps = new StepEventsRepo(db);
    this.refusals = new CounterRefusalsRepo(db);
  }
}
