/**
 * What the two StatsRepository implementations share: the period's UTC day strings, the
 * percentile arithmetic SQLite needs (Postgres has percentile_cont), and the shaping of
 * grouped rows into the port's types.
 */
import { utcDay } from '../../../domain/quota.js';
import { emptyStatsDay } from '../../../domain/stats-period.js';
import type { StatsDay, StatsSummary } from '../../../domain/ports/index.js';

export const DAY_MS = 86_400_000;

export interface PeriodDays {
  /** First and last UTC day of [since, until) as YYYY-MM-DD. */
  first: string;
  last: string;
  /** The day `n` days before the last one. */
  back(n: number): string;
}

export function periodDays(since: Date, until: Date): PeriodDays {
  const last = utcDay(new Date(until.getTime() - 1));
  return { first: utcDay(since), last, back: (n) => utcDay(new Date(Date.parse(last) - n * DAY_MS)) };
}

/** The day number (days since 1970-01-01 UTC) as YYYY-MM-DD. */
const dayFromNumber = (n: number): string => utcDay(new Date(n * DAY_MS));

/** Latencies are reported to 0.1 ms, so both dialects agree despite float noise. */
export const roundLatency = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 10) / 10;

/**
 * percentile_cont's position among n sorted values: the row at `offset` and the one after,
 * `frac` of the way between them.
 */
export function percentilePosition(n: number, p: number): { offset: number; frac: number } {
  const position = p * (n - 1);
  const offset = Math.floor(position);
  return { offset, frac: position - offset };
}

export function interpolate(values: readonly number[], frac: number): number | null {
  const [low, high] = values;
  if (low === undefined) return null;
  return high === undefined ? low : low + (high - low) * frac;
}

export interface ModelGroupRow {
  model: string | null;
  n: number | string;
  tokensIn: number | string | null;
  tokensOut: number | string | null;
  /** Answers with a latency (SQLite only: its percentiles need the count first). */
  timed?: number | string;
}

/** The user-message count and the answers grouped by model -> the port's shape, most tokens first. */
export function shapeMessages(
  userMessages: unknown,
  rows: readonly ModelGroupRow[],
): Pick<StatsSummary, 'messages' | 'models'> {
  const models = rows.map((row) => ({
    model: row.model,
    answers: Number(row.n),
    tokensIn: Number(row.tokensIn ?? 0),
    tokensOut: Number(row.tokensOut ?? 0),
  }));
  models.sort(
    (a, b) =>
      b.tokensIn + b.tokensOut - (a.tokensIn + a.tokensOut) || String(a.model).localeCompare(String(b.model)),
  );
  const answers = models.reduce((sum, m) => sum + m.answers, 0);
  return { messages: { user: Number(userMessages ?? 0), model: answers }, models };
}

/** Per-day rows of daily_usage (active users, tokens) and daily_errors, keyed by day string. */
export interface DayRows {
  usage: readonly {
    day: string;
    n: number | string;
    tokensIn: number | string | null;
    tokensOut: number | string | null;
  }[];
  errors: readonly { day: string; n: number | string | null }[];
  messages: readonly { d: number | string; user: number | string | null; model: number | string | null }[];
}

/** Merges per-day usage, error and message counts into one row per day, oldest first. */
export function mergeDays(rows: DayRows): StatsDay[] {
  const days = new Map<string, StatsDay>();
  const at = (day: string) => {
    let row = days.get(day);
    if (!row) days.set(day, (row = emptyStatsDay(day)));
    return row;
  };
  for (const row of rows.usage) {
    const day = at(row.day);
    day.activeUsers = Number(row.n);
    day.tokensIn = num(row.tokensIn);
    day.tokensOut = num(row.tokensOut);
  }
  for (const row of rows.errors) if (num(row.n) > 0) at(row.day).errors = num(row.n);
  for (const row of rows.messages) {
    // SQLite counts every day of the period; a day with no messages is left to the other rows.
    if (Number(row.user ?? 0) + Number(row.model ?? 0) === 0) continue;
    const day = at(dayFromNumber(Number(row.d)));
    day.userMessages = Number(row.user ?? 0);
    day.modelMessages = Number(row.model ?? 0);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/** Error counts grouped by code -> the summary's shape, most first (then by code, so both dialects agree). */
export function shapeErrors(
  rows: readonly { code: string; n: number | string | null }[],
): StatsSummary['errors'] {
  const byCode = rows
    .map((row) => ({ code: row.code, count: num(row.n) }))
    .filter((row) => row.count > 0)
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  return { total: byCode.reduce((sum, row) => sum + row.count, 0), byCode };
}

export const num = (value: unknown): number => Number(value ?? 0);
