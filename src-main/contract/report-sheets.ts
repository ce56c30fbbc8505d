/**
 * The supervisor's report as tables, written once: the dashboard's tables on screen, the CSV, the
 * XLSX and the printed PDF are all made from `reportSheets(dashboard, language)`, so the figures a
 * supervisor reads on screen are the figures in every export (rounded here, nowhere else).
 *
 * Pure code with no dependencies (a type-only import of the contract), importable by the renderer.
 */
import type { Dashboard } from './report.js';
import { STEP_ORDER, WORDS, type OutcomeKey, type SheetId, type SheetLanguage, type StepKey, type Words } from './report-words.js';

export { STEP_ORDER, type SheetId, type SheetLanguage } from './report-words.js';

export type SheetValue = string | number | null;

export interface Sheet {
  id: SheetId;
  title: string;
  columns: string[];
  /** Which columns hold numbers (right-aligned, numeric cells in the XLSX). */
  numeric: boolean[];
  rows: SheetValue[][];
}

export interface ReportHeading {
  title: string;
  /** [label, value] lines: scope, period, as of, workstations. */
  lines: [string, string][];
}

const OUTCOMES: OutcomeKey[] = ['accepted', 'refusedIncomplete', 'refusedP4', 'registered', 'decided', 'issued'];

/** Milliseconds as seconds with one decimal (the only rounding of durations in the report). */
export function seconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 100) / 10;
}

/** A share 0..1 as a percentage with one decimal. */
export function percent(share: number | null): number | null {
  return share === null ? null : Math.round(share * 1000) / 10;
}

const ALMATY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

/** A moment as the Centre's wall clock reads it: "2026-12-02 13:00" (Almaty). */
export function almatyTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : ALMATY.format(d);
}

export function stepName(step: string, lang: SheetLanguage): string {
  return WORDS[lang].steps[step as StepKey] ?? step;
}

export function outcomeName(key: OutcomeKey, lang: SheetLanguage): string {
  return WORDS[lang].outcomes[key];
}

export function reportWords(lang: SheetLanguage): Readonly<Words> {
  return WORDS[lang];
}

export function reportHeading(d: Dashboard, lang: SheetLanguage): ReportHeading {
  const w = WORDS[lang];
  const scope = d.scopeNote === 'centre_unreachable' ? `${w.scopes[d.scope]} — ${w.centreUnreachable}` : w.scopes[d.scope];
  return {
    title: w.title,
    lines: [
      [w.scope, scope],
      [w.period, d.period.from === d.period.to ? d.period.from : `${d.period.from} — ${d.period.to}`],
      [w.asOf, almatyTime(d.asOf)],
      [w.workstations, String(d.workstations)],
    ],
  };
}

const counts = (c: Dashboard['counts']['today']): number[] => OUTCOMES.map((k) => c[k]);

export function reportSheets(d: Dashboard, lang: SheetLanguage): Sheet[] {
  const w = WORDS[lang];
  const serviceName = new Map(d.byService.map((s) => [s.serviceId, s.name[lang]]));
  const operatorName = new Map(d.byOperator.map((o) => [o.operatorId, o.name]));
  const svc = (id: string | null) => (id === null ? w.allServices : (serviceName.get(id) ?? id));
  const num = (n: number, text: number) => [...Array<boolean>(text).fill(false), ...Array<boolean>(n).fill(true)];
  const countColumns = OUTCOMES.map((k) => w.outcomes[k]);
  const breakdown = (id: SheetId, who: string, rows: SheetValue[][]): Sheet => ({ id, title: w.sheets[id], columns: [who, ...countColumns], numeric: num(6, 1), rows });
  const steps = [...d.steps].sort((a, b) => (a.serviceId ?? '').localeCompare(b.serviceId ?? '') || STEP_ORDER.indexOf(a.step) - STEP_ORDER.indexOf(b.step));
  return [
    {
      id: 'summary',
      title: w.sheets.summary,
      columns: [w.figure, w.today, w.inPeriod],
      numeric: num(2, 1),
      rows: OUTCOMES.map((k) => [w.outcomes[k], d.counts.today[k], d.counts.period[k]]),
    },
    breakdown('operatorsToday', w.operator, d.byOperator.map((o) => [o.name, ...counts(o.today)])),
    breakdown('operatorsPeriod', w.operator, d.byOperator.map((o) => [o.name, ...counts(o.period)])),
    breakdown('servicesToday', w.service, d.byService.map((s) => [s.name[lang], ...counts(s.today)])),
    breakdown('servicesPeriod', w.service, d.byService.map((s) => [s.name[lang], ...counts(s.period)])),
    {
      id: 'steps',
      title: w.sheets.steps,
      columns: [w.service, w.step, w.count, w.medianS, w.p95S, w.normS, w.overNormPct, w.latencyS],
      numeric: num(6, 2),
      rows: steps.map((s) => [svc(s.serviceId), stepName(s.step, lang), s.count, seconds(s.medianMs), seconds(s.p95Ms), seconds(s.normMs), percent(s.overNormShare), seconds(s.appLatency.medianMs)]),
    },
    {
      id: 'deadlines',
      title: w.sheets.deadlines,
      columns: [w.localNumber, w.service, w.status, w.dueDate, w.unit, w.state, w.daysLeft],
      numeric: [false, false, false, false, false, false, true],
      rows: d.deadlines.map((x) => [x.localNumber, svc(x.serviceId), w.statuses[x.status] ?? x.status, x.dueDate, w.units[x.unit], w.states[x.state], x.daysLeft]),
    },
    {
      id: 'queue',
      title: `${w.sheets.queue} (> ${d.queueWaits.thresholdMinutes} ${w.minutes})`,
      columns: [w.localNumber, w.service, w.queuedAt, w.waitMin],
      numeric: num(1, 3),
      rows: d.queueWaits.requests.map((q) => [q.localNumber, svc(q.serviceId), almatyTime(q.queuedAt), Math.round(q.waitMs / 6000) / 10]),
    },
    {
      id: 'indicators',
      title: w.sheets.indicators,
      columns: [w.service, w.question, ...w.answers, w.total, w.satisfiedPct],
      numeric: num(5, 2),
      rows: d.indicators.map((i) => [svc(i.serviceId), w.questions[i.question], i.answers['1'], i.answers['2'], i.answers['3'], i.total, percent(i.satisfiedShare)]),
    },
    {
      id: 'requests',
      title: w.sheets.requests,
      columns: [w.localNumber, w.service, w.operator, w.at, w.outcome, w.marks, ...STEP_ORDER.map((s) => `${stepName(s, lang).split(' ')[0]}, s`)],
      numeric: num(STEP_ORDER.length, 6),
      rows: d.requests.map((r) => {
        // A step met twice (a second scan, a re-opened request) counts with its total time.
        const ms = new Map<string, number>();
        for (const s of r.steps) ms.set(s.step, (ms.get(s.step) ?? 0) + s.ms);
        return [
          r.localNumber ?? '—',
          svc(r.serviceId),
          operatorName.get(r.operatorId) ?? r.operatorId,
          almatyTime(r.at),
          w.requestOutcomes[r.outcome],
          r.marks.length ? r.marks.map((m) => w.markWords[m]).join(', ') : null,
          ...STEP_ORDER.map((s) => seconds(ms.get(s) ?? null)),
        ];
      }),
    },
  ];
}
