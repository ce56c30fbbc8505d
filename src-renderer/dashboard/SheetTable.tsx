import type { Sheet, SheetValue } from '../../src-main/contract/report-sheets';

const LOCALES: Record<string, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

/** A figure as the screen shows it: the report's rounded number in the UI language's way. */
export function formatFigure(v: SheetValue, lang: string): string {
  if (v === null) return '—';
  if (typeof v === 'number') return new Intl.NumberFormat(LOCALES[lang] ?? 'kk-KZ', { maximumFractionDigits: 1 }).format(v);
  return v;
}

/** One table of the report (the same table the CSV, XLSX and PDF hold). */
export function SheetTable({ sheet, lang, empty }: { sheet: Sheet; lang: string; empty: string }) {
  return (
    <section className="card report-sheet" data-testid={`sheet-${sheet.id}`}>
      <h2>{sheet.title}</h2>
      {sheet.rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                {sheet.columns.map((c, i) => (
                  <th key={i} className={sheet.numeric[i] ? 'num' : undefined} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sheet.rows.map((r, i) => (
                <tr key={i} data-testid="sheet-row">
                  {r.map((v, c) => (
                    <td key={c} className={sheet.numeric[c] ? 'num' : undefined} data-value={v ?? ''}>
                      {formatFigure(v, lang)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
