/**
 * The stats and users command classes in this process (coverage sees them), including the
 * terminal paths: charts with and without colour, the sparkline-only form of a long period,
 * and the human lines of every users command.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Stats from '../../src/commands/stats.js';
import UsersBan from '../../src/commands/users/ban.js';
import UsersList from '../../src/commands/users/list.js';
import UsersQuota from '../../src/commands/users/quota.js';
import UsersRole from '../../src/commands/users/role.js';
import UsersShow from '../../src/commands/users/show.js';
import UsersUnban from '../../src/commands/users/unban.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { runInProcess } from '../helpers/run-command.js';
import { EXPECTED_REPORT, seedStatsFixture, type FixtureUsers } from '../helpers/stats-fixture.js';

let db: TestDatabase;
let people: FixtureUsers;
let dataDir: string;
const PERIOD = ['--since', '2025-06-01', '--until', '2025-06-07'];

beforeEach(async () => {
  db = await openTestDatabase('sqlite');
  people = await seedStatsFixture(db.repos);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-sui-'));
  vi.stubEnv('BOTCTL_DATABASE_URL', db.url);
  vi.stubEnv('NO_COLOR', undefined);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await db?.cleanup();
});

const run = (command: Parameters<typeof runInProcess>[0], argv: string[], tty = false) =>
  runInProcess(command, [...argv, '--data-dir', dataDir], { tty, columns: 60 });

describe('botctl stats (in-process)', () => {
  it('returns the report as the --json envelope', async () => {
    const result = await run(Stats, [...PERIOD, '--json']);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ status: 'ok', result: EXPECTED_REPORT, warnings: [] });
  });

  it('draws coloured bars sized to the terminal, and plain ones with --no-color', async () => {
    const colour = await run(Stats, PERIOD, true);
    const lines = colour.stdout.split('\n');
    expect(lines).toContain('Daily active users  \u001b[36m▅▁▅▁▅▁█\u001b[0m  \u001b[2mmax 2\u001b[0m');
    // 60 columns: label 5, value 1, spaces: the longest bar is 60 - 5 - 1 - 4 = 50 cells.
    expect(lines).toContain(`06-07 2 \u001b[36m${'█'.repeat(50)}\u001b[0m`);
    expect(lines).toContain(`06-05 1 \u001b[36m${'█'.repeat(25)}\u001b[0m`);
    const plain = await run(Stats, [...PERIOD, '--no-color'], true);
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.stdout.split('\n')).toContain(`06-07 2 ${'█'.repeat(50)}`);
  });

  it('shows a long period as sparklines only, and NO_COLOR turns colour off', async () => {
    vi.stubEnv('NO_COLOR', '1');
    const long = await run(Stats, ['--since', '60d', '--until', '2025-06-07'], true);
    const lines = long.stdout.split('\n');
    // Active days: 05-01 (eve), 05-20 and 05-31 (fay), then the period's 06-01, 06-03, 06-05 and 06-07.
    const sparks = `${'▁'.repeat(22)}▅${'▁'.repeat(18)}▅${'▁'.repeat(10)}▅▅▁▅▁▅▁█`;
    expect(lines).toContain(`Daily active users  ${sparks}  max 2`);
    expect(lines.some((line) => /^\d\d-\d\d /.test(line))).toBe(false);
    expect(long.stdout).not.toContain('\u001b[');
    expect(lines[0]).toBe('Stats 2025-04-09 .. 2025-06-07 (60 days, UTC)');
  });

  it('fails with USAGE for a bad period', async () => {
    const bad = await run(Stats, ['--since', '5y']);
    expect(bad.exitCode).toBe(2);
    expect(bad.error?.message).toContain('Invalid --since "5y"');
  });
});

describe('botctl users (in-process)', () => {
  it('lists, shows and reports quotas in human lines', async () => {
    const list = await run(UsersList, ['--search', 'bob']);
    expect(list.stdout).toBe(
      '7002         @Bobby               Bob                      premium  active   en  2025-06-02\n1-1 of 1 user\n',
    );
    expect((await run(UsersList, ['--language', 'ru'])).stdout).toBe('none of 0 users\n');
    await db.repos.users.updateSettings(people.ann.id, { customPrompt: 'Be brief.', model: 'gemini-x' });
    const hidden = await run(UsersShow, ['7001']);
    expect(hidden.stdout).toContain('  custom prompt: 9 characters (--reveal to print it)\n');
    expect(hidden.stdout).toContain('model gemini-x,');
    expect(hidden.stdout).not.toContain('Be brief.');
    expect((await run(UsersShow, ['@ann_a', '--reveal'])).stdout).toContain(
      '  custom prompt (9 characters):\nBe brief.\n',
    );
    const cat = await run(UsersShow, ['7003']);
    expect(cat.stdout).toContain('7003  Cat 100%\n');
    expect(cat.stdout).toContain('  custom prompt: none\n');
    vi.stubEnv('BOTCTL_QUOTAS', '{"premium":{"messagesPerDay":0,"tokensPerDay":50}}');
    await db.repos.usage.increment(people.bob.id, new Date().toISOString().slice(0, 10), { tokensIn: 60 });
    const quota = await run(UsersQuota, ['7002']);
    expect(quota.stdout).toContain('  messages               0 / unlimited\n');
    expect(quota.stdout).toContain('  tokens                60 / 50\n');
    expect(quota.stdout).toContain('  over the tokens quota: the bot refuses until midnight UTC\n');
  });

  it('resolves ids and usernames: not found, ambiguous, malformed; filters by recent activity', async () => {
    const failure = async (argv: string[]) => {
      const result = await run(UsersShow, argv);
      return [result.exitCode, result.error?.message];
    };
    expect(await failure(['424242'])).toEqual([1, 'No user with Telegram id 424242']);
    expect(await failure(['not a name!'])).toEqual([
      2,
      '"not a name!" is neither a Telegram id nor a @username',
    ]);
    // A username that changed hands: both rows still carry it until the first user writes again.
    await db.repos.users.upsertFromTelegram({ ...people.eve, telegramId: 7100 });
    expect(await failure(['@EVE'])).toEqual([
      2,
      '@EVE matches more than one user (a username changed hands)',
    ]);
    await db.repos.users.upsertFromTelegram(people.fay, new Date());
    expect((await run(UsersList, ['--active-days', '2'])).stdout).toMatch(
      /^7006 .*\n7100 .*\n1-2 of 2 users\n$/,
    );
  });

  it('changes status and role with one line each, and warns when nothing applies', async () => {
    expect((await run(UsersBan, ['7003'])).stdout).toBe('7003: status stays banned (nothing changed)\n');
    expect((await run(UsersBan, ['7006'])).stdout).toBe(
      '@fay (7006): status active -> banned\nA running bot applies it within 30 s.\n',
    );
    expect((await run(UsersUnban, ['@fay'])).stdout).toBe('@fay (7006): status banned -> active\n');
    const blocked = await run(UsersUnban, ['7005']);
    expect(blocked.stderr).toBe('Warning: 7005 is not banned (status blocked)\n');
    vi.stubEnv('BOTCTL_ADMINS', '7002');
    const demoted = await run(UsersRole, ['7002', 'user']);
    expect(demoted.stdout).toBe('@Bobby (7002): role premium -> user\n');
    expect(demoted.stderr).toMatch(/^Warning: @Bobby \(7002\) is in admins/);
    const missing = await run(UsersRole, ['@ghost', 'admin']);
    expect(missing.exitCode).toBe(1);
    expect(missing.error?.message).toBe('No user @ghost');
  });
});
