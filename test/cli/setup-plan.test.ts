/**
 * Setup's planning in-process: the wizard driven by a scripted prompter and the unattended
 * path, both with probes that answer like Telegram, Gemini, a database and Redis would.
 * The same flows run as real processes (and in a real terminal) in test/commands/setup*.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/adapters/db/url.js';
import type { Probes } from '../../src/probes/probes.js';
import type { Given } from '../../src/cli/option-flags.js';
import { PromptCancelled, type Prompter } from '../../src/cli/prompter.js';
import { planInteractive, planUnattended, type PlanInput } from '../../src/cli/setup/plan.js';
import { BotctlError } from '../../src/domain/errors.js';
import type { OptionKey } from '../../src/config/schema.js';

const GOOD_TOKEN = '42:GOODtokenGOODtokenGOODtoken';
const GOOD_KEY = 'good-gemini-key-123';

function fakeProbes(calls: string[] = []): Probes {
  const reject = (code: 'TELEGRAM_UNAUTHORIZED' | 'GEMINI_UNAUTHORIZED', message: string) =>
    Promise.reject(new BotctlError(code, message));
  return {
    async telegramBot({ token }) {
      calls.push('getMe');
      return token === GOOD_TOKEN
        ? { id: 42, username: 'plan_bot' }
        : reject('TELEGRAM_UNAUTHORIZED', 'Telegram rejected the bot token');
    },
    telegramWebhook: async () => ({ url: '', pendingUpdates: 0, lastError: null, lastErrorAt: null }),
    async sendMessage() {
      calls.push('sendMessage');
    },
    async geminiModels({ apiKey }) {
      calls.push('listModels');
      if (apiKey !== GOOD_KEY) return reject('GEMINI_UNAUTHORIZED', 'Gemini rejected the API key');
      return ['gemini-flash-latest', 'gemini-2.5-pro'].map((id) => ({
        id,
        displayName: null,
        methods: ['generateContent'],
      }));
    },
    database: async () => ({ dialect: 'sqlite', current: 0, latest: 0, pending: 0, migrations: [] }),
    async databaseReachable(url) {
      calls.push(`db ${url}`);
      if (url.includes(':1/')) throw new BotctlError('DATABASE_UNREACHABLE', 'Cannot reach PostgreSQL');
    },
    dialectOf: (url) => parseDatabaseUrl(url, '/').dialect,
    postgresMajor: async () => 15,
    instances: async () => 1,
    redis: async (url) => (calls.push(`redis ${url}`), url.endsWith(':6379')),
    toolVersion: async () => null,
    mode: async () => null,
    freeBytes: async () => 0,
    lastBackupAt: async () => null,
  };
}

/** Answers the questions in order; each must contain the expected words. Runs out -> Ctrl-C. */
function scripted(steps: [expect: string, answer: string][]) {
  const said: string[] = [];
  const asked: string[] = [];
  const io: Prompter = {
    async ask(question) {
      asked.push(question);
      const step = steps.shift();
      if (!step) throw new PromptCancelled();
      if (!question.includes(step[0])) throw new Error(`asked "${question}", expected "${step[0]}"`);
      return step[1];
    },
    say: (line) => void said.push(line),
    close: () => undefined,
  };
  return { io, said, asked };
}

function given(values: Partial<Record<OptionKey, string>> = {}): Given {
  return {
    values: new Map(
      Object.entries(values).map(([key, raw]) => [key as OptionKey, { raw: raw!, from: 'flag' as const }]),
    ),
    problems: [],
  };
}

const input = (overrides: Partial<PlanInput> = {}): PlanInput => ({
  existing: {},
  given: given(),
  probes: fakeProbes(),
  dataDir: '/srv/botctl',
  skipChecks: false,
  render: undefined,
  ...overrides,
});

