/**
 * `botctl broadcast` through the real edge: the built CLI as a process (kill -9 mid-run and
 * resume, a concurrent second broadcast, cron output) on SQLite and PostgreSQL, plus the same
 * command classes in-process for the terminal output paths.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Dialect } from '../../src/domain/ports/index.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { TEST_TOKEN } from '../helpers/bot-harness.js';
import { MIXED_AUDIENCE, plainUsers, seedUsers, sendsPerChat } from '../helpers/broadcast-users.js';
import { parseEnvelope, runCli, spawnCli } from '../helpers/cli.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { shapeMismatches } from '../helpers/json-shape.js';
import { waitFor } from '../helpers/ports.js';

let telegram: FakeTelegram;
let db: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TEST_TOKEN });
});
afterAll(async () => telegram?.close());

async function setup(dialect: Dialect): Promise<void> {
  telegram.reset();
  db = await openTestDatabase(dialect);
  env = {
    BOTCTL_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-bc-')),
    BOTCTL_DATABASE_URL: db.url,
    BOTCTL_TELEGRAM_TOKEN: TEST_TOKEN,
    BOTCTL_TELEGRAM_API_ROOT: telegram.apiRoot,
    BOTCTL_LOG_LEVEL: 'warn',
  };
}
afterEach(async () => db?.cleanup());

/** Non-TTY stdout must be exactly one JSON line (cron logs). */
function oneJsonLine(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

/** CLI processes start in about a second on an idle machine; CI runners can be far slower. */
const PROCESS_TEST_MS = 180_000;

const deliveries = async (id: string) =>
  (
    await db.raw('select user_id, status, error from deliveries where broadcast_id = ? order by user_id', [
      id,
    ])
  ).map((r) => ({ userId: Number(r.user_id), status: String(r.status), error: r.error as string | null }));

describe.each(DIALECTS)('botctl broadcast on %s (process)', (dialect) => {
  beforeEach(() => setup(dialect));

  it(
    '--dry-run prints the audience count for each filter and writes nothing',
    async () => {
      await seedUsers(db.repos, MIXED_AUDIENCE);
      const dry = async (...filter: string[]) => {
        const result = await runCli(['broadcast', '--text', 'hi', '--dry-run', ...filter], env);
        expect(result.exitCode, result.stderr).toBe(0);
        return result;
      };
      expect(oneJsonLine((await dry()).stdout)).toEqual({ dryRun: true, recipients: 5 });
      expect(oneJsonLine((await dry('--language', 'ru')).stdout)).toEqual({ dryRun: true, recipients: 2 });
      expect(oneJsonLine((await dry('--active-days', '7', '--audience', 'all')).stdout)).toMatchObject({
        recipients: 3,
      });
      const json = await dry('--role', 'premium', '--json');
      expect(parseEnvelope(json.stdout)).toEqual({
        status: 'ok',
        result: { dryRun: true, recipients: 1 },
        warnings: [],
      });
      expect(shapeMismatches('broadcast', parseEnvelope(json.stdout).result)).toEqual([]);
      expect(await db.repos.broadcasts.list()).toEqual([]);
      expect(telegram.calls).toEqual([]);
    },
    PROCESS_TEST_MS,
  );

  it(
    'sends to exactly the audience and prints one JSON summary line; status and list give the envelope',
    async () => {
      await seedUsers(db.repos, MIXED_AUDIENCE);
      const result = await runCli(
        ['broadcast', 'send', '--text', 'Hi *there*', '--language', 'en', '--rate', '100'],
        env,
      );
      expect(result.exitCode, result.stderr).toBe(0);
      const summary = oneJsonLine(result.stdout);
      expect(summary).toMatchObject({
        status: 'done',
        outcome: 'finished',
        recipients: 3,
        sent: 3,
        pending: 0,
      });
      expect([...sendsPerChat(telegram.messages()).keys()].sort()).toEqual(['9001', '9002', '9005']);
      expect(telegram.sentMessages(9001)).toEqual(['Hi there']);
      const status = parseEnvelope(
        (await runCli(['broadcast', 'status', String(summary.id), '--json'], env)).stdout,
      );
      expect(status.result).toMatchObject({
        broadcast: { id: summary.id, status: 'done' },
        counts: { sent: 3 },
      });
      expect(shapeMismatches('broadcast status', status.result)).toEqual([]);
      const list = parseEnvelope((await runCli(['broadcast', 'list', '--json'], env)).stdout);
      expect((list.result as Array<{ broadcast: { id: string } }>).map((r) => r.broadcast.id)).toEqual([
        summary.id,
      ]);
      expect(shapeMismatches('broadcast list', list.result)).toEqual([]);
    },
    PROCESS_TEST_MS,
  );

  it(
    'killed with -9 mid-run, then resumed: nobody gets it twice, nobody unambiguous is missed',
    async () => {
      const users = await seedUsers(db.repos, plainUsers(300, 500_000));
      telegram.setLatency(30, 'sendMessage');
      const id = `kill-${dialect}`;
      const args = ['broadcast', '--id', id, '--text', 'Exactly once'];
      const first = spawnCli([...args, '--rate', '60'], env);
      let exited: string | undefined;
      void first.then((r) => (exited = `exit ${r.exitCode}: ${String(r.stderr)}`));
      await waitFor(() => {
        expect(exited, 'the broadcast ended before it could be killed').toBeUndefined();
        expect(telegram.sentMessages().length).toBeGreaterThanOrEqual(100);
      }, 60_000);
      first.kill('SIGKILL');
      await first;
      const beforeResume = telegram.sentMessages().length;
      expect(beforeResume).toBeLessThan(300);
      // SQLite resumes with `resume <id> --json`, Postgres by rerunning the same command (same
      // --id), printing the one cron line: both are the summary `broadcast resume` declares.
      const again = await runCli(
        dialect === 'sqlite'
          ? ['broadcast', 'resume', id, '--rate', '200', '--json']
          : [...args, '--rate', '200'],
        env,
      );
      expect(again.exitCode, again.stderr).toBe(0);
      const summary = (
        dialect === 'sqlite' ? parseEnvelope(again.stdout).result : oneJsonLine(again.stdout)
      ) as { status: string; thisRun: { unknownAfterCrash: number } };
      expect(shapeMismatches('broadcast resume', summary)).toEqual([]);
      expect(summary.status).toBe('done');
      const perChat = sendsPerChat(telegram.messages());
      expect(Math.max(...perChat.values())).toBe(1);
      const rows = await deliveries(id);
      expect(rows).toHaveLength(300);
      const unknown = rows.filter((r) => r.error === 'unknown after crash');
      expect(summary.thisRun.unknownAfterCrash).toBe(unknown.length);
      expect(rows.filter((r) => r.status === 'sent').length + unknown.length).toBe(300);
      const byUser = new Map(users.map((u) => [u.id, String(u.telegramId)]));
      for (const row of rows.filter((r) => r.status === 'sent'))
        expect(perChat.get(byUser.get(row.userId)!)).toBe(1);
    },
    PROCESS_TEST_MS,
  );
});

describe('botctl broadcast (process, sqlite)', () => {
  beforeEach(() => setup('sqlite'));

  it(
    'a second broadcast while one runs exits 75; cancel works meanwhile and stops the first',
    async () => {
      await seedUsers(db.repos, plainUsers(40, 600_000));
      const first = spawnCli(['broadcast', '--id', 'slow', '--text', 'slow one', '--rate', '1'], env);
      await telegram.waitForCall('sendMessage', undefined, 60_000);
      const second = await runCli(['broadcast', '--text', 'another'], env);
      expect(second.exitCode, second.stderr).toBe(75);
      expect(second.stderr).toContain('a broadcast is already running');
      const cancel = await runCli(['broadcast', 'cancel', 'slow', '--json'], env);
      expect(parseEnvelope(cancel.stdout).result).toMatchObject({ broadcast: { status: 'cancelled' } });
      expect(shapeMismatches('broadcast cancel', parseEnvelope(cancel.stdout).result)).toEqual([]);
      const result = await first;
      expect(result.exitCode, String(result.stderr)).toBe(0);
      expect(oneJsonLine(String(result.stdout))).toMatchObject({ status: 'cancelled', outcome: 'cancelled' });
      expect(telegram.sentMessages().length).toBeLessThan(40);
      expect(await db.repos.broadcasts.list()).toHaveLength(1);
    },
    PROCESS_TEST_MS,
  );

  it(
    'SIGINT stops cleanly: sends in flight are recorded, the rest stay pending, exit 75',
    async () => {
      await seedUsers(db.repos, plainUsers(30, 620_000));
      const run = spawnCli(['broadcast', '--id', 'stopped', '--text', 'stop me', '--rate', '2'], env);
      await telegram.waitForCall('sendMessage', undefined, 60_000);
      run.kill('SIGINT');
      const result = await run;
      expect(result.exitCode, String(result.stderr)).toBe(75);
      const summary = oneJsonLine(String(result.stdout)) as {
        outcome: string;
        pending: number;
        sent: number;
      };
      expect(summary).toMatchObject({ outcome: 'interrupted', status: 'running' });
      expect(summary.sent).toBe(telegram.sentMessages().length);
      expect(summary.pending).toBe(30 - summary.sent);
      expect(await db.repos.broadcasts.deliveryCounts('stopped')).toMatchObject({
        sending: 0,
        sent: summary.sent,
      });
    },
    PROCESS_TEST_MS,
  );

  it(
    '--json: a blocked user is reported and marked; errors come as coded envelopes',
    async () => {
      const [, blocked] = await seedUsers(db.repos, plainUsers(3, 610_000));
      telegram.blockUser(blocked!.telegramId);
      const sent = parseEnvelope((await runCli(['broadcast', '--text', 'hi', '--json'], env)).stdout);
      expect(sent).toMatchObject({ status: 'ok', result: { sent: 2, blocked: 1, thisRun: { blocked: 1 } } });
      expect(shapeMismatches('broadcast', sent.result)).toEqual([]);
      expect(shapeMismatches('broadcast resume', sent.result), 'a send reports the full summary').toEqual([]);
      expect((await db.repos.users.getById(blocked!.id))?.status).toBe('blocked');
      const missing = await runCli(['broadcast', 'status', 'nope', '--json'], env);
      expect(missing.exitCode).toBe(1);
      expect(parseEnvelope(missing.stdout).error).toMatchObject({ code: 'NOT_FOUND' });
      const long = await runCli(
        ['broadcast', '--photo', 'AgACfileid', '--text', 'x'.repeat(1100), '--parse-mode', 'plain'],
        env,
      );
      expect(long.exitCode).toBe(1);
      expect(long.stderr).toContain('caption is 1100 characters; Telegram allows 1024');
      const noToken = await runCli(['broadcast', '--text', 'hi'], {
        ...env,
        BOTCTL_TELEGRAM_TOKEN: undefined,
      });
      expect(noToken.exitCode, noToken.stderr).toBe(2);
      expect(noToken.stderr).toContain('BOTCTL_TELEGRAM_TOKEN');
      expect(await db.repos.broadcasts.list()).toHaveLength(1);
    },
    PROCESS_TEST_MS,
  );
});
