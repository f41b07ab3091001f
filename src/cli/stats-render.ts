/** The human form of `botctl stats`: a summary block, then the daily charts (or plain columns off a terminal). */
import type { StatsReport } from '../services/stats/index.js';
import { renderSeries, type ChartStyle } from './charts.js';

const n = (value: number) => value.toLocaleString('en-US');
const usd = (value: number) => `$${value.toFixed(6)}`;

function costLines(cost: StatsReport['cost']): string[] {
  const unknown = cost.complete ? '' : ` + unknown (${cost.unknownModels.join(', ')})`;
  const lines = [`Cost (USD)  ≈ ${usd(cost.estimated)}${unknown}, from stored answers`];
  const width = Math.max(0, ...cost.byModel.map((m) => m.model.length));
  for (const m of cost.byModel) {
    lines.push(
      `  ${m.model.padEnd(width)}  ${n(m.answers).padStart(7)} answers  ${n(m.tokensIn).padStart(12)} in  ` +
        `${n(m.tokensOut).padStart(11)} out  ${m.cost === null ? 'unknown' : usd(m.cost)}`,
    );
  }
  const { searches } = cost;
  if (searches.count > 0) {
    lines.push(
      `  grounded in Google Search: ${n(searches.count)} answers at $${searches.perThousand} per 1,000  ${usd(searches.cost)}`,
    );
  }
  const { tokensIn, tokensOut } = cost.unattributed;
  if (tokensIn + tokensOut > 0) {
    lines.push(
      `  not attributed to a model (images, speech, inline): ${n(tokensIn)} in / ${n(tokensOut)} out, not priced`,
    );
  }
  return lines;
}

function errorsLine(errors: StatsReport['errors']): string {
  if (errors.total === 0) return 'Errors      none';
  const codes = errors.byCode.map((e) => `${e.code} ${n(e.count)}`).join(', ');
  return `Errors      ${n(errors.total)} failed requests: ${codes}`;
}

export function renderStats(report: StatsReport, style: ChartStyle): string[] {
  const { users, messages, latency, period } = report;
  const last = new Date(Date.parse(period.until) - 1).toISOString().slice(0, 10);
  const ms = (value: number | null) => (value === null ? '-' : `${value} ms`);
  const lines = [
    `Stats ${period.since.slice(0, 10)} .. ${last} (${period.days} days, UTC)`,
    '',
    `Users       ${n(users.total)} total, ${n(users.new)} new; active ${n(users.active.day1)} (1d) / ` +
      `${n(users.active.day7)} (7d) / ${n(users.active.day30)} (30d); ${n(users.banned)} banned, ${n(users.blocked)} blocked`,
    `Messages    ${n(messages.user)} from users, ${n(messages.model)} answers`,
    `Voice       ${report.voiceMinutes} min`,
    `Images      ${n(report.images)}`,
    `Searches    ${n(report.searches)} answers grounded in Google Search`,
    `Tokens      ${n(report.tokens.in)} in / ${n(report.tokens.out)} out`,
    `Latency     p50 ${ms(latency.p50Ms)}, p95 ${ms(latency.p95Ms)} (${n(latency.samples)} answers)`,
    ...costLines(report.cost),
    `Stars       ${n(report.stars.earned)} earned from ${n(report.stars.payments)} premium payments` +
      (report.stars.refunded > 0 ? ` (${n(report.stars.refunded)} refunded, not counted)` : ''),
    errorsLine(report.errors),
    '',
  ];
  // Terminals get short MM-DD labels; pipes get whole dates for whatever reads them.
  const label = (day: string) => (style.tty && period.days <= 366 ? day.slice(5) : day);
  const series = (title: string, pick: (d: StatsReport['daily'][number]) => number) =>
    renderSeries(
      { title, points: report.daily.map((d) => ({ label: label(d.day), value: pick(d) })) },
      style,
    );
  return [
    ...lines,
    ...series('Daily active users', (d) => d.activeUsers),
    '',
    ...series('Messages per day (from users)', (d) => d.userMessages),
    '',
    ...series('Tokens per day (in + out)', (d) => d.tokensIn + d.tokensOut),
    '',
    ...series('Errors per day (failed requests)', (d) => d.errors),
  ];
}
