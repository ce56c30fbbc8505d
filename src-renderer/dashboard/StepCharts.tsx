import { useEffect, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { Dashboard } from '../../src-main/contract/report';
import { percent, seconds, STEP_ORDER, stepName, type SheetLanguage } from '../../src-main/contract/report-sheets';

// Chart.js draws on a canvas and sets sizes through the DOM style API (no injected <style>, no
// eval): it runs under the renderer's CSP (style-src 'self', no 'unsafe-inline', no 'unsafe-eval').
Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

const BLUE = '#00628b';
const LIGHT = '#7fb3cc';
const NORM = '#c77700';
const RED = '#b3261e';

type Step = Dashboard['steps'][number];

function useChart(config: () => ConstructorParameters<typeof Chart>[1], deps: unknown[]) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config());
    return () => chart.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return canvas;
}

/**
 * Each step's median and 95th percentile (seconds) against the service's norm, and the share of
 * steps over the norm, for one service (or all services together: then no norm line, since norms
 * are per service).
 */
export function StepCharts(props: { steps: Step[]; language: SheetLanguage; labels: { median: string; p95: string; norm: string; over: string; seconds: string; percent: string } }) {
  const rows = STEP_ORDER.map((s) => props.steps.find((x) => x.step === s)).filter((x): x is Step => Boolean(x && x.count > 0));
  const names = rows.map((r) => stepName(r.step, props.language));
  const key = JSON.stringify([rows, props.language]);
  const times = useChart(
    () => ({
      type: 'bar',
      data: {
        labels: names,
        datasets: [
          { type: 'bar', label: props.labels.median, data: rows.map((r) => seconds(r.medianMs)), backgroundColor: BLUE },
          { type: 'bar', label: props.labels.p95, data: rows.map((r) => seconds(r.p95Ms)), backgroundColor: LIGHT },
          { type: 'line', label: props.labels.norm, data: rows.map((r) => seconds(r.normMs)), borderColor: NORM, backgroundColor: NORM, showLine: false, pointStyle: 'line', pointRadius: 22, pointBorderWidth: 3 },
        ],
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, title: { display: true, text: props.labels.seconds } } } },
    }),
    [key],
  );
  const over = useChart(
    () => ({
      type: 'bar',
      data: { labels: names, datasets: [{ label: props.labels.over, data: rows.map((r) => percent(r.overNormShare)), backgroundColor: RED }] },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, max: 100, title: { display: true, text: props.labels.percent } } } },
    }),
    [key],
  );
  return (
    <div className="charts">
      <figure className="chart" data-testid="chart-times">
        <canvas ref={times} role="img" aria-label={`${props.labels.median}, ${props.labels.p95}, ${props.labels.norm}`} />
      </figure>
      <figure className="chart" data-testid="chart-over">
        <canvas ref={over} role="img" aria-label={props.labels.over} />
      </figure>
    </div>
  );
}
