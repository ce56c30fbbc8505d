/**
 * The regulation's clock, built for the host: the norms file (refused at start when broken), the
 * step log every service writes through, and the report service the handlers call.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Db } from '../db/database.js';
import type { RequestRow } from '../db/repos/requests.js';
import type { Logger } from '../host/logger-types.js';
import { Norms } from './norms.js';
import type { CentreFigures, CentreQuery } from '../gateway/step-reports.js';
import { centreSource } from './centre.js';
import { ReportService } from './report-service.js';
import { StepLog, systemClock, type StepClock } from './step-log.js';

export { Norms, NormsFileError } from './norms.js';
export { ReportService, type CentreSource } from './report-service.js';
export { StepLog, systemClock, type StepClock } from './step-log.js';

/**
 * The norms: already loaded and checked (the host loads them before anything opens, each quote
 * against the texts the catalogue was checked against: `Norms.load(file, services, { regulations })`),
 * or a file read here.
 */
type NormsSource = { norms: Norms } | { normsFile: string };

export function createReports(d: {
  db: Db;
  catalog: Catalog;
  workstationId: string;
  now: () => Date;
  clock?: StepClock;
  log: Logger;
  /** The backend's Centre report (null: this workstation only). */
  centre: ((q: CentreQuery) => Promise<CentreFigures>) | null;
  request: (id: string) => RequestRow;
  /** Whether the backend answered lately (the Centre is not asked while offline). */
  online?: () => boolean;
} & NormsSource): { steps: StepLog; reports: ReportService } {
  const norms = 'norms' in d ? d.norms : Norms.load(d.normsFile, d.catalog.services.map((s) => s.id));
  const steps = new StepLog(d.db, norms, { workstationId: d.workstationId, clock: d.clock ?? systemClock(d.now) });
  const centre = d.centre && centreSource({ ask: d.centre, norms, repo: steps.events, catalog: d.catalog, now: d.now });
  const reports = new ReportService(d.db, steps, d.catalog, { now: d.now, log: d.log, centre, request: d.request, ...(d.online ? { online: d.online } : {}) });
  return { steps, reports };
}
