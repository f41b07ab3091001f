/**
 * `botctl users list|show|ban|unban|role|quota` (and the id checks of export and forget) as processes on SQLite and PostgreSQL: --json
 * results with exact values (checked against each command's declared shape), filters, the
 * audit log rows a change leaves, and one-line failures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { utcDay } from '../../src/domain/quota.js';
import { parseEnvelope, runCli } from '../helpers/cli.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { shapeMismatches } from '../helpers/json-shape.js';
import { seedStatsFixture, type FixtureUsers } from '../helpers/stats-fixture.js';

const SLOW = 240_000;
let db: TestDatabase;
let people: FixtureUsers;
let env: Record<string, string>;
afterEach(async () => db?.cleanup());

/** Runs `users <args> --json`, checks the exit code and the declared shape, returns the result. */
async function json<T>(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ result: T; warnings: string[] }> {
  const run = await runCli(['users', ...args, '--json'], { ...env, ...extraEnv });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  const envelope = parseEnvelope(run.stdout);
  expect(shapeMismatches(`users ${args[0]}`, envelope.result)).toEqual([]);
  return envelope as { result: T; warnings: string[] };
}

const ids = (result: { users: { telegramId: number }[] }) => result.users.map((u) => u.telegramId);
const audit = async () =>
  (await db.raw('select actor, action, target, details from audit_log order by id')).map((row) => ({
    ...row,
    details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details,
  }));

