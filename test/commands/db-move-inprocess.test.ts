/**
 * `botctl db move` in-process (so coverage sees the command, the service and the copy adapters;
 * db-move.test.ts runs the built CLI as a process for crashes, terminals and locks): a round trip
 * SQLite -> PostgreSQL -> SQLite with a row in every table, progress lines at a terminal, and the
 * refusal of a non-empty target until --force --yes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Config } from '@oclif/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import DbMove from '../../src/commands/db/move.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { dump, sealing, seedEveryTable } from '../helpers/db-move.js';

let oclif: Config;
beforeAll(async () => {
  oclif = await Config.load(path.resolve(import.meta.dirname, '../..'));
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database(dialect: 'sqlite' | 'postgres', migrate = true): Promise<TestDatabase> {
  const db = await openTestDatabase(dialect, { cipher: sealing(), migrate });
  cleanups.push(() => db.cleanup());
  return db;
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-move-in-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `botctl db move <argv>` in this process with the source database configured. */
async function move(source: string, argv: string[], options: { tty?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]) => (chunk: string | Uint8Array) => (into.push(String(chunk)), true);
  vi.spyOn(process.stdout, 'write').mockImplementation(capture(out));
  vi.spyOn(process.stderr, 'write').mockImplementation(capture(err));
  const wasTty = process.stdout.isTTY;
  process.stdout.isTTY = options.tty === true;
  process.exitCode = undefined;
  vi.stubEnv('BOTCTL_DATA_DIR', tempDir());
  vi.stubEnv('BOTCTL_DATABASE_URL', source);
  let exit: number | undefined;
  try {
    await DbMove.run(argv, oclif);
  } catch (thrown) {
    exit = (thrown as { oclif?: { exit?: number } }).oclif?.exit ?? 1;
  } finally {
    process.stdout.isTTY = wasTty;
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
  const exitCode = Number(process.exitCode ?? exit ?? 0);
  process.exitCode = undefined;
  return { stdout: out.join(''), stderr: err.join(''), exitCode };
}

describe('botctl db move (in-process)', { timeout: 120_000 }, () => {
  it('SQLite -> PostgreSQL -> SQLite: every row equal, the config change printed, progress shown', async () => {
    const source = await database('sqlite');
    await seedEveryTable(source.repos);
    const pg = await database('postgres', false);

    const there = await move(source.url, ['--to', pg.url, '--json']);
    expect(there.exitCode, there.stderr).toBe(0);
    const result = JSON.parse(there.stdout.trim().split('\n').at(-1)!) as {
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
