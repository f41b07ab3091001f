/**
 * Small terminal charts with no dependency: a sparkline and horizontal bars for a terminal,
 * a plain table for pipes and cron logs. Colour only on a terminal, never with NO_COLOR or
 * --no-color.
 */

export interface ChartStyle {
  /** A terminal: draw block characters; otherwise print plain columns. */
  tty: boolean;
  color: boolean;
  /** Terminal width in columns. */
  width: number;
}

export interface Series {
  title: string;
  points: { label: string; value: number }[];
}

const SPARKS = '▁▂▃▄▅▆▇█';
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const CYAN = '\u001b[36m';
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

export function chartStyle(
  stream: { isTTY?: boolean; columns?: number },
  env: Record<string, string | undefined>,
  colorFlag: boolean,
): ChartStyle {
  const tty = stream.isTTY === true;
  return {
    tty,
    color: tty && colorFlag && env.NO_COLOR === undefined,
    width: Math.max(40, Math.min(stream.columns || 80, 160)),
  };
}

/** One character per value, scaled to the largest; all-zero input is a flat baseline. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((v) => (max === 0 ? SPARKS[0] : SPARKS[Math.min(7, Math.max(0, Math.round((v / max) * 7)))]))
    .join('');
}

/** A bar of `value / max` of `width` cells, in eighths of a cell. */
export function bar(value: number, max: number, width: number): string {
  if (max <= 0 || value <= 0) return '';
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

const paint = (text: string, code: string, style: ChartStyle) =>
  style.color && text !== '' ? `${code}${text}${RESET}` : text;

/**
 * A series as lines: on a terminal a titled sparkline, then one bar per point when there are
 * few enough to read (a month); elsewhere "label value" lines.
 */
export function renderSeries(series: Series, style: ChartStyle): string[] {
  const values = series.points.map((p) => p.value);
  const max = Math.max(0, ...values);
  if (!style.tty) return [series.title, ...series.points.map((p) => `${p.label}  ${p.value}`)];
  const lines = [
    `${series.title}  ${paint(sparkline(values), CYAN, style)}  ${paint(`max ${max}`, DIM, style)}`,
  ];
  if (series.points.length > 31) return lines;
  const labelWidth = Math.max(...series.points.map((p) => p.label.length));
  const valueWidth = String(max).length;
  const barWidth = Math.max(10, style.width - labelWidth - valueWidth - 4);
  for (const point of series.points) {
    const drawn = paint(bar(point.value, max, barWidth), CYAN, style);
    lines.push(
      `${point.label.padEnd(labelWidth)} ${String(point.value).padStart(valueWidth)} ${drawn}`.trimEnd(),
    );
  }
  return lines;
}