describe.each(DIALECTS)('botctl users on %s (process)', (dialect) => {
  beforeEach(async () => {
    db = await openTestDatabase(dialect);
    people = await seedStatsFixture(db.repos);
    env = {
      BOTCTL_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-users-')),
      BOTCTL_DATABASE_URL: db.url,
    };
  });

  it(
    'lists users with filters, paging and a total',
    async () => {
      await db.repos.users.upsertFromTelegram(people.dan, new Date());
      const all = (await json<{ users: { telegramId: number }[]; total: number }>(['list'])).result;
      expect(all).toMatchObject({ total: 6, limit: 50, offset: 0 });
      expect(all.users[1]).toEqual({
        telegramId: 7002,
        username: 'Bobby',
        firstName: 'Bob',
        lastName: null,
        language: 'en',
        role: 'premium',
        status: 'active',
        createdAt: '2025-06-02T12:00:00.000Z',
        lastSeenAt: '2025-06-02T12:00:00.000Z',
        premiumUntil: null,
      });
      expect(ids((await json<never>(['list', '--search', 'A', '--status', 'active'])).result)).toEqual([
        7001, 7004, 7006,
      ]);
      expect((await json<never>(['list', '--limit', '2', '--offset', '1'])).result).toMatchObject({
        users: [{ telegramId: 7002 }, { telegramId: 7003 }],
        total: 6,
      });
      expect(ids((await json<never>(['list', '--role', 'premium'])).result)).toEqual([7002]);
      expect(ids((await json<never>(['list', '--active-days', '1'])).result)).toEqual([7004]);
      const human = await runCli(['users', 'list', '--status', 'banned'], env);
      expect(human.stdout.split('\n')).toEqual([
        '7003         -                    Cat 100%                 user     banned   en  2025-06-05',
        '1-1 of 1 user',
      ]);
    },
    SLOW,
  );

  it(
    'shows a profile with the prompt length only, unless --reveal, and today against the quota',
    async () => {
      await db.repos.users.updateSettings(people.ann.id, {
        customPrompt: 'Talk like a pirate',
        detailLevel: 'brief',
      });
      await db.repos.usage.increment(people.bob.id, utcDay(new Date()), {
        messages: 1000,
        tokensIn: 70,
        tokensOut: 30,
        images: 4,
      });
      const ann = (await json<Record<string, unknown>>(['show', '@ANN_A'])).result;
      expect(ann).toMatchObject({
        user: { telegramId: 7001, username: 'ann_a', languageCode: 'en', role: 'user', premiumUntil: null },
        settings: { customPrompt: { length: 18, text: null }, detailLevel: 'brief', persona: 'assistant' },
        activity: { conversations: 2, messages: 5, lastMessageAt: '2025-06-07T12:00:00.000Z' },
        quota: {
          role: 'user',
          messages: { used: 0, limit: 100 },
          tokens: { used: 0, limit: 200_000 },
          exceeded: null,
        },
      });
      expect(JSON.stringify(ann)).not.toContain('pirate');
      const revealed = (await json<{ settings: unknown }>(['show', '7001', '--reveal'])).result;
      expect(revealed.settings).toMatchObject({ customPrompt: { length: 18, text: 'Talk like a pirate' } });
      expect((await json<unknown>(['quota', '7002'])).result).toEqual({
        day: utcDay(new Date()),
        role: 'premium',
        messages: { used: 1000, limit: 1000 },
        tokens: { used: 100, limit: 2_000_000 },
        images: { used: 4, limit: 50 },
        audioSeconds: { used: 0, limit: 7200 },
        searches: { used: 0, limit: 100 },
        exceeded: 'messages',
        overrides: null,
      });
      await db.repos.users.setQuotaOverrides(people.bob.id, { messagesPerDay: 2000, searchesPerDay: 5 });
      expect((await json<unknown>(['quota', '7002'])).result).toMatchObject({
        messages: { used: 1000, limit: 2000 },
        searches: { used: 0, limit: 5 },
        exceeded: null,
        overrides: { messagesPerDay: 2000, searchesPerDay: 5 },
      });
      const own = await runCli(['users', 'quota', '7002'], env);
      expect(own.stdout).toContain('premium quota with limits of their own:');
      expect(own.stdout).toMatch(/messages\s+1000 \/ 2000 \(this user\)\n/);
      expect(own.stdout).toMatch(/web searches\s+0 \/ 5 \(this user\)\n/);
      expect(own.stdout).toMatch(/tokens\s+100 \/ 2000000\n/);
      await db.repos.users.setQuotaOverrides(people.bob.id, null);
      const unlimited = (
        await json<{ quota: unknown }>(['show', '7001'], { BOTCTL_QUOTAS: '{"user":{"messagesPerDay":0}}' })
      ).result;
      expect(unlimited.quota).toMatchObject({ messages: { used: 0, limit: null } });
    },
    SLOW,
  );

  it(
    'bans, unbans and sets roles, auditing each change once',
    async () => {
      const ban = (await json<Record<string, unknown>>(['ban', '@ann_a'])).result;
      expect(ban).toMatchObject({
        user: { telegramId: 7001, status: 'banned' },
        changed: true,
        from: 'active',
        to: 'banned',
      });
      expect((await json<unknown>(['ban', '7001'])).result).toMatchObject({ changed: false, from: 'banned' });
      expect((await db.repos.users.getByTelegramId(7001))?.status).toBe('banned');
      expect((await json<unknown>(['unban', '7001'])).result).toMatchObject({
        changed: true,
        from: 'banned',
        to: 'active',
      });
      const blocked = await json<unknown>(['unban', '7005']);
      expect(blocked.result).toMatchObject({ changed: false, from: 'blocked', user: { status: 'blocked' } });
      expect(blocked.warnings).toEqual(['7005 is not banned (status blocked)']);
      const role = await json<unknown>(['role', '7001', 'user'], { BOTCTL_ADMINS: '7001' });
      expect(role.result).toMatchObject({ changed: false });
      expect(role.warnings[0]).toMatch(/in admins \(BOTCTL_ADMINS\)/);
      expect((await json<unknown>(['role', '@bobby', 'admin'])).result).toMatchObject({
        changed: true,
        from: 'premium',
        to: 'admin',
      });
      expect((await db.repos.users.getByTelegramId(7002))?.role).toBe('admin');
      expect(await audit()).toEqual([
        {
          actor: 'cli',
          action: 'user.status',
          target: 'user:7001',
          details: { from: 'active', to: 'banned' },
        },
        {
          actor: 'cli',
          action: 'user.status',
          target: 'user:7001',
          details: { from: 'banned', to: 'active' },
        },
        { actor: 'cli', action: 'user.role', target: 'user:7002', details: { from: 'premium', to: 'admin' } },
      ]);
    },
    SLOW,
  );

  it(
    'fails in one line: unknown user (exit 1), bad reference or role (exit 2)',
    async () => {
      const cases: [string[], number, RegExp][] = [
        [['show', '424242'], 1, /No user with Telegram id 424242/],
        [['ban', '@nobody'], 1, /No user @nobody/],
        [['quota', 'not a name!'], 2, /is neither a Telegram id nor a @username/],
        [['role', '7001', 'superuser'], 2, /Expected superuser to be one of: user, premium, admin/],
        [['forget', 'abc', '--yes'], 2, /"abc" is not a Telegram user id/],
        [['export', '-5'], 2, /"-5" is not a Telegram user id/],
        [['unban', '0'], 2, /"0" is neither a Telegram id nor a @username/],
      ];
      for (const [args, exit, message] of cases) {
        const run = await runCli(['users', ...args], env);
        expect(run.exitCode, args.join(' ')).toBe(exit);
        expect(run.stderr).toMatch(message);
        expect(run.stdout).toBe('');
      }
      const json = await runCli(['users', 'show', '@nobody', '--json'], env);
      expect(parseEnvelope(json.stdout)).toMatchObject({ status: 'error', error: { code: 'NOT_FOUND' } });
      const badId = await runCli(['users', 'forget', 'abc', '--yes', '--json'], env);
      expect(badId.exitCode).toBe(2);
      expect(parseEnvelope(badId.stdout)).toMatchObject({ status: 'error', error: { code: 'USAGE' } });
      expect(await audit()).toEqual([]);
    },
    SLOW,
  );
});
