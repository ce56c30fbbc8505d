/**
 * report.export through the contract over real HTTP: the XLSX a supervisor downloads, opened by an
 * independent reader (exceljs), holds the very tables the dashboard screen draws from the same
 * period's report.dashboard; the CSV carries them too; the PDF is stored so print.pdf finds it.
 * An operator may not export.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateOf } from '../../../src-main/calendar/index.js';
import { reportSheets } from '../../../src-main/contract/report-sheets.js';
import { awaitWholeDay } from '../../support/centre-day.js';
import { presentRequiredDocuments, startStack, type Stack } from '../../support/stack.js';

let stack: Stack;
let today: string;
let query: { from: string; to: string; scope: 'workstation' };
beforeAll(async () => {
  // The requests below and the reports asked for "today" fall on one day of the Centre.
  await awaitWholeDay(60_000);
  today = localDateOf(new Date());
  query = { from: today, to: today, scope: 'workstation' };
  stack = await startStack({ signing: true });
  await stack.login();
  await stack.ok('applicant.lookup', { kind: 'iin', number: '900702400457' });
  const r = await stack.ok('request.create', { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4', applicant: { kind: 'iin', number: '900702400457', manualName: null } });
  await stack.ok('request.sign', { requestId: (await presentRequiredDocuments(stack, r)).id, password: 'Qwerty12' });
  const cancelled = await stack.ok('request.create', { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4', applicant: { kind: 'iin', number: '900702400457', manualName: null } });
  await stack.ok('request.cancel', { requestId: cancelled.id });
}, 180_000);
afterAll(async () => stack?.close());

describe('report.export', () => {
  it('is refused to an operator', async () => {
    const res = await stack.api('report.export', { ...query, format: 'xlsx', language: 'kk' });
    expect(res.ok ? null : res.error.code).toBe('FORBIDDEN');
  });

  it('gives an XLSX that another library reads back as the dashboard tables, figure for figure', { timeout: 60_000 }, async () => {
    await stack.ok('auth.login', { login: 'supervisor', password: 'supervisor123' });
    const dashboard = await stack.ok('report.dashboard', query);
    expect(dashboard.counts.today.accepted).toBe(1);
    const file = await stack.ok('report.export', { ...query, format: 'xlsx', language: 'ru' });
    expect(file.fileName).toBe(`qabyldau-report-${today}_${today}-workstation.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer);
    const sheets = reportSheets(dashboard, 'ru');
    expect(book.worksheets).toHaveLength(sheets.length);
    sheets.forEach((sheet, i) => {
      const rows: unknown[][] = [];
      book.worksheets[i]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      const table = rows.slice(rows.findIndex((r) => r[0] === sheet.columns[0]));
      expect(table[0], sheet.id).toEqual(sheet.columns);
      expect(table.slice(1).map((r) => sheet.columns.map((_, c) => r[c] ?? null)), sheet.id).toEqual(sheet.rows);
    });
    const summary = sheets.find((s) => s.id === 'summary')!.rows;
    expect(summary[0]).toEqual(['Принято', 1, 1]);
  });

  it('gives the same tables as CSV, and a PDF stored for printing', { timeout: 60_000 }, async () => {
    const csv = await stack.ok('report.export', { ...query, format: 'csv', language: 'kk' });
    const text = Buffer.from(csv.dataBase64, 'base64').toString('utf8');
    expect(text.startsWith('\uFEFFРегламент уақыты: басшының есебі')).toBe(true);
    expect(text).toContain('\r\nҚабылданды;1;1\r\n');
    const pdf = await stack.ok('report.export', { ...query, format: 'pdf', language: 'kk' });
    expect(Buffer.from(pdf.dataBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(await stack.ok('print.pdf', { sha256: pdf.sha256, printer: null })).toEqual({ method: 'open' });
  });
});
