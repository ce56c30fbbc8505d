/**
 * The report's tables (one layout for the screen, CSV, XLSX and PDF) and the files made from them:
 * the XLSX is read back with a second, independent reader (exceljs) and holds the same figures.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { percent, reportHeading, reportSheets, seconds } from '../../../src-main/contract/report-sheets.js';
import { reportCsv, reportXlsx, worksheetNames } from '../../../src-main/reports/export/tables.js';
import { dashboardFixture } from '../../support/dashboard-fixture.js';

describe('the report tables', () => {
  const d = dashboardFixture();

  it('round durations to tenths of a second and shares to tenths of a percent, once', () => {
    expect(seconds(41_250)).toBe(41.3);
    expect(seconds(118_960)).toBe(119);
    expect(percent(1 / 3)).toBe(33.3);
    expect(seconds(null)).toBeNull();
  });

  it('lay out the steps against their norms, per service, in Diagram 3 order', () => {
    const steps = reportSheets(d, 'ru').find((s) => s.id === 'steps')!;
    expect(steps.rows).toEqual([
      ['Все услуги', 'П2 Выбор услуги', 4, 41.3, 119, null, 25, 0.2],
      ['Разрешение на эмиссии', 'П2 Выбор услуги', 4, 41.3, 119, 120, 25, null],
      ['Разрешение на эмиссии', 'П5 Документы, сканирование, ЭЦП', 3, 605, 1900, 1800, 33.3, null],
    ]);
  });

  it('add up a step met twice in one request and name a P4 refusal without a request', () => {
    const rows = reportSheets(d, 'kk').find((s) => s.id === 'requests')!.rows;
    expect(rows[0]!.slice(0, 5)).toEqual(['ALA-0001', 'Шығарындыларға рұқсат', 'Омаров Ерлан Серікұлы', '2026-12-02 09:00', 'Қабылданды']);
    expect(rows[0]![6 + 4]).toBe(605); // P5 = 300 s + 305 s
    expect(rows[1]!.slice(0, 1)).toEqual(['—']);
    expect(rows[1]![4]).toBe('Бас тарту (П4)');
  });

  it('say which scope the figures cover, and when the Centre could not be reached', () => {
    expect(reportHeading(d, 'kk').lines[0]).toEqual(['Қамту', 'Осы жұмыс орны']);
    const fallback = reportHeading(dashboardFixture({ scopeNote: 'centre_unreachable' }), 'ru').lines[0]![1];
    expect(fallback).toContain('Данные Центра не получены');
  });
});

describe('the report files', () => {
  const d = dashboardFixture();

  it('CSV: BOM, semicolons, every table under its title, formula-looking text defused', () => {
    const named = dashboardFixture({ byOperator: [{ ...d.byOperator[0]!, name: '=HYPERLINK("x")' }] });
    const csv = reportCsv(reportHeading(named, 'en'), reportSheets(named, 'en'));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('\r\nSummary\r\nFigure;Today;Period\r\nAccepted;2;9\r\n');
    expect(csv).toContain(`"'=HYPERLINK(""x"")";2;1;1;1;0;0`);
  });

  it('XLSX: read back by another library, every worksheet holds the tables as numbers and text', async () => {
    const sheets = reportSheets(d, 'kk');
    const buffer = await reportXlsx(reportHeading(d, 'kk'), sheets);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(worksheetNames(sheets));
    sheets.forEach((sheet, i) => {
      const ws = book.worksheets[i]!;
      const values: unknown[][] = [];
      ws.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
      const table = i === 0 ? values.slice(values.findIndex((r) => r[0] === sheet.columns[0])) : values;
      expect(table[0]).toEqual(sheet.columns);
      expect(table.slice(1).map((r) => sheet.columns.map((_, c) => r[c] ?? null))).toEqual(sheet.rows);
    });
    expect(book.worksheets[0]!.getCell('A1').value).toBe('Регламент уақыты: басшының есебі');
  });

  it('worksheet names keep to Excel’s rules', () => {
    const names = worksheetNames([
      { id: 'summary', title: 'A/B: very long title that goes past thirty-one characters', columns: [], numeric: [], rows: [] },
      { id: 'steps', title: 'A/B: very long title that goes past thirty-one characters', columns: [], numeric: [], rows: [] },
    ]);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(31);
    expect(names[0]).not.toMatch(/[[\]:*?/\\]/);
    expect(new Set(names).size).toBe(2);
  });
});
