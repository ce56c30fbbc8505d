/** The supervisor's report as a file (CSV, XLSX, PDF to print): src-main/reports/export. */
import { exportReport } from '../../reports/export/report-export.js';
import { reportHandlers } from './report.js';
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const reportExportHandlers = (s: HostServices) => {
  // The very dashboard the screen asks for (same defaults), then laid out as a file.
  const dashboard = reportHandlers(s)['report.dashboard'];
  return {
    'report.export': async ({ format, language, ...query }, ctx) => {
      const supervisor = operatorOf(ctx);
      return exportReport(await dashboard(query), { format, language, supervisor: supervisor.fullName }, {
        now: s.now,
        renderPdf: async (input) => (await import('../../papers/report-pdf.js')).renderReportPdf(input),
        storeForPrint: async (bytes) => {
          const stored = await s.files.put(bytes);
          s.requests.repos.files.release(stored.sha256, s.now().toISOString());
          return stored.sha256;
        },
      });
    },
  } satisfies DomainHandlers;
};
