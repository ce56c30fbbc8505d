/** The printed report: a valid PDF whose text (as pdftotext reads it) carries the screen's figures in Kazakh and Russian. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportHeading, reportSheets } from '../../../src-main/contract/report-sheets.js';
import { renderReportPdf } from '../../../src-main/papers/report-pdf.js';
import { dashboardFixture } from '../../support/dashboard-fixture.js';
import { pdfText, qpdfCheck } from '../../support/pdf-tools.js';

const dir = mkdtempSync(join(tmpdir(), 'report-pdf-'));
afterAll(() => (process.env.KEEP_PDF ? console.log(dir) : rmSync(dir, { recursive: true, force: true })));

describe('the printed report', () => {
  for (const language of ['kk', 'ru'] as const) {
    it(`is a valid PDF with the heading, the tables and their figures (${language})`, { timeout: 60_000 }, async () => {
      const d = dashboardFixture();
      const sheets = reportSheets(d, language);
      const pdf = await renderReportPdf({ heading: reportHeading(d, language), sheets, language, supervisor: 'Supervisor', printedAt: new Date('2026-12-02T08:00:00Z') });
      const file = join(dir, `report-${language}.pdf`);
      writeFileSync(file, pdf);
      await qpdfCheck(file);
      const text = (await pdfText(file)).replace(/\s+/g, ' ');
      expect(text).toContain(reportHeading(d, language).title);
      for (const s of sheets) expect(text).toContain(s.title.split(' ')[0]);
      expect(text).toContain('ALA-0001');
      expect(text).toContain('33.3'); // P5 over norm, %
      expect(text).toContain('1900'); // P5 p95, s
    });
  }
});
