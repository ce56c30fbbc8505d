/**
 * What the domains' handlers are given: the service graph createHost builds, and the shell's
 * options. A handler validates nothing (the dispatcher did) and decides nothing (the services do):
 * it picks the caller's operator from the session, calls a service, and shapes the answer.
 */
import type { ApplicantService } from '../../applicant/applicant-service.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { ReadAudit } from '../../audit/read-audit.js';
import type { AccountService } from '../../auth/accounts.js';
import type { AuthService, Session } from '../../auth/auth-service.js';
import type { Catalog } from '../../catalog/catalog.js';
import { AppError } from '../../contract/errors.js';
import type { Papers } from '../../papers/papers-client.js';
import type { ContentStore } from '../../files/content-store.js';
import type { CounterRefusals } from '../../requests/counter-refusals.js';
import type { PaperDesk } from '../../requests/paper-desk.js';
import type { RequestService } from '../../requests/request-service.js';
import type { ResultService } from '../../requests/results.js';
import type { SyncEngine } from '../../sync/sync-engine.js';
import type { ReportService } from '../../reports/report-service.js';
import type { StepLog } from '../../reports/step-log.js';
import type { Config } from '../config.js';
import type { CallContext, Handlers } from '../dispatcher.js';
import type { Logger } from '../logger-types.js';
import type { Scanning } from '../scanning.js';
import type { SigningSettings } from '../signing-settings.js';
import type { HostOptions } from '../host-options.js';

export interface HostServices {
  config: Config;
  /** The shell's options (shell kind, printer, quit, where the configuration came from). */
  opts: HostOptions;
  log: Logger;
  now: () => Date;
  audit: AuditLog;
  /** Reads of personal data, written to the audit trail (who, what, when). */
  reads: ReadAudit;
  auth: AuthService;
  accounts: AccountService;
  catalog: Catalog;
  applicants: ApplicantService;
  requests: RequestService;
  files: ContentStore;
  docs: Papers;
  papers: PaperDesk;
  results: ResultService;
  /** Refusals at the counter (P4, incomplete or expired documents) as records. */
  refusals: CounterRefusals;
  sync: SyncEngine;
  signing: SigningSettings;
  /** The scanner worker and file import, loaded on first use. */
  scanning: () => Promise<Scanning>;
  /** The regulation's clock: step events and the supervisor's reports. */
  steps: StepLog;
  reports: ReportService;
  /** Runs a registry call; when the registry is unreachable, asks the sync engine to probe now. */
  registry: <T>(call: () => Promise<T>) => Promise<T>;
}

/** The handlers of one domain: a subset of the contract's operations. */
export type DomainHandlers = Partial<Handlers>;

/** The logged-in operator of the call (the dispatcher has checked access already). */
export function operatorOf(ctx: CallContext) {
  if (!ctx.session) throw new AppError('UNAUTHENTICATED');
  return ctx.session.operator;
}

/** A session as the contract shows it (no IIN, no times). */
export function sessionState(s: Session | null) {
  return {
    operator: s ? { id: s.operator.id, login: s.operator.login, fullName: s.operator.fullName, role: s.operator.role } : null,
    locked: s?.locked ?? false,
    mustChangePassword: s?.mustChangePassword ?? false,
  };
}
