import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Dashboard } from '../../src-main/contract/report';
import type { ExportFormat } from '../../src-main/contract/ops/report-export';
import { reportHeading, reportSheets, type SheetLanguage } from '../../src-main/contract/report-sheets';
import { call } from '../api/client';
import { printPaper } from '../api/print';
import { ParkedReports } from './ParkedReports';
import { ErrorBox } from '../components/ErrorBox';
import { almatyToday } from '../i18n/format';
import { useAction } from '../components/useAction';
import { SheetTable } from './SheetTable';
import { StepCharts } from './StepCharts';
import { mergedReport, useDashboardData } from './useDashboardData';
import './dashboard.css';

/** The tables that come with the second answer (report.lists). */
const LIST_SHEETS = new Set(['deadlines', 'queue', 'requests']);

type Preset = 'today' | 'week' | 'month' | 'custom';
type Scope = Dashboard['scope'];

function daysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

function download(file: { fileName: string; mime: string; dataBase64: string }): void {
  const bytes = Uint8Array.from(atob(file.dataBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The supervisor's dashboard: today and a chosen period, this workstation (offline) or the whole
 * Centre (online, from the licensing backend) and which of them it shows; counts per operator and
 * per service; each step's median and 95th percentile against its norm; deadlines near or past;
 * long queue waits; the Appendix 3 indicators; CSV, XLSX and a printed PDF of the same tables.
 */
export function DashboardScreen() {
  const { t, i18n } = useTranslation('dashboard');
  const lang = (['kk', 'ru', 'en'].includes(i18n.language) ? i18n.language : 'kk') as SheetLanguage;
  const today = almatyToday();
  const [preset, setPreset] = useState<Preset>('today');
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [scope, setScope] = useState<Scope>('workstation');
  const exporting = useAction();
  // The message's key and parameters, translated when drawn (it follows a change of UI language).
  const [exported, setExported] = useState<{ key: string; params?: Record<string, unknown> } | null>(null);
  const query = useMemo(() => ({ from, to, scope }), [from, to, scope]);
  const { figures, lists, refresh, showMore, busy, listsBusy, error } = useDashboardData(query);

  const choose = (p: Preset) => {
    setPreset(p);
    if (p === 'custom') return;
    setTo(today);
    setFrom(p === 'today' ? today : daysBefore(today, p === 'week' ? 6 : 29));
  };
  const exportAs = (format: ExportFormat) => {
    setExported(null);
    void exporting.run(async () => {
      const file = await call('report.export', { ...query, format, language: lang });
      if (format === 'pdf') setExported({ key: (await printPaper(file)) === 'printed' ? 'printed' : 'opened' });
      else {
        download(file);
        setExported({ key: 'saved', params: { name: file.fileName } });
      }
    });
  };

  const data = figures ? mergedReport(figures, lists) : null;
  const sheets = data ? reportSheets(data, lang) : [];
  const more: Record<string, { shown: number; total: number } | undefined> = lists
    ? { deadlines: { shown: lists.deadlines.length, total: lists.deadlinesTotal }, queue: { shown: lists.queueWaits.requests.length, total: lists.queueWaits.total } }
    : {};
  const heading = data ? reportHeading(data, lang) : null;
  return (
    <main data-testid="screen-dashboard" className="dashboard">
      <h1>{t('title')}</h1>
      {data && heading ? (
        <p className={`scope-banner scope-${data.scope}${data.scopeNote === 'centre_unreachable' ? ' scope-fallback' : ''}`} data-testid="dashboard-scope" data-scope={data.scope} data-note={data.scopeNote}>
          {heading.lines.map(([k, v]) => (
            <span key={k}>
              <strong>{k}:</strong> {v}
            </span>
          ))}
        </p>
      ) : null}
      <ParkedReports refresh={data} />
      <section className="card dashboard-controls">
        <div className="row" role="group" aria-label={t('period')}>
          {(['today', 'week', 'month', 'custom'] as const).map((p) => (
            <button key={p} type="button" className={preset === p ? 'active' : ''} aria-pressed={preset === p} onClick={() => choose(p)} data-testid={`period-${p}`}>
              {t(`presets.${p}`)}
            </button>
          ))}
          <label>
            {t('from')} <input type="date" value={from} max={to} onChange={(e) => (setPreset('custom'), setFrom(e.target.value))} data-testid="period-from" />
          </label>
          <label>
            {t('to')} <input type="date" value={to} min={from} onChange={(e) => (setPreset('custom'), setTo(e.target.value))} data-testid="period-to" />
          </label>
          <label>
            {t('scope')}{' '}
            <select value={scope} onChange={(e) => setScope(e.target.value as Scope)} data-testid="scope">
              <option value="workstation">{t('scopes.workstation')}</option>
              <option value="centre">{t('scopes.centre')}</option>
            </select>
          </label>
          <button type="button" onClick={refresh} disabled={busy} data-testid="dashboard-refresh">
            {t('refresh')}
          </button>
        </div>
        <div className="row">
          <span className="muted">{t('export')}:</span>
          {(['csv', 'xlsx', 'pdf'] as const).map((f) => (
            <button key={f} type="button" disabled={!data || exporting.busy} onClick={() => exportAs(f)} data-testid={`export-${f}`}>
              {t(`formats.${f}`)}
            </button>
          ))}
          {exported ? (
            <span className="ok" role="status" data-testid="export-done">
              {t(exported.key, exported.params)}
            </span>
          ) : null}
        </div>
        <ErrorBox error={error ?? exporting.error} />
      </section>
      {data ? (
        <>
          <StepsSection data={data} lang={lang} />
          {sheets.map((s) =>
            LIST_SHEETS.has(s.id) && !lists ? (
              <section key={s.id} className="card report-sheet" data-testid={`sheet-${s.id}-loading`} aria-busy="true">
                <h2>{s.title}</h2>
                <p className="muted">{t('loading')}</p>
              </section>
            ) : (
              <div key={s.id}>
                <SheetTable sheet={s} lang={lang} empty={t('empty')} />
                <ShowMore page={more[s.id]} busy={listsBusy} label={(p) => t('showMore', p)} onClick={showMore} testId={`more-${s.id}`} />
              </div>
            ),
          )}
        </>
      ) : null}
    </main>
  );
}

/** "Show more" under a list that holds fewer rows than there are. */
function ShowMore(props: { page: { shown: number; total: number } | undefined; busy: boolean; label: (p: { shown: number; total: number }) => string; onClick: () => void; testId: string }) {
  const p = props.page;
  if (!p || p.shown >= p.total) return null;
  return (
    <button type="button" className="show-more" disabled={props.busy} onClick={props.onClick} data-testid={props.testId}>
      {props.label(p)}
    </button>
  );
}

/** Each step's median and 95th percentile against the norm of a chosen service (or all services), drawn by Chart.js. */
function StepsSection({ data, lang }: { data: Dashboard; lang: SheetLanguage }) {
  const { t } = useTranslation('dashboard');
  const [chartService, setChartService] = useState<string>('');
  const services = data.byService;
  const chartSteps = data.steps.filter((s) => s.serviceId === (chartService || null));
  return (
    <section className="card" data-testid="dashboard-steps">
      <div className="row">
        <h2>{t('stepsTitle')}</h2>
        <span className="spacer" />
        <label>
          {t('service')}{' '}
          <select value={chartService} onChange={(e) => setChartService(e.target.value)} data-testid="chart-service">
            <option value="">{t('allServices')}</option>
            {services.map((s) => (
              <option key={s.serviceId} value={s.serviceId}>
                {s.name[lang]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {chartSteps.some((s) => s.count > 0) ? (
        <StepCharts
          steps={chartSteps}
          language={lang}
          labels={{ median: t('median'), p95: t('p95'), norm: t('norm'), over: t('overNorm'), seconds: t('seconds'), percent: '%' }}
        />
      ) : (
        <p className="muted">{t('noSteps')}</p>
      )}
      {!chartService ? <p className="hint">{t('normPerService')}</p> : null}
    </section>
  );
}
