import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { chartStyle } from '../cli/charts.js';
import { EXIT_CODES_HELP } from '../cli/exit-codes.js';
import type { JsonShape } from '../cli/json-shape.js';
import { renderStats } from '../cli/stats-render.js';
import { parsePeriod } from '../domain/stats-period.js';
import type { StatsReport } from '../services/stats/index.js';

const tokens = {
  model: 'string',
  answers: 'number',
  tokensIn: 'number',
  tokensOut: 'number',
  cost: 'number|null',
};

export default class Stats extends BaseCommand<typeof Stats> {
  static override summary = 'Users, messages, tokens, cost, latency and errors over a period';
  static override description =
    'Aggregated in the database over whole UTC days: users (total, new, active in 1/7/30 days), messages, ' +
    'voice minutes, images, tokens, estimated cost per model (price table: config `prices`, BOTCTL_PRICES; ' +
    'models without a price cost "unknown"), Gemini latency p50/p95, Telegram Stars earned by premium (refunds ' +
    'not counted), errors by code (failed requests: handler errors and failures answered with an apology, ' +
    'counted per day by the daemon), and daily charts of active users, messages, tokens and errors.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> stats',
    '<%= config.bin %> stats --since 7d',
    '<%= config.bin %> stats --since 2025-06-01 --until 2025-06-30 --json',
  ];
  static override flags = {
    since: Flags.string({
      description: 'start: days (30d), weeks (4w) or a date (YYYY-MM-DD)',
      default: '30d',
    }),
    until: Flags.string({ description: 'last day, inclusive (YYYY-MM-DD); default: up to now' }),
  };
  static jsonShape: JsonShape = {
    period: { since: 'string', until: 'string', days: 'number' },
    users: {
      total: 'number',
      new: 'number',
      banned: 'number',
      blocked: 'number',
      active: { day1: 'number', day7: 'number', day30: 'number' },
    },
    messages: { user: 'number', model: 'number' },
    voiceMinutes: 'number',
    images: 'number',
    searches: 'number',
    tokens: { in: 'number', out: 'number' },
    cost: {
      currency: 'string',
      estimated: 'number',
      complete: 'boolean',
      unknownModels: ['string'],
      byModel: [tokens],
      searches: { count: 'number', perThousand: 'number', cost: 'number' },
      unattributed: { tokensIn: 'number', tokensOut: 'number' },
    },
    latency: { samples: 'number', p50Ms: 'number|null', p95Ms: 'number|null' },
    stars: { earned: 'number', payments: 'number', refunded: 'number' },
    errors: { total: 'number', byCode: [{ code: 'string', count: 'number' }] },
    daily: [
      {
        day: 'string',
        activeUsers: 'number',
        userMessages: 'number',
        modelMessages: 'number',
        tokensIn: 'number',
        tokensOut: 'number',
        errors: 'number',
      },
    ],
  };

  async run(): Promise<StatsReport> {
    // A bad --since fails before the database is opened.
    const period = parsePeriod({ since: this.flags.since, until: this.flags.until }, new Date());
    const report = await (await this.useCase('stats')).report(period);
    const style = chartStyle(process.stdout, process.env, this.flags.color);
    for (const line of renderStats(report, style)) this.say(line);
    return report;
  }
}
