/**
 * `botctl db move` as a process (the built CLI) between real SQLite files and PostgreSQL
 * databases: a round trip SQLite -> Postgres -> SQLite ends with every row equal, sealed fields
 * readable with the same key and ids continuing where they were; a move killed with SIGKILL
 * mid-copy resumes and ends equal; a non-empty target, a running bot, pending migrations and a
 * wrong URL are refused in one line before anything is written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDatabaseGuard } from '../../src/adapters/db/guard.js';
import { openDatabase } from '../../src/adapters/db/open.js';
import { readRows } from '../helpers/backup.js';
import { parseEnvelope, runCli, spawnCli } from '../helpers/cli.js';
import { spawnInPty } from '../helpers/pty.js';
import { dump, moveFixtures, sealing, seedEveryTable } from '../helpers/db-move.js';
import { shapeMismatches } from '../helpers/json-shape.js';

const SLOW = 300_000;

interface Moved {
  from: { dialect: string; where: string };
  to: { dialect: string; where: string };
  resumed: boolean;
  replaced: boolean;
  rows: number;
  tables: Array<{ name: string; rows: number; digest: string; resumedAt: number }>;
  next: string[];
}

const { database, tempDir: dataDir } = moveFixtures();

async function move(source: string, args: string[], dir = dataDir()) {
  const run = await runCli(['db', 'move', ...args, '--json'], {
    BOTCTL_DATA_DIR: dir,
    BOTCTL_DATABASE_URL: source,
  });
  const envelope = parseEnvelope(run.stdout) as {
    status: string;
    result: Moved;
    error?: { code: string; message: string };
  };
  return { ...run, envelope };
}

const oneLine = (text: string) => text.replace(/\s*\n\s*›?\s*/g, ' ');

