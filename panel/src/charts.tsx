/** Small SVG charts (no chart library: a few hundred bytes instead of tens of kilobytes). */
import { fmtNumber } from './i18n.js';

export interface Series {
  label: string;
  values: number[];
  className: string;
}

const W = 600;
const H = 160;
const PAD = 24;

/** Lines over days; the x labels are the first and last day. `name` marks the figure (data-name). */
export function LineChart(props: { title: string; name: string; days: string[]; series: Series[] }) {
  const max = Math.max(1, ...props.series.flatMap((s) => s.values));
  const n = Math.max(1, props.days.length - 1);
  const x = (i: number) => PAD + ((W - 2 * PAD) * i) / n;
  const y = (v: number) => H - PAD - ((H - 2 * PAD) * v) / max;
  return (
    <figure class="chart" data-chart="line" data-name={props.name}>
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title}>
        <line class="axis" x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} />
        <text x={PAD} y={PAD - 8} class="tick">
          {fmtNumber(max)}
        </text>
        {props.series.map((s) => (
          <polyline
            key={s.label}
            class={`series ${s.className}`}
            points={s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
          />
        ))}
        <text x={PAD} y={H - 6} class="tick">
          {props.days[0] ?? ''}
        </text>
        <text x={W - PAD} y={H - 6} class="tick end">
          {props.days.at(-1) ?? ''}
        </text>
      </svg>
      <div class="legend">
        {props.series.map((s) => (
          <span key={s.label} class={s.className}>
            {s.label}
          </span>
        ))}
      </div>
    </figure>
  );
}

/**
 * One vertical bar per day, scaled to the largest (counts that are mostly zero, like errors, read
 * better as bars than as a line on the floor). A quiet day keeps its slot: every day has a rect,
 * zero high, so the month's shape stays whole; each says its day and value on hover.
 */
export function DayBars(props: { title: string; name: string; days: string[]; values: number[] }) {
  const max = Math.max(1, ...props.values);
  const slot = (W - 2 * PAD) / Math.max(1, props.values.length);
  const height = (v: number) => ((H - 2 * PAD) * v) / max;
  return (
    <figure class="chart" data-chart="days" data-name={props.name}>
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title}>
        <line class="axis" x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} />
        <text x={PAD} y={PAD - 8} class="tick">
          {fmtNumber(max)}
        </text>
        {props.values.map((v, i) => (
          <rect
            key={props.days[i] ?? i}
            class="day-bar"
            data-value={v}
            x={(PAD + i * slot + slot * 0.15).toFixed(1)}
            y={(H - PAD - height(v)).toFixed(1)}
            width={(slot * 0.7).toFixed(1)}
            height={height(v).toFixed(1)}
          >
            <title>{`${props.days[i] ?? ''}: ${fmtNumber(v)}`}</title>
          </rect>
        ))}
        <text x={PAD} y={H - 6} class="tick">
          {props.days[0] ?? ''}
        </text>
        <text x={W - PAD} y={H - 6} class="tick end">
          {props.days.at(-1) ?? ''}
        </text>
      </svg>
    </figure>
  );
}

/** Horizontal bars, one per row, scaled to the largest. */
export function BarChart(props: { title: string; rows: { label: string; value: number; note?: string }[] }) {
  const max = Math.max(1, ...props.rows.map((r) => r.value));
  return (
    <figure class="chart" data-chart="bar">
      <figcaption>{props.title}</figcaption>
      {props.rows.map((r) => (
        <div class="bar-row" key={r.label}>
          <span class="bar-label">{r.label}</span>
          <svg viewBox="0 0 100 10" preserveAspectRatio="none" class="bar">
            <rect width={Math.max(0.5, (100 * r.value) / max)} height="10" />
          </svg>
          <span class="bar-value">
            {fmtNumber(r.value)}
            {r.note ? ` · ${r.note}` : ''}
          </span>
        </div>
      ))}
    </figure>
  );
}
