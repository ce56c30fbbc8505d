/**
 * The regulation's clock over a store fixture: the step log and the reports on the fixture's
 * store, and a request service that writes step events (the fixture's own writes none).
 */
import { Catalog } from '../../src-main/catalog/catalog.js';
import { assetPath } from '../../src-main/host/paths.js';
import { silentLogger } from '../../src-main/host/logger-types.js';
import { createReports } from '../../src-main/reports/index.js';
import type { ReportService } from '../../src-main/reports/report-service.js';
import type { StepClock, StepLog } from '../../src-main/reports/step-log.js';
import { RequestService } from '../../src-main/requests/request-service.js';
import type { StoreFixture } from './store-fixture.js';

export function withStepEvents(fx: StoreFixture, clock?: StepClock): { steps: StepLog; reports: ReportService; requests: RequestService } {
  const db = fx.store.db;
  const catalog = Catalog.load(assetPath('catalog', 'services.json'));
  const { steps, reports } = createReports({
    db,
    catalog,
    normsFile: assetPath('catalog', 'norms.json'),
    workstationId: 'W01',
    now: fx.now,
    ...(clock ? { clock } : {}),
    log: silentLogger,
    centre: null,
    request: (id) => fx.requests.row(id),
  });
  const requests = new RequestService(db, catalog, fx.applicants, fx.store.files, silentLogger, { centreCode: 'ALM-01', workstationId: 'W01', now: fx.now, steps });
  return { steps, reports, requests };
}
