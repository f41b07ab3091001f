/**
 * The doctor's checks and runner in-process, with probes that answer what each rule needs:
 * thresholds (disk, backup age, Node version), webhook states, prerequisites and deadlines.
 * The same checks run against real services in test/commands/doctor.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { BotctlError } from '../../../src/domain/errors.js';
import {
  CHECKS,
  runChecks,
  summarize,
  type Check,
  type DoctorContext,
  type DoctorProbes,
  type WebhookState,
} from '../../../src/services/doctor/index.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const HOUR = 3_600_000;

function probes(overrides: Partial<DoctorProbes> = {}): DoctorProbes {
  const webhook: WebhookState = { url: '', pendingUpdates: 0, lastError: null, lastErrorAt: null };
  return {
    telegramBot: async () => ({ id: 1, username: 'unit_bot' }),
    telegramWebhook: async () => webhook,
    geminiModels: async () => [
      { id: 'gemini-flash-latest', displayName: null, methods: ['generateContent'] },
    ],
    database: async () => ({ dialect: 'sqlite', current: 3, latest: 3, pending: 0, migrations: [] }),
    dialectOf: () => 'sqlite',
    postgresMajor: async () => 15,
    instances: async () => 1,
    redis: async () => true,
    toolVersion: async (command) => `${command} version 1`,
    mode: async (p) => (p.endsWith('.json') ? 0o600 : 0o700),
    freeBytes: async () => 50 * 1024 ** 3,
    lastBackupAt: async () => new Date(NOW.getTime() - HOUR),
    ...overrides,
  };
}

function context(
  overrides: Partial<DoctorContext> = {},
  probeOverrides: Partial<DoctorProbes> = {},
): DoctorContext {
  return {
    config: {
      dataDir: '/srv/botctl',
      databaseUrl: '/srv/botctl/botctl.sqlite',
      telegramToken: '1:abc',
      telegramApiRoot: 'https://api.telegram.org',
      geminiApiKey: 'key',
      model: 'gemini-flash-latest',
      models: [],
      mode: 'polling',
      adminApi: false,
      httpHost: '127.0.0.1',
    },
    configProblems: [],
    dataDir: '/srv/botctl',
    configFile: '/srv/botctl/config.json',
    configFileExists: true,
    nodeVersion: 'v24.1.0',
    probes: probes(probeOverrides),
    now: () => NOW,
    timeoutMs: 1000,
    ...overrides,
  };
}

async function statusOf(id: string, ctx: DoctorContext) {
  const report = (await runChecks(CHECKS, ctx)).find((r) => r.id === id);
  return report && { status: report.status, detail: report.detail };
}

describe('doctor checks', () => {
  it('all pass on a healthy install', async () => {
    const reports = await runChecks(CHECKS, context());
    expect(summarize(reports)).toEqual({ pass: reports.length, warn: 0, fail: 0 });
    expect(reports.map((r) => r.id)).not.toContain('pg_dump');
  });

  it('free disk: warn under 1 GB, fail under 100 MB', async () => {
    const at = (bytes: number) => statusOf('disk', context({}, { freeBytes: async () => bytes }));
    expect(await at(2 * 1024 ** 3)).toMatchObject({ status: 'pass' });
    expect(await at(500 * 1024 ** 2)).toEqual({ status: 'warn', detail: '500 MB free for /srv/botctl' });
    expect(await at(50 * 1024 ** 2)).toMatchObject({ status: 'fail' });
  });

  it('backups: warn when there is none or the newest is older than 48 h', async () => {
    const at = (date: Date | null) => statusOf('backup', context({}, { lastBackupAt: async () => date }));
    expect(await at(new Date(NOW.getTime() - 47 * HOUR))).toMatchObject({ status: 'pass' });
    expect(await at(new Date(NOW.getTime() - 72 * HOUR))).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/^older than 48 h: 3 days ago/),
    });
    expect(await at(null)).toEqual({ status: 'warn', detail: 'no backup yet' });
  });

  it('Node.js: fails below 22', async () => {
    expect(await statusOf('node', context({ nodeVersion: 'v20.11.0' }))).toMatchObject({ status: 'fail' });
    expect(await statusOf('node', context({ nodeVersion: 'v22.0.0' }))).toMatchObject({ status: 'pass' });
  });

  it('webhook: a leftover webhook, a missing one, a different URL and a delivery error each warn', async () => {
    const hook = (
      state: Partial<WebhookState>,
      mode: 'polling' | 'webhook' = 'polling',
      webhookUrl?: string,
    ) => {
      const ctx = context(
        {},
        {
          telegramWebhook: async () => ({
            url: '',
            pendingUpdates: 2,
            lastError: null,
            lastErrorAt: null,
            ...state,
          }),
        },
      );
      return statusOf('webhook', { ...ctx, config: { ...ctx.config!, mode, webhookUrl } });
    };
    expect(await hook({})).toEqual({ status: 'pass', detail: 'no webhook (polling); 2 pending update(s)' });
    expect(await hook({ url: 'https://a/x' })).toMatchObject({ status: 'warn' });
    expect(await hook({}, 'webhook', 'https://a/x')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/no webhook is set/),
    });
    expect(await hook({ url: 'https://b/y' }, 'webhook', 'https://a/x')).toMatchObject({
      detail: 'the webhook points to https://b/y, the config says https://a/x',
    });
    const error = await hook(
      {
        url: 'https://a/x',
        lastError: 'Connection refused',
        lastErrorAt: new Date(NOW.getTime() - 2 * HOUR),
      },
      'webhook',
      'https://a/x',
    );
    expect(error).toEqual({
      status: 'warn',
      detail: 'last delivery error (2 h ago): Connection refused; 2 pending update(s)',
    });
    expect(await hook({ url: 'https://a/x' }, 'webhook', 'https://a/x')).toMatchObject({ status: 'pass' });
  });

  it('Gemini: warns for extra models the key cannot use; pg_dump applies to Postgres only', async () => {
    const ctx = context(
      {},
      { dialectOf: () => 'postgres', toolVersion: async (c) => (c === 'pg_dump' ? null : 'x') },
    );
    const withModels = { ...ctx, config: { ...ctx.config!, models: ['gemini-old'], ttsModel: 'tts-gone' } };
    const reports = await runChecks(CHECKS, withModels);
    expect(reports.find((r) => r.id === 'gemini')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('gemini-old (in models), tts-gone (ttsModel: no spoken answers)'),
    });
    expect(reports.find((r) => r.id === 'pg_dump')).toMatchObject({ status: 'fail' });
  });

  it('database: pending migrations and a schema newer than the code fail; Redis that does not answer warns', async () => {
    const db = (current: number, pending: number) =>
      statusOf(
        'database',
        context(
          {},
          { database: async () => ({ dialect: 'postgres', current, latest: 3, pending, migrations: [] }) },
        ),
      );
    expect(await db(1, 2)).toEqual({ status: 'fail', detail: 'postgres: 2 migration(s) pending' });
    expect(await db(5, 0)).toEqual({
      status: 'fail',
      detail: 'postgres: schema 5 is newer than this botctl (3)',
    });
    const ctx = context({}, { redis: async () => false });
    const withRedis = { ...ctx, config: { ...ctx.config!, redisUrl: 'redis://r:6379' } };
    expect((await runChecks(CHECKS, withRedis)).find((r) => r.id === 'redis')).toMatchObject({
      status: 'warn',
    });
  });

  it('instances: one on SQLite; several on Postgres only with Redis and in webhook mode', async () => {
    const on = (running: number, config: { redisUrl?: string; mode?: 'polling' | 'webhook' }) => {
      const ctx = context(
        {},
        {
          dialectOf: () => 'postgres',
          database: async () => ({ dialect: 'postgres', current: 3, latest: 3, pending: 0, migrations: [] }),
          instances: async () => running,
        },
      );
      return statusOf('instances', { ...ctx, config: { ...ctx.config!, mode: 'webhook', ...config } });
    };
    expect(await statusOf('instances', context())).toEqual({
      status: 'pass',
      detail: 'SQLite serves one instance (`start` refuses a second)',
    });
    expect(await on(0, {})).toEqual({ status: 'pass', detail: 'no instance runs on this database now' });
    expect(await on(1, { mode: 'polling' })).toEqual({
      status: 'pass',
      detail: 'one instance runs on this database',
    });
    expect(await on(3, { redisUrl: 'redis://r:6379' })).toEqual({
      status: 'pass',
      detail: '3 instances run on this database, sharing rate limits through Redis',
    });
    expect(await on(2, {})).toEqual({
      status: 'fail',
      detail:
        '2 instances run on this database and this configuration has no Redis: their rate limits could not be shared',
    });
    expect(await on(2, { redisUrl: 'redis://r:6379', mode: 'polling' })).toEqual({
      status: 'fail',
      detail:
        '2 instances run on this database and this configuration polls: Telegram allows one getUpdates consumer',
    });
  });

  it('an unset token or key fails its check; an invalid config skips what needs it', async () => {
    const ctx = context();
    const unset = await runChecks(CHECKS, {
      ...ctx,
      config: { ...ctx.config!, telegramToken: undefined, geminiApiKey: undefined },
    });
    expect(unset.find((r) => r.id === 'telegram')).toMatchObject({
      status: 'fail',
      detail: 'telegramToken is not set',
    });
    expect(unset.find((r) => r.id === 'gemini')).toMatchObject({
      status: 'fail',
      detail: 'geminiApiKey is not set',
    });
    const broken = await runChecks(CHECKS, context({ config: null, configProblems: ['a: bad', 'b: worse'] }));
    expect(broken.find((r) => r.id === 'config')).toMatchObject({
      status: 'fail',
      detail: 'a: bad; b: worse',
    });
    expect(broken.find((r) => r.id === 'database')).toMatchObject({
      status: 'warn',
      detail: 'not checked: Configuration failed',
    });
    expect(broken.find((r) => r.id === 'disk')?.status).toBe('pass');
  });
});

describe('runChecks', () => {
  const check = (id: string, run: Check['run'], needs?: string[]): Check => ({
    id,
    title: id.toUpperCase(),
    needs,
    run,
  });

  it('turns a coded error into a fail with its hint, and anything else into a fail with its message', async () => {
    const reports = await runChecks(
      [
        check('coded', async () =>
          Promise.reject(new BotctlError('TELEGRAM_ERROR', 'down', { hint: 'wait' })),
        ),
        check('plain', async () => Promise.reject(new Error('boom'))),
      ],
      context(),
    );
    expect(reports).toEqual([
      { id: 'coded', title: 'CODED', status: 'fail', detail: 'down', hint: 'wait' },
      { id: 'plain', title: 'PLAIN', status: 'fail', detail: 'boom' },
    ]);
  });

  it('fails a check that outlives its deadline, aborts its signal, and still reports the others', async () => {
    let aborted = false;
    const hang = check('hang', (_ctx, signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return new Promise(() => undefined);
    });
    const reports = await runChecks(
      [
        hang,
        check('quick', async () => ({ status: 'pass', detail: 'ok' })),
        check('after', async () => ({ status: 'pass', detail: 'x' }), ['hang']),
      ],
      context({ timeoutMs: 50 }),
    );
    expect(reports.map((r) => [r.id, r.status, r.detail])).toEqual([
      ['hang', 'fail', 'no answer within 50 ms'],
      ['quick', 'pass', 'ok'],
      ['after', 'warn', 'not checked: HANG failed'],
    ]);
    expect(aborted).toBe(true);
  });
});
