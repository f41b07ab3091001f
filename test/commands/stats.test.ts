/**
 * `botctl stats` as a process on SQLite and PostgreSQL over the fixed fixture: the --json
 * envelope with exact numbers, the plain form for pipes, the chart form on a terminal (a real
 * pty through script(1)), colour rules, and one-line failures.
 */
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, parseEnvelope, runCli } from '../helpers/cli.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { shapeMismatches } from '../helpers/json-shape.js';
import { EXPECTED_REPORT, seedStatsFixture } from '../helpers/stats-fixture.js';

const SLOW = 180_000;
const PERIOD = ['--since', '2025-06-01', '--until', '2025-06-07'];
const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[`);

let db: TestDatabase;
let env: Record<string, string>;
afterEach(async () => db?.cleanup());

/** The CLI on a pseudo-terminal: script(1) gives the child a pty and copies what it prints. */
async function inTerminal(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('BOTCTL_') && k !== 'NO_COLOR'),
  );
  const result = await execa('script', ['-qfc', command, '/dev/null'], {
    env: { ...base, ...env, TERM: 'xterm', ...extraEnv },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  expect(result.exitCode, result.stdout).toBe(0);
  return result.stdout.replaceAll('\r', '');
}

describe.each(DIALECTS)('botctl stats on %s (process)', (dialect) => {
  beforeEach(async () => {
    db = await openTestDatabase(dialect);
    await seedStatsFixture(db.repos);
    env = {
      BOTCTL_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-stats-')),
      BOTCTL_DATABASE_URL: db.url,
    };
  });

  it(
    'prints one envelope with the exact numbers, for a date range and the same range as days',
    async () => {
      const dates = await runCli(['stats', ...PERIOD, '--json'], env);
      expect(dates.exitCode, dates.stderr).toBe(0);
      expect(dates.stdout.trim().split('\n')).toHaveLength(1);
      const envelope = parseEnvelope(dates.stdout);
      expect(envelope).toEqual({ status: 'ok', result: EXPECTED_REPORT, warnings: [] });
      expect(shapeMismatches('stats', envelope.result)).toEqual([]);
      const days = parseEnvelope(
        (await runCli(['stats', '--since', '7d', '--until', '2025-06-07', '--json'], env)).stdout,
      );
      expect(days.result).toEqual(EXPECTED_REPORT);
    },
    SLOW,
  );

  it(
    'prices models from BOTCTL_PRICES by longest prefix, and defaults to the last 30 days',
    async () => {
      const prices = JSON.stringify({
        gemini: { inputPerMillion: 100, outputPerMillion: 100 },
        'gemini-2.5': { inputPerMillion: 1, outputPerMillion: 2 },
        mystery: { inputPerMillion: 10, outputPerMillion: 10 },
      });
      const priced = parseEnvelope(
        (
          await runCli(['stats', ...PERIOD, '--json'], {
            ...env,
            BOTCTL_PRICES: prices,
            BOTCTL_SEARCH_PRICE_PER_THOUSAND: '10',
          })
        ).stdout,
      );
      expect(priced.result).toMatchObject({
        cost: {
          // The models' 0.01842, and 3 grounded answers at $10 per 1,000.
          estimated: 0.04842,
          searches: { count: 3, perThousand: 10, cost: 0.03 },
          complete: true,
          unknownModels: [],
          byModel: [{ cost: 0.012 }, { cost: 0.00532 }, { model: 'mystery-model', cost: 0.0011 }],
        },
      });
      const recent = parseEnvelope((await runCli(['stats', '--json'], env)).stdout)
        .result as typeof EXPECTED_REPORT;
      expect(recent.period.days).toBe(30);
      expect(recent.daily).toHaveLength(30);
      const lastDay = new Date(Date.parse(recent.period.until) - 1).toISOString().slice(0, 10);
      expect(recent.daily.at(-1)?.day).toBe(lastDay);
      expect(Date.parse(recent.period.since)).toBe(Date.parse(lastDay) - 29 * 86_400_000);
      expect(recent).toMatchObject({
        users: { total: 6, new: 0 },
        messages: { user: 0, model: 0 },
        latency: { samples: 0 },
      });
    },
    SLOW,
  );

  it(
    'prints plain lines when stdout is not a terminal: no colour, no chart glyphs',
    async () => {
      const result = await runCli(['stats', ...PERIOD], { ...env, NO_COLOR: undefined });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).not.toMatch(ANSI);
      expect(result.stdout).not.toMatch(/[▁-█]/);
      const lines = result.stdout.split('\n');
      expect(lines).toContain(
        'Users       5 total, 2 new; active 2 (1d) / 3 (7d) / 4 (30d); 1 banned, 1 blocked',
      );
      expect(lines).toContain('Latency     p50 250 ms, p95 470 ms (4 answers)');
      expect(lines).toContain('Stars       350 earned from 3 premium payments (1 refunded, not counted)');
      expect(lines).toContain('Cost (USD)  ≈ $0.130255 + unknown (mystery-model), from stored answers');
      expect(lines).toContain('Searches    3 answers grounded in Google Search');
      expect(lines).toContain('  grounded in Google Search: 3 answers at $35 per 1,000  $0.105000');
      expect(lines).toContain(
        '  not attributed to a model (images, speech, inline): 500 in / 20 out, not priced',
      );
      const chart = lines.slice(lines.indexOf('Daily active users'), lines.indexOf('Daily active users') + 8);
      expect(chart).toEqual([
        'Daily active users',
        '2025-06-01  1',
        '2025-06-02  0',
        '2025-06-03  1',
        '2025-06-04  0',
        '2025-06-05  1',
        '2025-06-06  0',
        '2025-06-07  2',
      ]);
      expect(lines).toContain(
        'Errors      4 failed requests: GEMINI_UNAVAILABLE 2, GEMINI_BLOCKED 1, INTERNAL 1',
      );
      const after = (title: string) => lines.slice(lines.indexOf(title) + 1, lines.indexOf(title) + 8);
      expect(after('Tokens per day (in + out)')).toEqual([
        '2025-06-01  1200',
        '2025-06-02  0',
        '2025-06-03  3400',
        '2025-06-04  0',
        '2025-06-05  11520',
        '2025-06-06  0',
        '2025-06-07  220',
      ]);
      expect(after('Errors per day (failed requests)')).toEqual([
        '2025-06-01  3',
        '2025-06-02  0',
        '2025-06-03  0',
        '2025-06-04  1',
        '2025-06-05  0',
        '2025-06-06  0',
        '2025-06-07  0',
      ]);
    },
    SLOW,
  );

  it(
    'draws charts on a terminal, coloured unless NO_COLOR or --no-color',
    async () => {
      const colour = await inTerminal(['stats', ...PERIOD]);
      expect(colour).toContain('Daily active users  \u001b[36m▅▁▅▁▅▁█\u001b[0m');
      expect(colour).toMatch(new RegExp(`^06-07 2 ${ESC}\\[36m█+${ESC}\\[0m$`, 'm'));
      expect(colour).toMatch(/^06-02 0$/m);
      for (const plain of [
        await inTerminal(['stats', ...PERIOD], { NO_COLOR: '1' }),
        await inTerminal(['stats', ...PERIOD, '--no-color']),
      ]) {
        expect(plain).not.toMatch(ANSI);
        expect(plain).toContain('Daily active users  ▅▁▅▁▅▁█  max 2');
        expect(plain).toContain('Messages per day (from users)  █▁█▁█▁█  max 1');
        expect(plain).toContain('Tokens per day (in + out)  ▂▁▃▁█▁▁  max 11520');
        expect(plain).toContain('Errors per day (failed requests)  █▁▁▃▁▁▁  max 3');
      }
    },
    SLOW,
  );

  it(
    'rejects a bad --since or --until in one line with exit 2, before touching the database',
    async () => {
      for (const args of [
        ['--since', 'yesterday'],
        ['--since', '0d'],
        ['--until', '2025-02-30'],
        ['--since', '2025-06-09', '--until', '2025-06-07'],
      ]) {
        const result = await runCli(['stats', ...args], env);
        expect(result.exitCode, args.join(' ')).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(/Invalid --(since|until) "/);
      }
      const json = await runCli(['stats', '--since', 'soon', '--json'], {
        ...env,
        BOTCTL_DATABASE_URL: 'postgres://127.0.0.1:1/x',
      });
      expect(json.exitCode).toBe(2);
      expect(parseEnvelope(json.stdout)).toMatchObject({ status: 'error', error: { code: 'USAGE' } });
    },
    SLOW,
  );
});

describe('botctl stats failures', () => {
  it(
    'reports an unreachable database in one line with exit 1',
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-stats-'));
      const result = await runCli(['stats'], {
        BOTCTL_DATA_DIR: dataDir,
        BOTCTL_DATABASE_URL: 'postgres://127.0.0.1:1/x',
      });
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/Error: Cannot reach PostgreSQL at postgres:\/\/127\.0\.0\.1:1\/x/);
      const json = await runCli(['stats', '--json'], {
        BOTCTL_DATA_DIR: dataDir,
        BOTCTL_DATABASE_URL: 'postgres://127.0.0.1:1/x',
      });
      expect(parseEnvelope(json.stdout)).toMatchObject({
        status: 'error',
        error: { code: 'DATABASE_UNREACHABLE' },
      });
    },
    SLOW,
  );
});
