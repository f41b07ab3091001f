/**
 * The period `botctl stats` reports on: whole UTC days (the daily_usage rows are per UTC day,
 * so messages and usage then cover the same span). `--since 30d` is the 30 days ending with
 * the last day; `--until` names the last day, inclusive; without it the period ends now.
 */
import { BotctlError } from './errors.js';
import type { StatsDay } from './ports/stats.js';

const DAY_MS = 86_400_000;
const MAX_DAYS = 3660;

export interface StatsPeriod {
  /** First instant (UTC midnight). */
  since: Date;
  /** End, exclusive: now, or the midnight after the --until day. */
  until: Date;
  /** UTC days from since to the last day, inclusive. */
  days: number;
}

function parseDay(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const ms = Date.parse(`${text}T00:00:00Z`);
  // Date.parse rolls 2025-02-30 over to March; a round trip catches it.
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text ? null : ms;
}

const usage = (flag: string, value: string, expected: string) =>
  new BotctlError('USAGE', `Invalid ${flag} "${value}": expected ${expected}`, {
    hint: 'e.g. --since 30d, --since 4w, --since 2025-06-01 --until 2025-06-30',
  });

export function parsePeriod(input: { since?: string; until?: string }, now: Date): StatsPeriod {
  let until = now.getTime();
  if (input.until !== undefined) {
    const day = parseDay(input.until.trim());
    if (day === null) throw usage('--until', input.until, 'a date (YYYY-MM-DD)');
    until = day + DAY_MS;
  }
  const lastDay = Math.floor((until - 1) / DAY_MS) * DAY_MS;
  const raw = (input.since ?? '30d').trim();
  const relative = /^(\d{1,5})([dw])$/i.exec(raw);
  let since: number | null;
  if (relative) {
    const days = Number(relative[1]) * (relative[2]!.toLowerCase() === 'w' ? 7 : 1);
    if (days < 1 || days > MAX_DAYS) throw usage('--since', raw, `1 to ${MAX_DAYS} days`);
    since = lastDay - (days - 1) * DAY_MS;
  } else {
    since = parseDay(raw);
    if (since === null)
      throw usage('--since', raw, 'a number of days (30d), weeks (4w) or a date (YYYY-MM-DD)');
  }
  if (since >= until) throw usage('--since', raw, 'a start before the end of the period');
  const days = Math.round((lastDay - since) / DAY_MS) + 1;
  if (days > MAX_DAYS) throw usage('--since', raw, `a period of at most ${MAX_DAYS} days`);
  return { since: new Date(since), until: new Date(until), days };
}

/** Every UTC day of the period, oldest first (YYYY-MM-DD). */
export function periodDayList(period: StatsPeriod): string[] {
  return Array.from({ length: period.days }, (_, i) =>
    new Date(period.since.getTime() + i * DAY_MS).toISOString().slice(0, 10),
  );
}

/** A day's stats row with nothing in it: a quiet day is zeros, never missing from a chart. */
export const emptyStatsDay = (day: string): StatsDay => ({
  day,
  activeUsers: 0,
  userMessages: 0,
  modelMessages: 0,
  tokensIn: 0,
  tokensOut: 0,
  errors: 0,
});
