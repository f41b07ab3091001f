/**
 * `botctl db move` in-process (so coverage sees the command, the service and the copy adapters;
 * db-move.test.ts runs the built CLI as a process for crashes, terminals and locks): a round trip
 * SQLite -> PostgreSQL -> SQLite with a row in every table, progress lines at a terminal, and the
 * refusal of a non-empty target until --force --yes.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import DbMove from '../../src/commands/db/move.js';
import { dump, moveFixtures, seedEveryTable } from '../helpers/db-move.js';
import { runInProcess } from '../helpers/run-command.js';

const { database, tempDir } = moveFixtures();

/** Runs `botctl db move <argv>` in this process with the source database configured. */
const move = (source: string, argv: string[], options: { tty?: boolean } = {}) =>
  runInProcess(DbMove, argv, {
    ...options,
    env: { BOTCTL_DATA_DIR: tempDir(), BOTCTL_DATABASE_URL: source },
  });

describe('botctl db move (in-process)', { timeout: 120_000 }, () => {
  it('SQLite -> PostgreSQL -> SQLite: every row equal, the config change printed, progress shown', async () => {
    const source = await database('sqlite');
    await seedEveryTable(source.repos);
    const pg = await database('postgres', false);

    const there = await move(source.url, ['--to', pg.url, '--json']);
    expect(there.exitCode, there.stderr).toBe(0);
    const result = there.json() as {
      status: string;
      result: { rows: number; tables: Array<{ name: string; rows: number; digest: string }>; next: string[] };
    };
    expect(result.status).toBe('ok');
    expect(result.result.tables.find((t) => t.name === 'messages')?.rows).toBe(4);
    expect(result.result.next.join('\n')).toContain('botctl config set databaseUrl');

    const back = path.join(tempDir(), 'botctl.sqlite');
    const home = await move(pg.url, ['--to', back], { tty: true });
    expect(home.exitCode, home.stderr).toBe(0);
    expect(home.stdout).toContain('botctl config set databaseUrl');
    expect(await dump('sqlite', back)).toEqual(await dump('sqlite', source.url));
  });

  it('refuses a non-empty target (exit 2), and replaces it with --force --yes', async () => {
    const source = await database('sqlite');
    await seedEveryTable(source.repos);
    const target = await database('sqlite');
    await seedEveryTable(target.repos);
    const refused = await move(source.url, ['--to', target.url, '--json']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stdout + refused.stderr).toMatch(/--force/);
    const replaced = await move(source.url, ['--to', target.url, '--force', '--yes']);
    expect(replaced.exitCode, replaced.stderr).toBe(0);
    expect(await dump('sqlite', target.url)).toEqual(await dump('sqlite', source.url));
  });
});