describe('planInteractive', () => {
  it('asks every setting, re-asks a wrong answer, and checks each against the service', async () => {
    const calls: string[] = [];
    const { io, said } = scripted([
      ['Telegram bot token', 'not-a-token'],
      ['Telegram bot token', '1:WRONGwrongWRONGwrongWRONG'],
      ['Telegram bot token', GOOD_TOKEN],
      ['Gemini API key', GOOD_KEY],
      ['Model (number or id) [gemini-flash-latest]', '2'],
      [
        'Database: a SQLite file path or a postgres:// URL [Enter keeps /srv/botctl/botctl.sqlite]',
        'postgres://u:p@h:1/x',
      ],
      ['Database', 'postgres://u:p@h:5432/x'],
      ['Redis URL', 'redis://h:1'],
      ['Redis URL', 'redis://h:6379'],
      ['How updates arrive: polling or webhook [polling]', 'webhook'],
      ['Public https:// URL', 'https://bot.example.com/hook'],
      ['Admin Telegram user ids', '5,6'],
      ['Messages a day per user (0 = unlimited) [100]', 'many'],
      ['Messages a day per user', '30'],
      ['Render deployment files?', 'systemd,helm'],
      ['Render deployment files?', 'systemd,env'],
    ]);
    const plan = await planInteractive(io, input({ probes: fakeProbes(calls) }));
    expect(plan.bot).toEqual({ id: 42, username: 'plan_bot' });
    expect(plan.render).toEqual(['systemd', 'env']);
    expect(plan.secretGenerated).toBe(true);
    expect(plan.draft).toMatchObject({
      telegramToken: GOOD_TOKEN,
      geminiApiKey: GOOD_KEY,
      model: 'gemini-2.5-pro',
      databaseUrl: 'postgres://u:p@h:5432/x',
      redisUrl: 'redis://h:6379',
      mode: 'webhook',
      webhookUrl: 'https://bot.example.com/hook',
      admins: [5, 6],
      quotas: { user: { messagesPerDay: 30 } },
    });
    expect(plan.draft.webhookSecret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(said).toEqual(
      expect.arrayContaining([
        '  ✗ must look like 123456789:AA... (from @BotFather)',
        '  ✗ Telegram rejected the bot token',
        '  ✓ @plan_bot',
        '  ✓ 2 chat models available',
        '   2) gemini-2.5-pro',
        '  ✗ Cannot reach PostgreSQL',
        '  ✓ PostgreSQL answers',
        '  ✓ Redis answers',
        '  ✓ generated a webhook secret',
      ]),
    );
    expect(said.some((line) => line.startsWith('  ✗ Redis does not answer'))).toBe(true);
    expect(said.some((line) => line.startsWith('  ✗ unknown render target helm'))).toBe(true);
    expect(calls.filter((c) => c === 'getMe')).toHaveLength(2);
  });

  it('keeps current values on Enter, clears an optional one with -, and skips what was given', async () => {
    const existing = {
      telegramToken: GOOD_TOKEN,
      geminiApiKey: GOOD_KEY,
      model: 'gemini-2.5-pro',
      redisUrl: 'redis://h:6379',
      admins: [1],
    };
    const { io, asked } = scripted([
      ['Gemini API key (https://aistudio.google.com/apikey) [Enter keeps ********]', ''],
      ['Model (number or id) [gemini-2.5-pro]', ''],
      ['Database', ''],
      ['Redis URL for a shared cache (optional) [Enter keeps redis://h:6379] (- for none)', '-'],
      ['How updates arrive', ''],
      ['Admin Telegram user ids', ''],
    ]);
    const plan = await planInteractive(
      io,
      input({ existing, given: given({ telegramToken: GOOD_TOKEN, quotas: '{}' }), render: [] }),
    );
    expect(asked.join('\n')).not.toContain('Telegram bot token');
    expect(plan.draft).toMatchObject({
      telegramToken: GOOD_TOKEN,
      model: 'gemini-2.5-pro',
      admins: [1],
      mode: 'polling',
    });
    expect(plan.draft.redisUrl).toBeUndefined();
    expect(plan.secretGenerated).toBe(false);
  });

  it('asks again for a given value that fails its check, and contacts nothing with skipChecks', async () => {
    const calls: string[] = [];
    const { io, said } = scripted([
      ['Telegram bot token', GOOD_TOKEN],
      ['Gemini API key', 'any-key-0123456789'],
      ['Model [gemini-flash-latest]', 'my-model'],
      ['Database', ''],
      ['Redis URL', ''],
      ['How updates arrive', ''],
      ['Admin Telegram user ids', ''],
      ['Messages a day per user', ''],
    ]);
    const plan = await planInteractive(
      io,
      input({
        given: given({ telegramToken: 'bad' }),
        probes: fakeProbes(calls),
        skipChecks: true,
        render: [],
      }),
    );
    expect(said).toContain('  ✗ must look like 123456789:AA... (from @BotFather)');
    expect(plan.draft).toMatchObject({ telegramToken: GOOD_TOKEN, model: 'my-model' });
    expect(plan.bot).toBeNull();
    expect(calls).toEqual([]);
  });

  it('refuses up front what it would not ask about, and passes Ctrl-C through', async () => {
    const { io } = scripted([]);
    await expect(planInteractive(io, input({ existing: { colour: 'blue' } }))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('colour (in config.json): unknown key: remove it'),
    });
    await expect(planInteractive(scripted([]).io, input())).rejects.toBeInstanceOf(PromptCancelled);
  });
});

describe('planUnattended', () => {
  it('lists every missing and invalid value at once', async () => {
    const attempt = planUnattended(
      input({ given: given({ mode: 'webhook', httpPort: 'x' }), existing: { contextTokens: 1 } }),
    );
    await expect(attempt).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const message = await attempt.then(
      () => '',
      (error: Error) => error.message,
    );
    expect(message.split('\n').slice(1)).toEqual([
      '  telegramToken (--telegram-token, BOTCTL_TELEGRAM_TOKEN): required',
      '  geminiApiKey (--gemini-api-key, BOTCTL_GEMINI_API_KEY): required',
      expect.stringMatching(/^ {2}httpPort \(--http-port, BOTCTL_HTTP_PORT\): /),
      expect.stringMatching(/^ {2}contextTokens \(in config.json\): /),
      '  webhookUrl (--webhook-url, BOTCTL_WEBHOOK_URL): required in webhook mode',
    ]);
  });

  it('runs the checks together and reports every failure; picks the default model', async () => {
    const bad = given({
      telegramToken: '1:WRONGwrongWRONGwrongWRONG',
      geminiApiKey: 'bad-key-0123456789',
      redisUrl: 'redis://h:1',
    });
    const failed = await planUnattended(input({ given: bad })).catch((error: BotctlError) => error);
    expect(failed).toMatchObject({ code: 'TELEGRAM_UNAUTHORIZED' });
    expect((failed as Error).message.split('\n')).toEqual([
      'Telegram rejected the bot token',
      'Gemini rejected the API key',
      expect.stringMatching(/^Redis does not answer/),
    ]);
    const plan = await planUnattended(
      input({ given: given({ telegramToken: GOOD_TOKEN, geminiApiKey: GOOD_KEY }) }),
    );
    expect(plan).toMatchObject({ bot: { username: 'plan_bot' }, render: [], secretGenerated: false });
    expect(plan.draft.model).toBe('gemini-flash-latest');
    const missing = planUnattended(
      input({ given: given({ telegramToken: GOOD_TOKEN, geminiApiKey: GOOD_KEY, model: 'gone' }) }),
    );
    await expect(missing).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'model gone is not available to this Gemini key',
    });
  });
});