describe('botctl db move', { timeout: SLOW }, () => {
  it('round trip SQLite -> PostgreSQL -> SQLite: every row equal, sealed fields open, ids continue', async () => {
    const source = await database('sqlite');
    const { messageIds } = await seedEveryTable(source.repos);
    const pg = await database('postgres', false);

    const there = await move(source.url, ['--to', pg.url]);
    expect(there.exitCode, there.stdout + there.stderr).toBe(0);
    expect(shapeMismatches('db move', there.envelope.result)).toEqual([]);
    const moved = there.envelope.result;
    expect(moved).toMatchObject({
      resumed: false,
      replaced: false,
      from: { dialect: 'sqlite' },
      to: { dialect: 'postgres' },
    });
    const counts = Object.fromEntries(moved.tables.map((t) => [t.name, t.rows]));
    expect(counts).toMatchObject({ users: 2, conversations: 1, messages: 4, audio_files: 1, daily_usage: 2 });
    expect(counts).toMatchObject({
      broadcasts: 2,
      deliveries: 2,
      update_inbox: 2,
      api_keys: 1,
      audit_log: 1,
    });
    expect(counts.telegram_flood).toBe(1);
    expect(counts.payments).toBe(1);
    expect(moved.next.join('\n')).toContain(`botctl config set databaseUrl '${pg.url}'`);
    expect(await readRows('postgres', pg.url, `select to_regclass('botctl_move_progress') as t`)).toEqual([
      { t: null },
    ]);

    // The same key reads the sealed text on Postgres; a new message continues after the deleted one.
    const onPg = await openDatabase({ url: pg.url, cipher: sealing() });
    try {
      expect((await onPg.repos.conversations.getMessage(messageIds[0] as number))?.content).toBe(
        'secret message 0 ✓',
      );
      expect((await onPg.repos.users.getByTelegramId(1001))?.settings.customPrompt).toBe('be brief');
      const next = await onPg.repos.conversations.appendMessage({
        conversationId: 1,
        role: 'user',
        content: 'new',
      });
      expect(next.id).toBe(6);
      await onPg.repos.conversations.deleteMessage(next.id);
    } finally {
      await onPg.close();
    }
    const stored = await readRows('postgres', pg.url, 'select content from messages order by id limit 1');
    expect(String(stored[0]?.content)).not.toContain('secret message');

    const back = path.join(dataDir(), 'back', 'botctl.sqlite');
    const home = await move(pg.url, ['--to', back]);
    expect(home.exitCode, home.stdout + home.stderr).toBe(0);
    expect(home.envelope.result.tables.map((t) => t.digest)).toEqual(moved.tables.map((t) => t.digest));
    expect(fs.statSync(back).mode & 0o777).toBe(0o600);

    expect(await dump('sqlite', back)).toEqual(await dump('sqlite', source.url));
    const sequences = 'select name, seq from sqlite_sequence order by name';
    // Ids continue above every id ever handed out: the source's, and message 6 made and deleted on Postgres.
    const expected = (await readRows('sqlite', source.url, sequences)).map((row) =>
      row.name === 'messages' ? { ...row, seq: 6 } : row,
    );
    expect(await readRows('sqlite', back, sequences)).toEqual(expected);
  });

  it('a move killed with SIGKILL mid-copy resumes where it stopped and ends equal', async () => {
    const source = await database('sqlite');
    await seedEveryTable(source.repos);
    // 15 batches of messages (2,000 rows each): the kill lands after the first one committed and
    // before the last, which the check after the freeze below proves.
    const total = 30_000;
    await source.raw(
      `with recursive g(x) as (select 1 union all select x + 1 from g where x < ?)
       insert into messages (conversation_id, role, content, tokens_in, tokens_out, created_at)
       select 1, 'user', 'bulk message ' || x, x % 7, x % 11, 1767225600000 + x from g`,
      [total],
    );
    const pg = await database('postgres', false);
    const dir = dataDir();
    const child = spawnCli(['db', 'move', '--to', pg.url], {
      BOTCTL_DATA_DIR: dir,
      BOTCTL_DATABASE_URL: source.url,
    });
    const copiedSoFar = async () => {
      const rows = await readRows(
        'postgres',
        pg.url,
        `select copied from botctl_move_progress where table_name = 'messages'`,
      ).catch(() => []);
      return Number(rows[0]?.copied ?? 0);
    };
    const deadline = Date.now() + 120_000;
    while ((await copiedSoFar()) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Frozen at once, so what it has committed can be read before the kill: part of the table.
    child.kill('SIGSTOP');
    const copied = await copiedSoFar();
    expect(copied).toBeGreaterThan(0);
    expect(copied).toBeLessThan(total + 4);
    child.kill('SIGKILL');
    const killed = await child;
    expect(killed.signal, String(killed.stdout)).toBe('SIGKILL');
    const [{ n: half } = { n: 0 }] = await readRows(
      'postgres',
      pg.url,
      'select count(*)::int as n from messages',
    );
    expect(Number(half)).toBeGreaterThan(0);
    expect(Number(half)).toBeLessThan(total);

    const resumed = await move(source.url, ['--to', pg.url], dir);
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.envelope.result.resumed).toBe(true);
    const messages = resumed.envelope.result.tables.find((t) => t.name === 'messages');
    expect(messages?.rows).toBe(total + 4);
    expect(messages?.resumedAt).toBeGreaterThan(0);

    const back = path.join(dataDir(), 'back.sqlite');
    expect((await move(pg.url, ['--to', back])).exitCode).toBe(0);
    expect(await dump('sqlite', back)).toEqual(await dump('sqlite', source.url));
  });

  it('refuses a non-empty target without --force (exit 2), asks for --yes off a terminal, replaces with --force --yes', async () => {
    const source = await database('sqlite');
    await seedEveryTable(source.repos);
    const target = await database('postgres');
    await target.repos.users.upsertFromTelegram({
      telegramId: 7,
      username: 'someone',
      firstName: 'Else',
      lastName: null,
      languageCode: 'en',
      language: 'en',
    });

    const refused = await runCli(['db', 'move', '--to', target.url], {
      BOTCTL_DATA_DIR: dataDir(),
      BOTCTL_DATABASE_URL: source.url,
    });
    expect(refused.exitCode).toBe(2);
    expect(oneLine(refused.stderr)).toMatch(/Refusing to write into .*: it is not empty \(1 rows in users\)/);
    expect(refused.stderr).toContain('--force');
    expect(await readRows('postgres', target.url, 'select telegram_id::int as t from users')).toEqual([
      { t: 7 },
    ]);

    const unconfirmed = await move(source.url, ['--to', target.url, '--force']);
    expect(unconfirmed.exitCode).toBe(2);
    expect(unconfirmed.envelope.error?.message).toContain('--yes');
    expect(await readRows('postgres', target.url, 'select telegram_id::int as t from users')).toEqual([
      { t: 7 },
    ]);

    const forced = await move(source.url, ['--to', target.url, '--force', '--yes']);
    expect(forced.exitCode, forced.stdout + forced.stderr).toBe(0);
    expect(forced.envelope.result.replaced).toBe(true);
    const ids = await readRows('postgres', target.url, 'select telegram_id from users order by telegram_id');
    expect(ids.map((r) => Number(r.telegram_id))).toEqual([1001, 1002]);
  });

  it('at a terminal, --force asks first (Enter means no: nothing written), and shows its progress', async () => {
    const source = await database('sqlite');
    await seedEveryTable(source.repos);
    const target = await database('postgres');
    await target.repos.users.upsertFromTelegram({
      telegramId: 7,
      username: null,
      firstName: 'Else',
      lastName: null,
      languageCode: 'en',
      language: 'en',
    });
    const env = { BOTCTL_DATA_DIR: dataDir(), BOTCTL_DATABASE_URL: source.url };
    const declined = spawnInPty(['db', 'move', '--to', target.url, '--force'], env);
    await declined.expect(/1 rows in users[\s\S]*\[y\/N\]/);
    declined.type('');
    expect(await declined.exitCode).toBe(1);
    expect(declined.output).toContain('Nothing was written.');
    expect(await readRows('postgres', target.url, 'select telegram_id::int as t from users')).toEqual([
      { t: 7 },
    ]);

    const accepted = spawnInPty(['db', 'move', '--to', target.url, '--force'], env);
    await accepted.expect('[y/N]');
    accepted.type('y');
    expect(await accepted.exitCode, accepted.output).toBe(0);
    expect(accepted.output).toContain("every table's row count and digest match");
    expect(accepted.output).toContain('botctl config set databaseUrl');
    // listr2's line; `script` gives the terminal no width, so it wraps after every character.
    expect(accepted.output.replace(/\s+/g, '')).toContain('Movingthedatabase');
    const ids = await readRows('postgres', target.url, 'select telegram_id::int as t from users order by 1');
    expect(ids).toEqual([{ t: 1001 }, { t: 1002 }]);
  });

  it('shows a progress line per table off a terminal', async () => {
    const source = await database('sqlite');
    await seedEveryTable(source.repos);
    const run = await runCli(['db', 'move', '--to', path.join(dataDir(), 'copy.sqlite')], {
      BOTCTL_DATA_DIR: dataDir(),
      BOTCTL_DATABASE_URL: source.url,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('copying messages: 4/4');
    expect(run.stdout).toContain('checked audio_files (15/15)');
  });

  it('refuses while a bot holds the source database (exit 75) and creates nothing', async () => {
    const source = await database('sqlite');
    await seedEveryTable(source.repos);
    const target = path.join(dataDir(), 'target.sqlite');
    // What `botctl start` holds for its whole life.
    const hold = await createDatabaseGuard(source.url).holdShared();
    try {
      const refused = await runCli(['db', 'move', '--to', target], {
        BOTCTL_DATA_DIR: dataDir(),
        BOTCTL_DATABASE_URL: source.url,
      });
      expect(refused.exitCode, refused.stderr).toBe(75);
      expect(oneLine(refused.stderr)).toMatch(
        /The bot is running on this database .*: a move now would miss what the bot writes/,
      );
      expect(refused.stderr).toContain('botctl start');
    } finally {
      await hold.release();
    }
    // The target file did not exist before: the refused move leaves none behind.
    expect(fs.existsSync(target)).toBe(false);
  });

  it('refuses a source with pending migrations, naming `botctl migrate up`', async () => {
    const source = await database('sqlite', false);
    await source.migrator.up(0);
    const refused = await move(source.url, ['--to', path.join(dataDir(), 't.sqlite')]);
    expect(refused.exitCode).toBe(1);
    expect(refused.envelope.error?.code).toBe('MIGRATIONS_PENDING');
    expect(oneLine(refused.stderr + refused.stdout)).toContain('botctl migrate up');
  });

  it('a wrong --to gets a one-line error, never the password', async () => {
    const source = await database('sqlite');
    const env = { BOTCTL_DATA_DIR: dataDir(), BOTCTL_DATABASE_URL: source.url };
    const scheme = await runCli(['db', 'move', '--to', 'mysql://u:hunter2@127.0.0.1/db'], env);
    expect(scheme.exitCode).toBe(2);
    expect(scheme.stderr).toMatch(/--to: unsupported scheme "mysql:"/);
    expect(scheme.stderr).not.toContain('hunter2');
    const down = await runCli(['db', 'move', '--to', 'postgres://u:hunter2@127.0.0.1:1/db'], env);
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toMatch(/PostgreSQL at postgres:\/\/u:\*\*\*\*@127\.0\.0\.1:1\/db/);
    expect(down.stderr).not.toContain('hunter2');
    expect(down.stderr).not.toMatch(/\n\s+at /);
  });
});
