/**
 * Every domain's handlers, composed into the one table the dispatcher serves. A new domain adds
 * a file here (`<domain>.ts` exporting `<domain>Handlers(services)`) and one line in DOMAINS.
 * The compiler rejects a table that misses an operation of the contract; composeHandlers rejects
 * an operation that two domains both handle.
 */
import type { OpName } from '../../contract/operations.js';
import type { Handlers } from '../dispatcher.js';
import { accountsHandlers } from './accounts.js';
import { appHandlers } from './app.js';
import { auditHandlers } from './audit.js';
import { applicantHandlers } from './applicant.js';
import { authHandlers } from './auth.js';
import { catalogueHandlers } from './catalogue.js';
import { pagesHandlers } from './pages.js';
import { papersHandlers } from './papers.js';
import { printHandlers } from './print.js';
import { queueHandlers } from './queue.js';
import { reportHandlers } from './report.js';
import { reportExportHandlers } from './report-export.js';
import { refusalHandlers } from './refusal.js';
import { requestHandlers } from './request.js';
import { resultHandlers } from './result.js';
import { scanHandlers } from './scan.js';
import type { DomainHandlers, HostServices } from './services.js';
import { settingsHandlers } from './settings.js';
import { signingHandlers } from './signing.js';

export type { HostServices } from './services.js';

const DOMAINS = {
  app: appHandlers,
  auth: authHandlers,
  accounts: accountsHandlers,
  catalogue: catalogueHandlers,
  applicant: applicantHandlers,
  request: requestHandlers,
  pages: pagesHandlers,
  scan: scanHandlers,
  papers: papersHandlers,
  print: printHandlers,
  settings: settingsHandlers,
  signing: signingHandlers,
  audit: auditHandlers,
  queue: queueHandlers,
  result: resultHandlers,
  report: reportHandlers,
  reportExport: reportExportHandlers,
  refusal: refusalHandlers,
};

type KeysOfEach<T> = T extends unknown ? keyof T : never;
type Handled = KeysOfEach<ReturnType<(typeof DOMAINS)[keyof typeof DOMAINS]>>;
/** Compile-time: every operation of the contract has a handler in some domain (names the missing ones). */
const everyOperationHandled: [Exclude<OpName, Handled>] extends [never] ? true : Exclude<OpName, Handled> = true;
void everyOperationHandled;

/** Merges the domains' handlers; two domains handling one operation is a programming error. */
export function composeHandlers(parts: Record<string, DomainHandlers>): Handlers {
  const all: Record<string, unknown> = {};
  const owner: Record<string, string> = {};
  for (const [domain, handlers] of Object.entries(parts)) {
    for (const [name, handler] of Object.entries(handlers)) {
      if (owner[name]) throw new Error(`operation ${name} is handled by both ${owner[name]} and ${domain}`);
      owner[name] = domain;
      all[name] = handler;
    }
  }
  return all as Handlers;
}

export function createHandlers(services: HostServices): Handlers {
  return composeHandlers(Object.fromEntries(Object.entries(DOMAINS).map(([domain, make]) => [domain, make(services)])));
}
